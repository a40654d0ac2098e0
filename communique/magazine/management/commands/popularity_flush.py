from django.core.management.base import BaseCommand

from communique.magazine.popularity.flush import flush_now


class Command(BaseCommand):
    help = (
        "Writes buffered page views to the database now. Useful with the Redis buffer "
        '(COMMUNIQUE_POPULARITY["BUFFER"] = "redis"), which every worker shares; the memory buffer '
        "belongs to each server process, which flushes it itself (and at exit)."
    )

    def handle(self, *args, **options):
        written = flush_now()
        self.stdout.write(f"Wrote {written} page view(s).")
