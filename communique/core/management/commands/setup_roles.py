from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from communique.core.roles import setup_locales, setup_roles


class Command(BaseCommand):
    help = (
        "Create or update the newsroom groups (Editors, Contributors, Translators, Authors) and the "
        "content locales. Safe to run again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            locales = setup_locales(apps)
            groups = setup_roles(apps)
        self.stdout.write(
            f"Roles ready (new groups: {', '.join(groups) or 'none'}; "
            f"new locales: {', '.join(locales) or 'none'})."
        )
