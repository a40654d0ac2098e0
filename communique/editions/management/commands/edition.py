"""`communique edition build ISSUE --to epub,pdf [-o DIR]`: the admin's "Build editions", from a
shell. ISSUE is the print issue's page id or slug. The files are stored as the issue's editions
(what the site offers) and, with -o, copied to DIR."""
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build a print issue's editions (EPUB, PDF) as the admin does."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Build an issue's editions.")
        build.add_argument("issue", help="Print issue page id or slug.")
        build.add_argument("--to", default="epub,pdf", help="Formats, comma separated (default epub,pdf).")
        build.add_argument("-o", "--output", help="Also copy the files to this folder.")
        build.add_argument("--quiet", action="store_true", help="No progress lines.")

    def handle(self, *args, action, issue, to, output, quiet, **options):
        from communique.editions import services

        try:
            page = services.resolve_issue(issue)
            formats = services.check_formats(to)
        except services.EditionError as exc:
            raise CommandError(str(exc)) from exc

        def progress(percent, message=""):
            if not quiet:
                self.stderr.write(f"[{int(percent):3d}%] {message}")

        try:
            editions = services.build_issue_editions(page, formats, progress=progress, output_dir=output)
        except services.EditionError as exc:
            raise CommandError(str(exc)) from exc
        for edition in editions:
            where = edition.path
            if output:
                from pathlib import Path

                where = Path(output) / edition.download_filename()
            self.stdout.write(f"{edition.format}\t{edition.size}\t{where}")
            for warning in edition.warnings:
                self.stderr.write(f"warning ({edition.format}): {warning}")
        sys.stdout.flush()
