"""communique scheduler — publish scheduled pages every N seconds, in the foreground.

Web processes already do this on their own (magazine.scheduling); run this instead where they
should not, with COMMUNIQUE_SCHEDULER_SECONDS=0 for the web processes."""
from django.core.management.base import BaseCommand

from communique.magazine import scheduling


class Command(BaseCommand):
    help = "Publish scheduled pages every --every seconds (default COMMUNIQUE_SCHEDULER_SECONDS or 15)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=None)
        parser.add_argument("--once", action="store_true", help="One round, then exit.")

    def handle(self, *args, **options):
        seconds = options["every"] or scheduling.interval() or 15
        if options["once"]:
            scheduling.run_once()
            return
        self.stdout.write(f"Publishing scheduled pages every {seconds} s (Ctrl+C to stop)")
        try:
            scheduling.loop(seconds)
        except KeyboardInterrupt:
            pass
