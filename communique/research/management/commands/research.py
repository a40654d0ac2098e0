"""`communique research extract PATH [--json] [--published YYYY-MM-DD] [--names FILE]` and
`communique research index BOOK [--terms FILE] [--lang xx]`.

Both are engine commands (no database): they read a Markdown, DOCX, HTML or scraped-text source
through the document model. The names the EntityRuler knows are the shipped starter list plus
`--names` (a JSON list such as `communique research_archive names` writes from the confirmed
records)."""
import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Research desk: extract entities, dates and figures, or print a back-of-book index."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("extract", help="people, organisations, places, events, dates and figures of a source")
        ex.add_argument("path")
        ex.add_argument("--json", action="store_true", help="print JSON (the default is a short summary)")
        ex.add_argument("--published", help="publication date YYYY-MM-DD, the base for relative dates")
        ex.add_argument("--names", help="a JSON authority list to add to the starter list")
        ex.add_argument("--no-starter", action="store_true", help="use only --names, not the shipped starter list")
        ix = sub.add_parser("index", help="print the back-of-book index of a manuscript")
        ix.add_argument("path")
        ix.add_argument("--names", help="a JSON authority list to add to the starter list")
        ix.add_argument("--terms", help="an editor's terms file (one 'Term', 'Term > Sub-entry', "
                                        "'Term = see Other' or 'Term + see also Other' per line)")
        ix.add_argument("--lang", help="collation language (default: the manuscript's)")
        ix.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        from communique.research import authority
        from communique.research.sources import SourceError, read_source

        names = []
        try:
            if options.get("names"):
                names = authority.load(options["names"])
            document = read_source(options["path"])
        except (SourceError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if options["action"] == "extract":
            self._extract(document, names, options)
        else:
            self._index(document, names, options)

    def _extract(self, document, names, options):
        from communique.research.extract import extract_document

        published = None
        if options.get("published"):
            try:
                published = date.fromisoformat(options["published"])
            except ValueError:
                raise CommandError(f"--published must be YYYY-MM-DD, not {options['published']!r}") from None
        result = extract_document(document, published=published, names=names,
                                  use_starter=not options.get("no_starter"))
        if options.get("json"):
            json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return
        self.stdout.write(f"{result.title} ({result.words} words)")
        for kind in ("person", "organisation", "place", "event"):
            ents = result.by_kind(kind)
            self.stdout.write(f"{kind}s: " + "; ".join(f"{e.name} ×{len(e.mentions)}" for e in ents))
        for d in result.dates:
            flag = " (relative: check)" if d.relative else ""
            self.stdout.write(f"date {d.date or '?'} [{d.precision}] “{d.text}”{flag}")
        for f in result.figures:
            self.stdout.write(f"figure {f.value:g} {f.unit} [{f.kind}] “{f.text}”")

    def _index(self, document, names, options):
        from communique.research.index import build_index, format_index, parse_terms

        terms = []
        if options.get("terms"):
            try:
                with open(options["terms"], encoding="utf-8") as fh:
                    terms = parse_terms(fh.read())
            except (OSError, ValueError) as exc:
                raise CommandError(f"research: cannot read the terms file: {exc}") from None
        index = build_index(document, names=names, terms=terms, language=options.get("lang") or None)
        if options.get("json"):
            json.dump(index.as_json(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            self.stdout.write(format_index(index))
