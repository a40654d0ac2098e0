from django.core.management.base import BaseCommand

from communique.magazine.listings import rebuild


class Command(BaseCommand):
    help = (
        "Rewrites every section, author and tag list row (magazine.listings) from the articles as "
        "stored. Saving, publishing, unpublishing and moving keep them current; run this after "
        "loading articles in bulk past save() (SQL, COPY, a restored dump of the page tables)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Wrote {rebuild()} list row(s).")
