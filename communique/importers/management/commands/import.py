"""communique import page PATH [--section NAME] [--dry-run] [--json]
communique import wordpress FILE.xml[.gz] [--uploads DIR] [--strict] [--dry-run] [--json]
communique import markdown FILE.md [--section NAME] [--dry-run]
communique import docx FILE.docx [--section NAME] [--dry-run]

Each import is one transaction: on any error nothing is saved and image files written on the way
are removed again. A WordPress import skips (and reports) a post that cannot be imported and
brings in the rest, unless --strict asks for all or nothing."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communique.importers.base import ImportFailed, import_transaction


class Command(BaseCommand):
    help = "Import content: a saved article page, a WordPress export, a Markdown or DOCX article."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, metavar="{page,wordpress,markdown,docx}")
        p = sub.add_parser("page", help="a saved article page (HTML) or a text scrape of one")
        p.add_argument("path")
        p.add_argument("--section", default="", help="section to file it in (overrides what the page says)")
        p.add_argument("--dry-run", action="store_true", help="extract only, save nothing")
        p.add_argument("--json", action="store_true", help="print what was extracted as JSON")
        w = sub.add_parser("wordpress", help="a WordPress WXR export (.xml or .xml.gz)")
        w.add_argument("path")
        w.add_argument("--uploads", default="", help="folder holding wp-content/uploads (default: the export's folder)")
        w.add_argument("--strict", action="store_true", help="all or nothing: any post that fails aborts the import")
        w.add_argument("--dry-run", action="store_true", help="run the import and roll it back")
        w.add_argument("--json", action="store_true", help="print the summary as JSON")
        for name in ("markdown", "docx"):
            d = sub.add_parser(name, help=f"one article as {name}")
            d.add_argument("path")
            d.add_argument("--section", default="")
            d.add_argument("--dry-run", action="store_true", help="run the import and roll it back")
            d.add_argument("--json", action="store_true", help="print a summary as JSON")

    def handle(self, *args, kind, path, **options):
        try:
            return getattr(self, f"import_{kind}")(Path(path), **options)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc

    def _warnings(self, session):
        for w in session.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {w}"))

    def import_page(self, path, section="", dry_run=False, json=False, **_):
        from communique.importers.page import extract, import_page

        if dry_run:
            warnings = []
            extracted = extract(path, warnings.append)
            if section:
                extracted.section = section
            for w in warnings:
                self.stderr.write(self.style.WARNING(f"warning: {w}"))
            data = extracted.as_json()
            data["warnings"] = warnings + [w for w in data["warnings"] if w not in warnings and f"page: {w}" not in warnings]
            if json:
                self.stdout.write(_dumps(data))
            else:
                self.stdout.write(f"{data['title']} — {', '.join(data['authors']) or 'no author'} "
                                  f"[{data['section'] or 'no section'}], {len(data['body'])} paragraphs (not saved)")
            return
        with import_transaction() as session:
            extracted, page, created = import_page(path, session, section=section)
        self._warnings(session)
        if json:
            data = extracted.as_json()
            data.update(page_id=page.pk, url=page.url, created=created)
            self.stdout.write(_dumps(data))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"{'Created' if created else 'Updated'} '{page.title}' in {page.get_parent().title} (page {page.pk})"))

    def import_wordpress(self, path, dry_run=False, strict=False, uploads="", json=False, **_):
        from communique.importers.wordpress import dumps_summary, import_wxr

        with import_transaction(dry_run=dry_run) as session:
            summary = import_wxr(path, session, strict=strict, media_dir=Path(uploads) if uploads else None)
        self._warnings(session)
        if json:
            self.stdout.write(dumps_summary(summary))
            return
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {summary['posts']} post(s) and {summary['pages']} page(s) ({summary['live']} live, "
            f"{summary['drafts']} draft): {len(session.created)} created, {len(session.updated)} updated; "
            f"{summary['authors']} author(s), {summary['skipped']} item(s) skipped"))
        for type_, row in sorted(summary.by_type().items()):
            if type_ == "attachment":
                self.stdout.write(f"  attachment: {row['merged']} media item(s), imported into the posts that show them")
                continue
            self.stdout.write(f"  {type_}: {row['imported']} imported, {row['merged']} merged, {row['skipped']} skipped")
        reasons: dict[str, int] = {}
        for i in summary.skipped():
            if i.type not in ("post", "page", "unknown"):
                reasons[f"{i.type}: {i.reason}"] = reasons.get(f"{i.type}: {i.reason}", 0) + 1
        for reason, n in sorted(reasons.items()):
            self.stdout.write(f"  skipped {n} × {reason}")

    def _import_document(self, kind, path, section, dry_run, as_json):
        from communique.importers.documents import import_document_file

        with import_transaction(dry_run=dry_run) as session:
            page, created = import_document_file(kind, path, session, section=section)
            info = {"title": page.title, "section": page.get_parent().title, "page_id": page.pk,
                    "created": created, "authors": [a.name for a in page.authors]}
        self._warnings(session)
        if as_json:
            info["dry_run"] = dry_run
            info["warnings"] = session.warnings
            self.stdout.write(_dumps(info))
        else:
            verb = "Would create" if dry_run and created else "Would update" if dry_run else "Created" if created else "Updated"
            self.stdout.write(self.style.SUCCESS(f"{verb} '{info['title']}' in {info['section']}"))

    def import_markdown(self, path, section="", dry_run=False, json=False, **_):
        self._import_document("markdown", path, section, dry_run, json)

    def import_docx(self, path, section="", dry_run=False, json=False, **_):
        self._import_document("docx", path, section, dry_run, json)


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
