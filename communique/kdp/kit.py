"""The KDP kit: everything Kindle Direct Publishing asks for, built into one folder and checked.

    build_kit(manuscript_or_document, metadata, out_dir, progress=None) -> KitResult

Engine code: no request, no database. The portal's job and `communique kdp build` both call it.
The folder is built in a temporary sibling and renamed into place only when every file is
written, so a reader of out_dir never sees half a kit (and a failed build leaves the previous
kit untouched).

Order matters: the interior PDF is set first because its page count decides the gutter (KDP's
inside margin grows with the page count), the spine width and so the cover's size; the EPUB is
written before the prices because the 70% plan's delivery charge is per MB of the real file.

One job per module: reading the source (source.py), merging metadata (merge.py), the build
(here), prices (kit_prices.py), the HTML reports (reports.py and templates/kdp/), inspecting
and checking a folder (kit_folder.py). The names below stay importable from here.
"""
from __future__ import annotations

import copy
import dataclasses
import html
import json
import shutil
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from communique.documents import model as dm
from communique.documents.languages import get as get_language

from . import facts, geometry, reports
from .kit_folder import (_epub_checks, _html_toc_check, _imgs_without_alt, check_kit,  # noqa: F401 - public names
                         inspect_kit, metadata_from_json)
from .kit_layout import (COVER, COVER_PREVIEW, EBOOK_COVER, EPUB, INTERIOR, KIT_FILES, METADATA_HTML,  # noqa: F401
                         METADATA_JSON, ONIX, PREFLIGHT_HTML, PREFLIGHT_JSON, PRICES_HTML, PRICES_JSON,
                         UPLOAD_STEPS_HTML, KitError)
from .kit_prices import price_table
from .merge import add_matter, apply_metadata, metadata_for  # noqa: F401
from .metadata import BookMetadata
from .report import Report
from .source import front_matter_of, read_source  # noqa: F401

Progress = Callable[[int, str], None]


@dataclass
class KitResult:
    out_dir: Path
    files: list[str]
    pages: int
    epub_bytes: int
    report: Report
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.report.failures()

    def path(self, name: str) -> Path:
        return self.out_dir / name


def _noop(percent: int, message: str) -> None:
    pass


def _trim_arg(trim: geometry.Trim) -> str:
    return f"{trim.width.normalize():f}x{trim.height.normalize():f}"


def _theme(document: dm.Document) -> str:
    """The manuscript's interior theme (`theme:`), checked: an unknown name is the author's to fix."""
    from communique.editions.themes import UnknownTheme, get

    try:
        return get(str(document.front_matter.get("theme") or "") or None).name
    except UnknownTheme as exc:
        raise KitError(f"Front matter: {exc}") from None


def _with_matter(document: dm.Document, texts: dict, *, medium: str, fmt: str | None = None,
                 fonts_line: bool) -> dm.Document:
    from communique.documents import transforms

    doc = copy.copy(document)
    doc.warnings = list(document.warnings)  # the transform's warnings are this format's copy's
    # KDP wants an HTML contents near the start of every eBook (preflight's ebook.html_toc), even
    # a book of one chapter; a paperback has one when there is more than one entry.
    contents = True if medium == "ebook" else "auto"
    return transforms.run(doc, ["matter"], {"matter": {"texts": texts, "medium": medium, "format": fmt,
                                                       "fonts_line": fonts_line, "contents": contents}})


