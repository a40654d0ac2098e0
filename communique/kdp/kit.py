"""The KDP kit: everything Kindle Direct Publishing asks for, built into one folder and checked.

    build_kit(manuscript_or_document, metadata, out_dir, progress=None) -> KitResult

Engine code: no request, no database. The portal's job and `communique kdp build` both call it.
The folder is built in a temporary sibling and renamed into place only when every file is
written, so a reader of out_dir never sees half a kit (and a failed build leaves the previous
kit untouched).

Order matters: the interior PDF is set first because its page count decides the gutter (KDP's
inside margin grows with the page count), the spine width and so the cover's size; the EPUB is
written before the prices because the 70% plan's delivery charge is per MB of the real file.
"""
from __future__ import annotations

import copy
import dataclasses
import html
import io
import json
import shutil
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from communique.documents import model as dm
from communique.documents.languages import get as get_language

from . import facts, geometry, pricing
from .metadata import BookMetadata, Contributor, MetadataError
from .report import Check, Report

Progress = Callable[[int, str], None]

EPUB = "ebook.epub"
EBOOK_COVER = "ebook-cover.jpg"
INTERIOR = "interior.pdf"
COVER = "cover.pdf"
COVER_PREVIEW = "cover-preview.png"
METADATA_JSON, METADATA_HTML = "metadata.json", "metadata.html"
ONIX = "onix.xml"
PRICES_JSON, PRICES_HTML = "prices.json", "prices.html"
PREFLIGHT_JSON, PREFLIGHT_HTML = "preflight.json", "preflight.html"
KIT_FILES = [EPUB, EBOOK_COVER, INTERIOR, COVER, COVER_PREVIEW, METADATA_JSON, METADATA_HTML, ONIX,
             PRICES_JSON, PRICES_HTML, PREFLIGHT_JSON, PREFLIGHT_HTML]


class KitError(Exception):
    """The kit could not be built; the message says which step and why."""


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


# ---- reading the source ----------------------------------------------------------------


def front_matter_of(path: Path) -> dict:
    """The YAML front matter of a Markdown file ({} when there is none)."""
    import yaml

    path = Path(path)
    if path.suffix.lower() not in (".md", ".markdown", ".txt"):
        return {}
    text = path.read_text(encoding="utf-8-sig")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError as exc:
        raise KitError(f"{path.name}: the front matter is not valid YAML ({exc})") from None
    return data if isinstance(data, dict) else {}


def read_source(source) -> tuple[dm.Document, dict, Path | None]:
    """(document, front matter, manuscript folder) from a path or an already-read Document."""
    if isinstance(source, dm.Document):
        base = source.meta.source_path.parent if getattr(source.meta, "source_path", None) else None
        return source, {}, base
    from communique.documents import readers

    path = Path(source)
    if not path.is_file():
        raise KitError(f"The manuscript {path} does not exist.")
    try:
        if path.suffix.lower() == ".docx":
            return readers.read_docx(path), {}, path.parent
        return readers.read_markdown(path, base_dir=path.parent), front_matter_of(path), path.parent
    except readers.ReaderError as exc:
        raise KitError(str(exc)) from exc


def metadata_for(document: dm.Document, front_matter: dict | None = None,
                 overrides: dict | None = None) -> BookMetadata:
    """Front matter supplies the defaults, the document's own metadata fills gaps, and
    `overrides` (CLI flags, the portal's Book form) win."""
    data: dict[str, Any] = {}
    meta = document.meta
    data["title"] = meta.title
    if meta.subtitle:
        data["subtitle"] = meta.subtitle
    if meta.contributors:
        data["contributors"] = [{"name": c.name, "role": c.role} for c in meta.contributors]
    for key, value in (("language", meta.language), ("publisher", meta.publisher),
                       ("description", meta.description), ("series", meta.series),
                       ("series_number", meta.series_number), ("edition", meta.edition)):
        if value:
            data[key] = value
    if meta.date:
        data["publication_date"] = str(meta.date)[:10]
    data.update({k: v for k, v in (front_matter or {}).items() if v not in (None, "")})
    if "author" in data and "contributors" in data:
        data.pop("author")  # the contributor list already names the author, in order
    data.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    try:
        return BookMetadata.from_front_matter(data)
    except MetadataError as exc:
        raise KitError(f"Metadata: {exc}") from None


