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
        from django.core.management import call_command
        from wagtail.signal_handlers import disable_reference_index_auto_update

        try:
            # Every save would queue a reference-index job, and the builder replaces rows (an
            # article's author links) that earlier saves queued: the worker would then fail those
            # jobs on rows that are gone. One rebuild once the content is in indexes all of it.
            with disable_reference_index_auto_update(), import_transaction() as session:
                demo = DemoBuilder(session).build()
        except ImportFailed as exc:
            raise CommandError(f"demo: {exc}") from exc
        call_command("rebuild_references_index", verbosity=0)
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
