"""communique demo — fill a migrated database with a demo magazine (safe to run again)."""
from django.core.management.base import BaseCommand, CommandError

from communique.importers.base import ImportFailed, import_transaction


class Command(BaseCommand):
    help = ("Create the demo site: home, sections, a print issue, the seed article, sample articles, "
            "images, an Urdu translation, Most Popular views and demo users. Run `migrate` first.")

    def handle(self, *args, **options):
        from django.apps import apps

        from communique.core.roles import setup_locales, setup_roles
        from communique.demo.build import DemoBuilder

        # A flushed database (tests, `flush`) has lost what the data migrations made.
        setup_locales(apps)
        setup_roles(apps)
        try:
            with import_transaction() as session:
                demo = DemoBuilder(session).build()
        except ImportFailed as exc:
            raise CommandError(f"demo: {exc}") from exc
        for w in session.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {w}"))
        samples = sum(1 for p in demo.article.values())
        self.stdout.write(self.style.SUCCESS(
            f"Demo ready: site '{demo.site.site_name}' at {demo.home.url or '/'}; {len(demo.section)} sections; "
            f"1 imported seed article + {samples} sample articles; print issue '{demo.issue_page.title}'; "
            f"Urdu translation at {demo.urdu_page.url}."))
        for line in demo.translation_lines:
            self.stdout.write(f"Translation desk: {line}")
        self.stdout.write("Logins (change these passwords outside a demo):")
        for username, password, role in demo.logins:
            self.stdout.write(f"  {username:<12} {password:<18} {role}")
