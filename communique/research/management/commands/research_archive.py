"""`communique research_archive extract [--limit N] [--background]` reads every published article;
`communique research_archive names -o FILE` writes the confirmed names for `research extract --names`."""
import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Research desk over the archive (needs the database)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("extract")
        ex.add_argument("--limit", type=int)
        ex.add_argument("--background", action="store_true", help="queue a job instead of running here")
        names = sub.add_parser("names")
        names.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options):
        from communique.research import authority, services

        if options["action"] == "names":
            with open(options["output"], "w", encoding="utf-8") as fh:
                json.dump(authority.dump(services.authority_names()), fh, ensure_ascii=False, indent=1)
            return
        if options["background"]:
            from communique.jobs import enqueue

            job = enqueue("research.extract_archive", limit=options.get("limit"))
            self.stdout.write(f"queued job {job.pk}")
            return
        from communique.research.archive import articles

        done = failed = 0
        for page in articles(options.get("limit")):
            try:
                services.extract_page(page)
                done += 1
            except Exception as exc:
                failed += 1
                self.stderr.write(f"page {page.pk} ({page.title}): {exc}")
        self.stdout.write(f"{done} articles read, {failed} failed")
        if failed and not done:
            raise CommandError("no article could be read")
