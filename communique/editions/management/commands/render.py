"""`communique render MANUSCRIPT --to epub|pdf -o OUTPUT [--trim 6x9] [--lang xx] [--bleed]`

Reads a Markdown (with YAML front matter) or DOCX manuscript, chosen by what the file is rather
than what it is called, and writes it with the format's writer from the registry. The writers
write beside the target and rename, so a failed build never leaves half a file; this command
also refuses to start when the output folder does not exist."""
from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

def sniff(path: Path) -> str:
    """'docx' or 'markdown', from the file's content (the reader registry's rule); CommandError otherwise."""
    from communique.documents.readers import ReaderError
    from communique.documents.readers.registry import MANUSCRIPT_KINDS, detect

    try:
        kind = detect(path)
    except ReaderError as exc:
        raise CommandError(str(exc)) from None
    if kind == "text":
        return "markdown"  # plain text is Markdown without markup
    if kind not in MANUSCRIPT_KINDS:
        raise CommandError(f"{path}: not a manuscript (Markdown or DOCX): it looks like {kind}")
    return kind


class Command(BaseCommand):
    help = "Render a Markdown or DOCX manuscript to EPUB, print PDF, DOCX or a single-file HTML edition."

    def add_arguments(self, parser):
        parser.add_argument("manuscript", help="Markdown (.md, with YAML front matter) or .docx file")
        parser.add_argument("--to", required=True, help="output format: epub, pdf, docx or html")
        parser.add_argument("-o", "--output", help="output file (default: the manuscript's name with the format's extension)")
        parser.add_argument("--trim", help="PDF book trim: 6x9 (default), 5.5x8.5, a5, or any KDP trim WxH in inches")
        parser.add_argument("--lang", help="language code (BCP 47, e.g. en, ur, ar-EG); overrides the manuscript's")
        parser.add_argument("--bleed", action="store_true", help="PDF with 0.125 in bleed on top, bottom and outside edge")
        parser.add_argument("--kind", choices=["book", "magazine"], help="PDF layout (default: from the manuscript)")
        parser.add_argument("--workers", type=int, help="PDF: processes laying out chapters (default 2)")
        parser.add_argument("--tagged", action="store_true", help="PDF: tagged (accessible) PDF, single pass")
        parser.add_argument("--transform", action="append", default=[], metavar="NAME",
                            help="apply a document transform before writing (repeatable): ids, number-chapters, index; "
                                 "'matter' always runs unless --no-matter")
        parser.add_argument("--theme", help="interior theme for PDF and EPUB: classic (default), modern, elegant; "
                                            "default: the manuscript's `theme:`")
        parser.add_argument("--no-matter", action="store_true",
                            help="write the manuscript's divisions only: no title, copyright or contents pages")

    def handle(self, *args, manuscript, to, output, trim, lang, bleed, kind, workers, tagged, transform=(),
               no_matter=False, theme=None, **options):
        from communique.documents import transforms
        from communique.documents.languages import UnknownLanguage, normalise_language
        from communique.documents.readers import ReaderError, read
        from communique.editions.registry import UnknownFormat, get_writer, write

        fmt = (to or "").strip().lower()
        try:
            get_writer(fmt)
        except UnknownFormat as exc:
            raise CommandError(str(exc)) from None
        source = Path(manuscript)
        if not source.is_file():
            raise CommandError(f"{source}: no such manuscript file")
        if lang:
            try:
                lang = normalise_language(lang)
            except UnknownLanguage as exc:
                raise CommandError(str(exc)) from None
        target = Path(output) if output else source.with_suffix(f".{fmt}")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent}: the output folder does not exist")
        if target.resolve() == source.resolve():
            raise CommandError(f"{target}: the output would overwrite the manuscript")

        kind_of_file = sniff(source)
        started = time.perf_counter()
        try:
            document = read(source, kind_of_file)
        except ReaderError as exc:
            raise CommandError(str(exc)) from None
        if lang:
            document.meta.language = lang
        names = list(transform) + ([] if no_matter else ["matter"])
        print_book = fmt == "pdf" and (kind or "book") == "book" and not any(
            d.kind == "article" for d in document.walk_divisions())
        matter = {"medium": "print" if print_book else "ebook", "format": "EPUB" if fmt == "epub" else None,
                  "fonts_line": fmt in ("pdf", "epub")}
        try:
            document = transforms.run(document, names, {"matter": matter})
        except transforms.UnknownTransform as exc:
            raise CommandError(str(exc)) from None

        writer_options = {}
        theme = theme or document.front_matter.get("theme")
        if fmt == "pdf":
            writer_options = {k: v for k, v in {"trim": trim, "bleed": bleed or None, "kind": kind,
                                                 "workers": workers, "tagged": tagged or None}.items() if v}
        if theme and fmt in ("pdf", "epub"):
            from communique.editions.themes import UnknownTheme, get as get_theme

            try:
                writer_options["theme"] = get_theme(str(theme)).name
            except UnknownTheme as exc:
                raise CommandError(str(exc)) from None
        if fmt != "pdf" and (trim or bleed or kind or workers or tagged):
            self.stderr.write(f"note: --trim/--bleed/--kind/--workers/--tagged apply to PDF only; ignored for {fmt}")
        try:
            report = write(fmt, document, target, writer_options)
        except ValueError as exc:  # bad option values (an unknown trim, …) name themselves
            raise CommandError(str(exc)) from None

        # The report carries the reader's warnings first (editions.registry.write), then the writer's.
        for w in report.warnings:
            self.stdout.write(f"warning: {w.where}: {w.message}" if w.where else f"warning: {w.message}")
        stats = report.stats
        summary = [f"{fmt} written in {time.perf_counter() - started:.1f} s"]
        if "pages" in stats:
            summary.append(f"{stats['pages']} pages")
        if "geometry" in stats:
            g = stats["geometry"]
            summary.append(f"{g['page_width_in']:g} × {g['page_height_in']:g} in, gutter {g['gutter_in']:g} in")
        summary.append(f"{len(report.warnings)} warning(s)")
        self.stdout.write("; ".join(summary))
        self.stdout.write(str(target))