def _write_interior(document: dm.Document, md: BookMetadata, trim: geometry.Trim, out: Path,
                    progress: Progress) -> tuple[int, dict, list[str]]:
    """The editions PDF writer sets the gutter KDP requires for the page count it reaches (it
    lays out again if the count crosses a band) and pads to an even count; the kit re-reads the
    file rather than trusting the writer's numbers."""
    from communique.editions import registry

    progress(15, f"Setting the interior at {trim}{' with bleed' if md.bleed else ''}")
    from .print_rules import print_rules

    report = registry.write("pdf", document, out, {"kind": "book", "trim": _trim_arg(trim), "bleed": md.bleed,
                                                   "lang": md.language, "theme": _theme(document),
                                                   "print_rules": print_rules(md.paper, trim)})
    warnings = [str(w) for w in report.warnings if w not in document.warnings]
    pages = _pdf_pages(out)
    if pages % 2:
        pages = _pad_to_even(out)
    return pages, dict(report.stats.get("geometry") or {}), warnings


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _pad_to_even(path: Path) -> int:
    """KDP prints both sides of each sheet: a book has an even number of pages."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(path))
    writer = PdfWriter(clone_from=reader)
    box = reader.pages[-1].mediabox
    writer.add_blank_page(width=float(box.width), height=float(box.height))
    tmp = path.with_suffix(".even.pdf")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(path)
    return len(reader.pages) + 1


def _write_epub(document: dm.Document, md: BookMetadata, cover_jpg: Path, out: Path) -> list[str]:
    from communique.editions import registry

    doc = copy.copy(document)
    doc.meta = dataclasses.replace(document.meta, cover_image=cover_jpg)
    # The EPUB carries the same 1600 × 2560 JPEG that is uploaded as the marketing cover.
    # Fonts are embedded only where Kindle's own fonts may lack the script: the 70% plan charges
    # delivery per MB, and four Noto faces add about 1.5 MB to every sale of a Latin-script book.
    embed = get_language(md.language).script != "Latn"
    report = registry.write("epub", doc, out, {"toc_depth": 2, "embed_fonts": embed, "theme": _theme(document)})
    return [str(w) for w in report.warnings if w not in document.warnings]




def _cover_art(front_matter: dict, base: Path | None, cover_art: Path | None) -> Path | None:
    if cover_art:
        return Path(cover_art)
    name = (front_matter or {}).get("cover_image") or (front_matter or {}).get("cover")
    if name and base is not None and (base / str(name)).is_file():
        # Issue 8, break 1: the cover must be a file inside the manuscript's folder; "/x", "//x",
        # "../x" and symlinks out of it would embed any server file in the kit.
        art = (base / str(name)).resolve()
        if str(name).startswith(("/", "\\")) or not art.is_relative_to(Path(base).resolve()):
            raise KitError(f"The cover image “{name}” is outside the manuscript's folder.")
        return art
    return None


def build_kit(source, metadata: BookMetadata | dict | None = None, out_dir=None, progress: Progress | None = None,
              *, overrides: dict | None = None, matter: dict | None = None, cover_art: Path | None = None,
              rights: str = "", cover_file: Path | None = None, rates=None) -> KitResult:
    """Build the whole kit for one book into out_dir (replaced atomically when complete).

    `cover_file` is the author's finished cover: a full-wrap PDF (checked against the computed
    wrap size) or a front-only JPEG/PNG (the wrap is drawn around it, with no text over it).
    `rates` (kdp.rates.Rates) converts the primary price into other stores' currencies; the
    fixed table in facts.py without it."""
    if out_dir is None:
        raise KitError("build_kit needs an output folder.")
    progress = progress or _noop
    started = time.monotonic()
    out_dir = Path(out_dir).resolve()
    progress(2, "Reading the manuscript")
    document, front_matter, base = read_source(source)
    if isinstance(metadata, BookMetadata):
        md = metadata
    else:
        md = metadata_for(document, front_matter, {**(metadata or {}), **(overrides or {})})
    trim = md.trim or geometry.Trim.parse("6x9")
    md.trim = trim
    # Front and back matter are the document engine's transform, run per format below (each
    # format's copyright page names its own ISBN); the portal's texts win over the manuscript's.
    texts = {**{k: v for k, v in front_matter.items() if v not in (None, "")},
             **{k: v for k, v in (matter or {}).items() if v}}
    rights = rights or str(front_matter.get("rights") or "")
    art = _cover_art(front_matter, base, cover_art)
    warnings = [str(w) for w in document.warnings]

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.building-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        from . import cover_pdf, ebook_cover, onix

        print_doc = _with_matter(apply_metadata(document, md, isbn=md.isbn_paperback, rights=rights), texts,
                                 medium="print", fonts_line=True)
        warnings += [str(w) for w in print_doc.warnings[len(document.warnings):]]
        pages, page_geometry, w = _write_interior(print_doc, md, trim, tmp / INTERIOR, progress)
        warnings += w

        progress(45, f"Drawing the paperback cover for {pages} pages on {md.paper} paper")
        author = ", ".join(md.authors) or ", ".join(c.name for c in md.contributors)
        finished = Path(cover_file) if cover_file else None
        if finished is not None and finished.suffix.lower() == ".pdf":
            try:
                cover = cover_pdf.use_finished_cover(finished, tmp / COVER, trim=trim, pages=pages, paper=md.paper,
                                                     png_path=tmp / COVER_PREVIEW)
            except ValueError as exc:
                raise KitError(str(exc)) from None
        else:
            cover = cover_pdf.render_cover(tmp / COVER, trim=trim, pages=pages, paper=md.paper, title=md.title,
                                           author=author, subtitle=md.subtitle, blurb=_blurb(md.description_html),
                                           art=finished or art, language=md.language, png_path=tmp / COVER_PREVIEW,
                                           front_finished=finished is not None)
        warnings += cover.warnings

        progress(55, "Drawing the eBook cover (1600 × 2560)")
        # The eBook cover is the paperback's front panel, so both editions look alike and the
        # title and author are on it even when the art is only a background.
        ecover = ebook_cover.make_ebook_cover(tmp / EBOOK_COVER, title=md.title, author=author,
                                              art=_front_panel(tmp / COVER, cover.zones), subtitle=md.subtitle)
        warnings += ecover.warnings

        progress(62, "Writing the EPUB")
        ebook_doc = _with_matter(apply_metadata(document, md, isbn=md.isbn_ebook, rights=rights), texts,
                                 medium="ebook", fmt="EPUB", fonts_line=get_language(md.language).script != "Latn")
        warnings += [str(w) for w in ebook_doc.warnings[len(document.warnings):] if str(w) not in warnings]
        warnings += _write_epub(ebook_doc, md, tmp / EBOOK_COVER, tmp / EPUB)
        epub_bytes = (tmp / EPUB).stat().st_size

        progress(75, "Writing metadata, ONIX and prices")
        size = geometry.cover_size(trim, pages, md.paper)
        layout = {"pages": pages, "margins_in": page_geometry, "trim": trim.to_dict(), "bleed": md.bleed,
                  "interior_page_in": [float(x) for x in geometry.interior_page_size(trim, md.bleed)],
                  "cover": size.to_dict(), "cover_elements": [e.to_dict() for e in cover.elements],
                  "epub_bytes": epub_bytes}
        meta_doc = {**md.to_dict(), "rights_line": rights or None, "layout": layout}
        (tmp / METADATA_JSON).write_text(json.dumps(meta_doc, indent=2, ensure_ascii=False), encoding="utf-8")
        (tmp / METADATA_HTML).write_text(metadata_html(meta_doc), encoding="utf-8")
        prices = price_table(md, pages, epub_bytes, rates)
        (tmp / PRICES_JSON).write_text(json.dumps(prices, indent=2, ensure_ascii=False), encoding="utf-8")
        (tmp / PRICES_HTML).write_text(prices_html(prices, md), encoding="utf-8")
        (tmp / UPLOAD_STEPS_HTML).write_text(reports.upload_steps_html(meta_doc, prices), encoding="utf-8")
        (tmp / ONIX).write_bytes(onix.onix_xml(
            md, pages=pages,
            ebook_prices={r["marketplace"]: Decimal(r["list_price"]) for r in prices["ebook"]} or None,
            paperback_prices={r["marketplace"]: Decimal(r["list_price"]) for r in prices["paperback"]} or None))

        progress(85, "Checking the kit against KDP's rules")
        report = check_kit(tmp, import_warnings=warnings)
        (tmp / PREFLIGHT_JSON).write_text(report.to_json(), encoding="utf-8")
        (tmp / PREFLIGHT_HTML).write_text(reports.preflight_html(report), encoding="utf-8")
        _swap_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    progress(100, f"Kit ready: {pages} pages, {report.counts()['fail']} problem(s) to fix")
    return KitResult(out_dir, [n for n in KIT_FILES if (out_dir / n).exists()], pages, epub_bytes, report,
                     warnings, time.monotonic() - started)


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}"
        out_dir.rename(old)
    try:
        tmp.rename(out_dir)
    except BaseException:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _front_panel(cover_pdf: Path, zones):
    """The front cover cut from the wrap PDF at 2560 px high (trim height plus bleed), centred on
    the front panel: 1600 px wide at that scale is narrower than the panel, and the crop takes
    less from each side than the safe margin, so no text is lost."""
    import pypdfium2 as pdfium
    from PIL import Image

    ideal_w, ideal_h = facts.EBOOK_COVER_IDEAL.value
    height_in = float(zones.size.height)
    px_per_in = ideal_h / height_in
    doc = pdfium.PdfDocument(str(cover_pdf))
    try:
        image = doc[0].render(scale=px_per_in / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    if image.height != ideal_h:
        image = image.resize((round(image.width * ideal_h / image.height), ideal_h), Image.LANCZOS)
    centre = float(zones.front.x + zones.front.w / 2) * px_per_in
    left = max(0, min(round(centre - ideal_w / 2), image.width - ideal_w))
    return image.crop((left, 0, left + ideal_w, ideal_h))


def _blurb(description_html: str, limit: int = 700) -> str:
    """The back-cover text: the description without tags, cut at a sentence."""
    import re

    import nh3

    # nh3 drops script and style with their content; block tags become spaces first.
    spaced = re.sub(r"<(/?)(p|br|li|h[1-6]|div)\b", r" <\1\2", description_html or "")
    text = html.unescape(nh3.clean(spaced, tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > limit // 2 else cut.rsplit(" ", 1)[0] + "…"


def _bar_chart(rows: list[dict], title: str) -> str:
    return reports.bar_chart(rows, title)


def prices_html(prices: dict, md: BookMetadata) -> str:
    return reports.prices_html(prices, md, (
        reports.bar_chart(prices.get("ebook") or [], "eBook royalty counted on per sale, in US dollars"),
        reports.bar_chart(prices.get("paperback") or [], "Paperback royalty per sale, in US dollars")))


metadata_html = reports.metadata_html