def apply_metadata(document: dm.Document, md: BookMetadata, *, isbn: str | None, rights: str = "") -> dm.Document:
    """A shallow copy of the document whose metadata is the kit's (one ISBN per format)."""
    doc = copy.copy(document)
    identifiers = dict(document.meta.identifiers)
    identifiers.pop("isbn", None)
    if isbn:
        identifiers["isbn"] = isbn
    doc.meta = dataclasses.replace(
        document.meta,
        title=md.title,
        subtitle=md.subtitle,
        contributors=[dm.Contributor(name=c.name, role=c.role.lower()) for c in md.contributors]
        or document.meta.contributors,
        language=md.language,
        identifiers=identifiers,
        publisher=md.publisher or document.meta.publisher,
        date=md.publication_date.isoformat() if md.publication_date else document.meta.date,
        rights=rights or document.meta.rights,
        subjects=list(md.categories) or document.meta.subjects,
        description=md.description_html or document.meta.description,
        series=md.series,
        series_number=str(md.series_number or ""),
        edition=str(md.edition or ""),
    )
    return doc


def _paragraphs(text: str) -> list[dm.Block]:
    return [dm.Paragraph([dm.Text(p.strip())]) for p in text.split("\n\n") if p.strip()]


def add_matter(document: dm.Document, matter: dict[str, str]) -> dm.Document:
    """Front and back matter kept outside the manuscript (the portal's fields, front matter keys)
    become divisions, unless the manuscript already has a division of that kind."""
    have = {d.kind for d in document.walk_divisions()}
    have_titles = {(d.title or "").strip().lower() for d in document.walk_divisions()}
    front, back = [], []
    spec = [("dedication", "dedication", "", front), ("foreword", "foreword", "Foreword", front),
            ("acknowledgements", "acknowledgments", "Acknowledgements", back),
            ("about_the_author", "about-the-author", "About the Author", back)]
    for key, kind, title, where in spec:
        text = (matter or {}).get(key) or ""
        if text.strip() and kind not in have and (not title or title.lower() not in have_titles):
            where.append(dm.Division(kind=kind, title=title, blocks=_paragraphs(text), id=kind))
    if not front and not back:
        return document
    doc = copy.copy(document)
    divisions = list(document.divisions)
    first_body = next((i for i, d in enumerate(divisions) if d.matter != "front"), len(divisions))
    doc.divisions = divisions[:first_body] + front + divisions[first_body:] + back
    return doc


# ---- building --------------------------------------------------------------------------


def _noop(percent: int, message: str) -> None:
    pass


def _trim_arg(trim: geometry.Trim) -> str:
    return f"{trim.width.normalize():f}x{trim.height.normalize():f}"


