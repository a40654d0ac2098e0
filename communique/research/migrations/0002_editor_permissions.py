"""Editors run the research desk (confirm, merge, split, export): the role table in core/roles.py
names its permissions; apply it again now that the research models exist."""
from django.db import migrations


def grant(apps, schema_editor):
    from communique.core.roles import setup_roles

    setup_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0001_initial"),
        ("core", "0002_roles_and_locales"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