def _write_interior(document: dm.Document, md: BookMetadata, trim: geometry.Trim, out: Path,
                    progress: Progress) -> tuple[int, dict, list[str]]:
    """The editions PDF writer sets the gutter KDP requires for the page count it reaches (it
    lays out again if the count crosses a band) and pads to an even count; the kit re-reads the
    file rather than trusting the writer's numbers."""
    from communique.editions import registry

    progress(15, f"Setting the interior at {trim}{' with bleed' if md.bleed else ''}")
    from .print_rules import print_rules

    report = registry.write("pdf", document, out, {"kind": "book", "trim": _trim_arg(trim), "bleed": md.bleed,
                                                   "lang": md.language,
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
    report = registry.write("epub", doc, out, {"toc_depth": 2, "embed_fonts": embed})
    return [str(w) for w in report.warnings if w not in document.warnings]




def _cover_art(front_matter: dict, base: Path | None, cover_art: Path | None) -> Path | None:
    if cover_art:
        return Path(cover_art)
    name = (front_matter or {}).get("cover_image") or (front_matter or {}).get("cover")
    if name and base is not None and (base / str(name)).is_file():
        return base / str(name)
    return None


def build_kit(source, metadata: BookMetadata | dict | None = None, out_dir=None, progress: Progress | None = None,
              *, overrides: dict | None = None, matter: dict | None = None, cover_art: Path | None = None,
              rights: str = "") -> KitResult:
    """Build the whole kit for one book into out_dir (replaced atomically when complete)."""
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
    matter = {**{k: front_matter.get(k) for k in ("dedication", "foreword", "acknowledgements", "about_the_author")
                 if front_matter.get(k)}, **(matter or {})}
    document = add_matter(document, matter)
    rights = rights or str(front_matter.get("rights") or "")
    art = _cover_art(front_matter, base, cover_art)
    warnings = [str(w) for w in document.warnings]

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.building-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        from . import cover_pdf, ebook_cover, onix

        print_doc = apply_metadata(document, md, isbn=md.isbn_paperback, rights=rights)
        pages, page_geometry, w = _write_interior(print_doc, md, trim, tmp / INTERIOR, progress)
        warnings += w

        progress(45, f"Drawing the paperback cover for {pages} pages on {md.paper} paper")
        author = ", ".join(md.authors) or ", ".join(c.name for c in md.contributors)
        cover = cover_pdf.render_cover(tmp / COVER, trim=trim, pages=pages, paper=md.paper, title=md.title,
                                       author=author, subtitle=md.subtitle, blurb=_blurb(md.description_html),
                                       art=art, png_path=tmp / COVER_PREVIEW)
        warnings += cover.warnings

        progress(55, "Drawing the eBook cover (1600 × 2560)")
        # The eBook cover is the paperback's front panel, so both editions look alike and the
        # title and author are on it even when the art is only a background.
        ecover = ebook_cover.make_ebook_cover(tmp / EBOOK_COVER, title=md.title, author=author,
                                              art=_front_panel(tmp / COVER, cover.zones), subtitle=md.subtitle)
        warnings += ecover.warnings

        progress(62, "Writing the EPUB")
        ebook_doc = apply_metadata(document, md, isbn=md.isbn_ebook, rights=rights)
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
        prices = price_table(md, pages, epub_bytes)
        (tmp / PRICES_JSON).write_text(json.dumps(prices, indent=2, ensure_ascii=False), encoding="utf-8")
        (tmp / PRICES_HTML).write_text(prices_html(prices, md), encoding="utf-8")
        (tmp / ONIX).write_bytes(onix.onix_xml(
            md, pages=pages,
            ebook_prices={r["marketplace"]: Decimal(r["list_price"]) for r in prices["ebook"]} or None,
            paperback_prices={r["marketplace"]: Decimal(r["list_price"]) for r in prices["paperback"]} or None))

        progress(85, "Checking the kit against KDP's rules")
        report = check_kit(tmp, import_warnings=warnings)
        (tmp / PREFLIGHT_JSON).write_text(report.to_json(), encoding="utf-8")
        (tmp / PREFLIGHT_HTML).write_text(report.to_html(), encoding="utf-8")
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


# ---- prices ----------------------------------------------------------------------------


def _s(value) -> str | None:
    return None if value is None else str(value)


def price_table(md: BookMetadata, pages: int, epub_bytes: int) -> dict:
    """Prices and royalties for every marketplace, from the real EPUB size and page count."""
    size_mb = (Decimal(epub_bytes) / Decimal(1024 * 1024)).quantize(Decimal("0.001"))
    out: dict[str, Any] = {"epub_mb": str(size_mb), "pages": pages, "paper": md.paper, "trim": str(md.trim),
                           "exchange_rates_as_of": facts.EXCHANGE_RATES_AS_OF.isoformat(),
                           "ebook": [], "paperback": []}
    if md.price_usd is not None:
        plan = 35 if md.public_domain else 70
        for prop in pricing.propose_ebook_prices(md.price_usd, md.primary_marketplace or "US", plan=plan,
                                                 size_mb=size_mb):
            roy = pricing.ebook_royalty(prop.proposed, prop.marketplace, size_mb, public_domain=md.public_domain,
                                        kdp_select=md.kdp_select)
            # The chart shows what a sale really earns: 70% only when it surely applies (in band,
            # and KDP Select where the store demands it); otherwise the 35% the author can count on.
            unmet = [c for c in roy.conditions if not (c.startswith("KDP Select") and md.kdp_select)]
            use_70 = roy.royalty_70 is not None and roy.eligible_70 == "yes" and not unmet
            expected, plan_used = (roy.royalty_70, 70) if use_70 else (roy.royalty_35, 35)
            out["ebook"].append({
                "marketplace": prop.marketplace, "domain": facts.MARKETPLACES[prop.marketplace].domain,
                "currency": prop.currency, "list_price": _s(prop.proposed),
                "delivery_cost": _s(roy.delivery_cost), "royalty_35": _s(roy.royalty_35),
                "royalty_70": _s(roy.royalty_70), "eligible_70": roy.eligible_70,
                "conditions_70": roy.conditions, "expected_plan": plan_used, "expected_royalty": _s(expected),
                "royalty_usd": _s(_usd(expected, prop.currency)),
                "flags": _unique_flags(prop.flags + roy.flags),
            })
    if md.paperback_price_usd is not None and md.trim is not None:
        for prop in pricing.propose_paperback_prices(md.paperback_price_usd, md.primary_marketplace or "US",
                                                     pages=pages, paper=md.paper, trim=md.trim):
            roy = pricing.paperback_royalty(prop.proposed, prop.marketplace, pages, md.paper, md.trim)
            out["paperback"].append({
                "marketplace": prop.marketplace, "domain": facts.MARKETPLACES[prop.marketplace].domain,
                "currency": prop.currency, "list_price": _s(prop.proposed),
                "printing_cost": _s(roy.printing_cost), "rate": _s(roy.rate), "royalty": _s(roy.royalty),
                "min_list_price": _s(roy.min_list_price),
                "royalty_usd": _s(_usd(roy.royalty, prop.currency)) if roy.royalty is not None else None,
                "flags": _unique_flags(prop.flags),
            })
    return out


def _unique_flags(flags) -> list[dict]:
    seen, out = set(), []
    for f in flags:
        d = f.to_dict()
        if d["message"] not in seen:
            seen.add(d["message"])
            out.append(d)
    return out


def _usd(amount, currency: str) -> Decimal | None:
    if amount is None:
        return None
    try:
        return pricing.money(pricing.convert(Decimal(str(amount)), currency, "USD"), "USD")
    except Exception:  # a currency without a rate: the chart leaves the bar out rather than guess
        return None


def _bar_chart(rows: list[dict], title: str) -> str:
    """An inline SVG: one bar per marketplace, royalty per sale in USD."""
    data = [(r["domain"], float(r["royalty_usd"])) for r in rows if r.get("royalty_usd") is not None]
    if not data:
        return "<p>No royalty could be charted.</p>"
    top = max(max(v for _, v in data), 0.01)
    bar_h, gap, label_w, chart_w = 22, 8, 150, 420
    height = len(data) * (bar_h + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="t-{id(rows)}" '
             f'width="{label_w + chart_w + 80}" height="{height}" viewBox="0 0 {label_w + chart_w + 80} {height}">',
             f'<title id="t-{id(rows)}">{html.escape(title)}</title>']
    for i, (label, value) in enumerate(data):
        y = 10 + i * (bar_h + gap)
        w = max(0.0, value) / top * chart_w
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="13">{html.escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#2b5c8a"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="13">${value:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font:16px/1.45 system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse;width:100%;margin:1rem 0}} th,td{{border-top:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}}
th{{background:#f4f4f4}} td.num{{text-align:right;font-variant-numeric:tabular-nums}} .note{{color:#555;font-size:.9rem}}
dt{{font-weight:bold;margin-top:.6rem}} dd{{margin-left:1.5rem}}
</style></head><body>
{body}
</body></html>
"""


def prices_html(prices: dict, md: BookMetadata) -> str:
    e = html.escape
    body = [f"<h1>Prices and royalties: {e(md.title)}</h1>",
            f'<p class="note">eBook file {e(prices["epub_mb"])} MB (the 70% plan\'s delivery charge is per MB); '
            f'paperback {prices["pages"]} pages, {e(prices["trim"])} in, {e(prices["paper"])} paper. Prices in other '
            f'stores are converted at rates as of {e(prices["exchange_rates_as_of"])} and rounded to local price '
            f'points; KDP converts them itself if you let it. Royalties are per sale, after VAT.</p>']
    if prices["ebook"]:
        body.append("<h2>eBook</h2><table><thead><tr><th>Store</th><th>List price</th><th>Delivery</th>"
                    "<th>35% royalty</th><th>70% royalty</th><th>70% applies</th><th>Counted on</th><th>Notes</th></tr></thead><tbody>")
        for r in prices["ebook"]:
            notes = " ".join(e(f["message"]) for f in r["flags"])
            body.append(f'<tr><td>{e(r["domain"])}</td><td class="num">{e(r["currency"])}&nbsp;{e(r["list_price"])}</td>'
                        f'<td class="num">{e(r["delivery_cost"] or "")}</td><td class="num">{e(r["royalty_35"] or "")}</td>'
                        f'<td class="num">{e(r["royalty_70"] or "—")}</td><td>{e(r["eligible_70"])}{" (needs KDP Select)" if r["conditions_70"] else ""}</td>'
                        f'<td class="num"><strong>{e(r["expected_royalty"] or "")}</strong> ({r["expected_plan"]}%)</td><td>{notes}</td></tr>')
        body.append("</tbody></table>")
        body.append("<h3>eBook royalty counted on per sale, in US dollars</h3>")
        body.append(_bar_chart(prices["ebook"], "eBook royalty counted on per sale, in US dollars"))
    if prices["paperback"]:
        body.append("<h2>Paperback</h2><table><thead><tr><th>Store</th><th>List price</th><th>Printing cost</th>"
                    "<th>Rate</th><th>Royalty</th><th>Lowest price</th><th>Notes</th></tr></thead><tbody>")
        for r in prices["paperback"]:
            notes = " ".join(e(f["message"]) for f in r["flags"])
            body.append(f'<tr><td>{e(r["domain"])}</td><td class="num">{e(r["currency"])}&nbsp;{e(r["list_price"])}</td>'
                        f'<td class="num">{e(r["printing_cost"] or "unknown")}</td><td class="num">{e(r["rate"] or "")}</td>'
                        f'<td class="num">{e(r["royalty"] or "unknown")}</td><td class="num">{e(r["min_list_price"] or "")}</td>'
                        f'<td>{notes}</td></tr>')
        body.append("</tbody></table>")
        body.append("<h3>Paperback royalty per sale, in US dollars</h3>")
        body.append(_bar_chart(prices["paperback"], "Paperback royalty per sale, in US dollars"))
    return _PAGE.format(title=e(f"Prices — {md.title}"), body="\n".join(body))


# ---- the readable metadata sheet -------------------------------------------------------

_LABELS = {
    "language": "Language", "title": "Book title", "subtitle": "Subtitle", "series": "Series",
    "edition_number": "Edition number", "contributors": "Author and contributors",
    "description_html": "Description", "publishing_rights": "Publishing rights",
    "primary_audience": "Primary audience", "primary_marketplace": "Primary marketplace",
    "keywords": "Keywords (7 slots)", "categories": "Categories", "publisher": "Publisher (imprint)",
    "publication_date": "Publication date", "low_content": "Low-content book",
    "ai_generated_content": "AI-generated content", "ebook": "Kindle eBook", "paperback": "Paperback",
    "rights_line": "Copyright line", "layout": "Layout computed for this kit",
}


def _value_html(value) -> str:
    e = html.escape
    if value is None or value == "":
        return '<span class="note">not set</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return '<span class="note">none</span>'
        return "<ol>" + "".join(f"<li>{_value_html(v)}</li>" for v in value) + "</ol>"
    if isinstance(value, dict):
        if set(value) == {"name", "role"}:
            return f"{e(str(value['name']))} — {e(str(value['role']))}"
        return "<dl>" + "".join(f"<dt>{e(str(k).replace('_', ' '))}</dt><dd>{_value_html(v)}</dd>"
                                for k, v in value.items()) + "</dl>"
    return e(str(value))


def metadata_html(meta: dict) -> str:
    e = html.escape
    rows = []
    for key, value in meta.items():
        label = _LABELS.get(key, key.replace("_", " ").capitalize())
        if key == "description_html" and value:
            shown = (f'<div class="description">{value}</div>'  # already cut down to KDP's safe tags
                     f'<details><summary>HTML to paste ({len(value)} of 4,000 characters)</summary>'
                     f'<pre>{e(value)}</pre></details>')
        elif key == "language" and isinstance(value, dict):
            shown = f"{e(str(value.get('name')))} ({e(str(value.get('code')))})"
        else:
            shown = _value_html(value)
        rows.append(f"<dt>{e(label)}</dt><dd>{shown}</dd>")
    body = (f"<h1>KDP setup sheet: {e(meta.get('title') or '')}</h1>"
            '<p class="note">Every field KDP asks for when you set up the eBook and the paperback, in the order '
            "of KDP's forms. Copy each value into the matching field.</p><dl>" + "".join(rows) + "</dl>")
    return _PAGE.format(title=e(f"KDP setup sheet — {meta.get('title') or ''}"), body=body)


# ---- checking a kit folder -------------------------------------------------------------


def inspect_kit(folder) -> dict:
    """Measure what is really in a kit folder: page and box sizes, image size, EPUB contents.
    Missing or unreadable files are reported as such rather than raised."""
    folder = Path(folder)
    info: dict[str, Any] = {"folder": str(folder), "missing": [n for n in KIT_FILES if not (folder / n).is_file()]}
    meta_path = folder / METADATA_JSON
    try:
        info["metadata"] = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else None
    except ValueError as exc:
        info["metadata"] = None
        info["metadata_error"] = str(exc)
    for name, key in ((INTERIOR, "interior"), (COVER, "cover")):
        path = folder / name
        if path.is_file():
            info[key] = _pdf_info(path)
    path = folder / EBOOK_COVER
    if path.is_file():
        try:
            from PIL import Image

            with Image.open(path) as im:
                info["ebook_cover"] = {"format": im.format, "mode": im.mode, "width": im.width, "height": im.height,
                                       "bytes": path.stat().st_size}
        except Exception as exc:  # noqa: BLE001 - an unreadable image is a finding, not a crash
            info["ebook_cover"] = {"error": str(exc)}
    path = folder / EPUB
    if path.is_file():
        info["epub"] = _epub_info(path)
    return info


def _pdf_info(path: Path) -> dict:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
    except Exception as exc:  # noqa: BLE001
        return {"error": f"{path.name} cannot be read as a PDF: {exc}"}
    sizes = []
    for page in reader.pages:
        media, trim = page.mediabox, page.trimbox
        sizes.append({"media_in": [round(float(media.width) / 72, 4), round(float(media.height) / 72, 4)],
                      "trim_in": [round(float(trim.width) / 72, 4), round(float(trim.height) / 72, 4)],
                      "bleed_in": [round(float(page.bleedbox.width) / 72, 4), round(float(page.bleedbox.height) / 72, 4)]})
    distinct = sorted({tuple(s["media_in"]) for s in sizes})
    return {"pages": len(sizes), "encrypted": reader.is_encrypted, "first": sizes[0] if sizes else None,
            "media_sizes_in": [list(s) for s in distinct], "bytes": path.stat().st_size}


def _epub_info(path: Path) -> dict:
    out: dict[str, Any] = {"bytes": path.stat().st_size}
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            out["mimetype_first"] = bool(names) and names[0] == "mimetype"
            out["has_ncx"] = any(n.endswith(".ncx") for n in names)
            out["has_nav"] = False
            out["images"] = []
            for n in names:
                low = n.lower()
                if low.endswith((".xhtml", ".html")):
                    text = zf.read(n).decode("utf-8", "replace")
                    if 'epub:type="toc"' in text or "epub:type='toc'" in text:
                        out["has_nav"] = True
                    out.setdefault("img_without_alt", 0)
                    out.setdefault("img_empty_alt", 0)
                    missing, empty = _imgs_without_alt(text)
                    out["img_without_alt"] += missing
                    out["img_empty_alt"] += empty
                    out.setdefault("html_toc", False)
                    if "toc" in low and "<a " in text and "nav" not in low:
                        out["html_toc"] = True
                elif low.endswith((".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp", ".svg")):
                    out["images"].append(_image_info(n, zf.read(n)))
            out.update(_spine_info(zf, names))
    except zipfile.BadZipFile as exc:
        out["error"] = f"{path.name} is not a ZIP container: {exc}"
    return out


def _spine_info(zf: zipfile.ZipFile, names: list[str]) -> dict:
    """Where the HTML table of contents sits in the reading order (KDP wants it near the start)."""
    from lxml import etree

    opf = next((n for n in names if n.endswith(".opf")), None)
    if opf is None:
        return {"spine_length": 0, "toc_spine_index": None}
    try:
        root = etree.fromstring(zf.read(opf))
    except etree.XMLSyntaxError:
        return {"spine_length": 0, "toc_spine_index": None}
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    base = opf.rsplit("/", 1)[0] + "/" if "/" in opf else ""
    items = {i.get("id"): i for i in root.iterfind(".//opf:manifest/opf:item", ns)}
    spine = [r.get("idref") for r in root.iterfind(".//opf:spine/opf:itemref", ns)]
    index = None
    for pos, idref in enumerate(spine):
        item = items.get(idref)
        if item is None:
            continue
        if "nav" in (item.get("properties") or "").split():
            index = pos
            break
        href = base + (item.get("href") or "")
        if href in names and 'epub:type="toc"' in zf.read(href).decode("utf-8", "replace"):
            index = pos
            break
    return {"spine_length": len(spine), "toc_spine_index": index}


def _imgs_without_alt(text: str) -> tuple[int, int]:
    """(images with no alt attribute, images with alt="" that marks them decorative)."""
    import re

    tags = re.findall(r"<img\b[^>]*>", text)
    missing = sum(1 for tag in tags if not re.search(r"\balt\s*=", tag))
    empty = sum(1 for tag in tags if re.search(r"\balt\s*=\s*(\"\"|'')", tag) and 'epub:type="cover"' not in tag
                and 'class="cover"' not in tag)
    return missing, empty


def _image_info(name: str, data: bytes) -> dict:
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as im:
            transparent = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
            return {"name": name, "format": im.format, "mode": im.mode, "width": im.width, "height": im.height,
                    "transparent": transparent, "animated": getattr(im, "is_animated", False)}
    except Exception:  # noqa: BLE001 - SVG and the like
        return {"name": name, "format": Path(name).suffix.lstrip(".").upper(), "mode": None}


def metadata_from_json(meta: dict) -> BookMetadata:
    """Read back the BookMetadata that metadata.json was written from (BookMetadata.to_dict)."""
    ebook, paperback = meta.get("ebook") or {}, meta.get("paperback") or {}
    audience = meta.get("primary_audience") or {}
    trim = paperback.get("trim")
    data = {
        "title": meta.get("title"), "subtitle": meta.get("subtitle"),
        "series": (meta.get("series") or {}).get("name"), "series_number": (meta.get("series") or {}).get("number"),
        "edition": meta.get("edition_number"), "contributors": meta.get("contributors") or [],
        "description_html": meta.get("description_html"),
        "keywords": [k for k in meta.get("keywords") or [] if k], "categories": meta.get("categories") or [],
        "language": (meta.get("language") or {}).get("code"),
        "reading_age_min": audience.get("reading_age_min"), "reading_age_max": audience.get("reading_age_max"),
        "sexually_explicit": audience.get("sexually_explicit"),
        "publication_date": meta.get("publication_date"), "publisher": meta.get("publisher"),
        "public_domain": meta.get("publishing_rights") == "public_domain",
        "isbn_ebook": ebook.get("isbn"), "isbn_paperback": paperback.get("isbn"),
        "price_usd": ebook.get("price_usd"), "kdp_select": ebook.get("kdp_select"),
        "trim": f"{trim['width_in']}x{trim['height_in']}" if trim else None,
        "paper": paperback.get("paper"), "bleed": paperback.get("bleed"),
        "cover_finish": paperback.get("cover_finish"), "paperback_price_usd": paperback.get("price_usd"),
        "primary_marketplace": meta.get("primary_marketplace"), "low_content": meta.get("low_content"),
        "ai_content": meta.get("ai_generated_content"),
    }
    return BookMetadata.from_front_matter({k: v for k, v in data.items() if v is not None})


def _epub_checks(info: dict | None) -> list[Check]:
    """KDP's Kindle Publishing Guidelines for the EPUB file (sheet §6.1, §6.3)."""
    src_nav = "https://kdp.amazon.com/en_US/help/topic/GY3AD8C6C6GAG42N (sheet §6.3)"
    src_img = "https://kdp.amazon.com/en_US/help/topic/G75V4YX5X8GRGXWV (sheet §6.3)"
    if info is None:
        return []
    if info.get("error"):
        return [Check("ebook.container", "fail", info["error"], "EPUB 3 (ISO/IEC 23736)")]
    out = [
        Check("ebook.ncx", "pass" if info.get("has_ncx") else "fail",
              "The eBook has an NCX table of contents, which Kindle shows as its menu." if info.get("has_ncx") else
              "The eBook has no NCX table of contents; KDP requires one for the Kindle menu.", src_nav),
        _html_toc_check(info, src_nav),
    ]
    missing_alt, empty_alt = info.get("img_without_alt", 0), info.get("img_empty_alt", 0)
    if missing_alt:
        out.append(Check("ebook.alt_text", "fail", f"{missing_alt} image(s) have no alt attribute; KDP asks for alt "
                         "text under 140 characters, or alt=\"\" for a purely decorative image.", src_img))
    elif empty_alt:
        out.append(Check("ebook.alt_text", "verify", f"{empty_alt} image(s) have empty alt text, which tells readers "
                         "they are decorative; if they carry meaning, describe them in the manuscript (Word: "
                         "“Edit Alt Text”; Markdown: the text in ![…]).", src_img))
    else:
        out.append(Check("ebook.alt_text", "pass", "Every image has alt text.", src_img))
    images = [i for i in info.get("images", []) if i.get("mode") is not None]
    bad_mode = [i["name"] for i in images if i["mode"] not in ("RGB", "L", "P")]
    transparent = [i["name"] for i in images if i.get("transparent")]
    bad_format = [i["name"] for i in images if i.get("format") not in ("JPEG", "PNG", "GIF")]
    out.append(Check("ebook.images_rgb", "pass" if not bad_mode else "fail",
                     f"All {len(images)} images are RGB." if not bad_mode else
                     f"These images are not RGB: {', '.join(bad_mode)}.", src_img))
    out.append(Check("ebook.images_transparency", "pass" if not transparent else "fail",
                     "No image uses transparency." if not transparent else
                     f"These images use transparency, which Kindle does not support: {', '.join(transparent)}.",
                     src_img))
    out.append(Check("ebook.images_format", "pass" if not bad_format else "fail",
                     "Images are JPEG, PNG or GIF, which Enhanced Typesetting accepts." if not bad_format else
                     f"Enhanced Typesetting accepts only GIF, JPEG and PNG: {', '.join(bad_format)}.", src_img))
    return out


def _html_toc_check(info: dict, src: str) -> Check:
    index, length = info.get("toc_spine_index"), info.get("spine_length") or 0
    if index is None:
        return Check("ebook.html_toc", "fail", "The eBook's reading order has no HTML table of contents; KDP wants "
                     "one made of links near the start of the book.", src)
    # "Near the start": before the first quarter of the book (the cover, title, copyright and
    # dedication pages may come first).
    near = index <= max(5, length // 4)
    return Check("ebook.html_toc", "pass" if near else "fail",
                 f"The table of contents is page {index + 1} of {length} in the reading order, near the start." if near
                 else f"The table of contents is page {index + 1} of {length} in the reading order; KDP wants it near "
                 "the start.", src)


def check_kit(folder, *, import_warnings: list[str] | None = None) -> Report:
    """The preflight of a kit folder: the engine's rules fed with measurements of the real files
    (page and box sizes read back with pypdf, the JPEG's pixels, the EPUB's contents).
    Used by build_kit and by `communique kdp preflight DIR`."""
    from . import preflight

    folder = Path(folder)
    info = inspect_kit(folder)
    meta = info.get("metadata")
    missing = [Check(f"kit.file.{name}", "fail", f"The kit has no {name}.", "Communiqué kit layout")
               for name in info["missing"] if name not in (PREFLIGHT_JSON, PREFLIGHT_HTML)]
    if meta is None:
        report = Report(title="KDP preflight")
        report.extend(missing)
        report.add(Check("kit.metadata", "fail", info.get("metadata_error") or "metadata.json is missing, so the "
                         "book's details cannot be checked.", "Communiqué kit layout"))
        return report
    try:
        md = metadata_from_json(meta)
    except MetadataError as exc:
        report = Report(title="KDP preflight")
        report.add(Check("kit.metadata", "fail", f"metadata.json has a bad value: {exc}.", "Communiqué kit layout"))
        return report
    layout = meta.get("layout") or {}
    interior = info.get("interior") or {}
    pages = interior.get("pages") or layout.get("pages")
    margins = None
    m = layout.get("margins_in") or {}
    if m.get("gutter_in") is not None:
        margins = geometry.Margins.of(*(Decimal(str(m[k])) for k in ("gutter_in", "outside_in", "top_in", "bottom_in")))
    elements = [geometry.CoverElement(e["name"], e["kind"], geometry.Rect.of(
        e["box"]["x"], e["box"]["y"], e["box"]["w"], e["box"]["h"]))
        for e in layout.get("cover_elements") or []]
    size_mb = Decimal(info["epub"]["bytes"]) / Decimal(1024 * 1024) if info.get("epub") else None
    interior_size = tuple(Decimal(str(x)) for x in interior["first"]["media_in"]) if interior.get("first") else None
    report = preflight.preflight(
        md, pages=pages, ebook_size_mb=size_mb, margins=margins, interior_size_in=interior_size,
        cover_pdf=folder / COVER if (folder / COVER).is_file() else None, cover_elements=elements,
        ebook_cover=folder / EBOOK_COVER if (folder / EBOOK_COVER).is_file() else None)
    report.extend(missing)
    sizes = interior.get("media_sizes_in") or []
    if len(sizes) > 1:
        report.add(Check("interior.page_size_uniform", "fail", f"The interior mixes page sizes ({sizes}); every "
                         "page must have the trim size.", facts.BLEED.source))
    if interior.get("encrypted") or (info.get("cover") or {}).get("encrypted"):
        report.add(Check("pdf.encrypted", "fail", "A PDF is encrypted; KDP rejects locked files.",
                         "https://kdp.amazon.com/help/topic/GYEKAVKMSE23PFTM (sheet §4.4)"))
    cover_pages = (info.get("cover") or {}).get("pages")
    if cover_pages is not None:
        report.add(Check("cover.single_page", "pass" if cover_pages == 1 else "fail",
                         "The cover PDF is one page holding back, spine and front." if cover_pages == 1 else
                         f"The cover PDF has {cover_pages} pages; KDP wants one page holding the whole wrap.",
                         facts.SRC_COVER))
    report.extend(_epub_checks(info.get("epub")))
    for w in import_warnings or []:
        report.add(Check("build.warning", "verify", f"Check this note from the build: {w}",
                         "Communiqué import and layout report"))
    return report
