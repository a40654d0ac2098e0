"""Full-wrap paperback cover: a one-page PDF sized to the wrap, plus a PNG preview.

The page is HTML/CSS rendered by WeasyPrint. Every element is placed in an absolutely
positioned box computed from :func:`geometry.cover_zones`, with ``overflow: hidden``, so the
boxes returned in :class:`CoverRender.elements` bound what is drawn and the preflight can
check them against the barcode box and safe zones without re-reading the PDF.

WeasyPrint has no PNG output since v53, so the preview rasterises the PDF with pypdfium2
and draws the trim, fold, safe-zone and barcode guides on top.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import facts
from .geometry import CoverElement, CoverZones, Rect, Trim, cover_zones, to_pt

D = Decimal


@dataclass
class CoverRender:
    pdf_path: Path
    png_path: Path | None
    zones: CoverZones
    elements: list[CoverElement]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "pdf": str(self.pdf_path), "png": str(self.png_path) if self.png_path else None,
            "zones": self.zones.to_dict(), "elements": [e.to_dict() for e in self.elements],
            "warnings": self.warnings,
        }


def _css_box(r: Rect) -> str:
    return f"left:{r.x:f}in;top:{r.y:f}in;width:{r.w:f}in;height:{r.h:f}in;"


def _title_pt(title: str, width_in: Decimal) -> float:
    # Longer titles get smaller type so they wrap into a few lines; a heuristic, not a rule.
    per = 0.12 if len(title) <= 12 else 0.09 if len(title) <= 30 else 0.065
    return round(float(width_in) * 72 * per, 1)


def _layout(z: CoverZones, *, has_subtitle: bool, has_blurb: bool, spine_text: bool, art: bool,
            barcode_box: bool, front_finished: bool = False) -> list[CoverElement]:
    full = z.full
    fs, bs = z.front_safe, z.back_safe
    third = fs.h / 3
    els = [CoverElement("background", "background", full)]
    if art:
        # Art fills the front panel out to the bleed edge; it is background, so exempt from the safe zone.
        els.append(CoverElement("front_art", "background", Rect(z.front.x, D(0), full.w - z.front.x, full.h)))
    if not front_finished:  # a designer's finished front already carries title and author
        els.append(CoverElement("front_title", "text", Rect(fs.x, fs.y + fs.h / 12, fs.w, third)))
        if has_subtitle:
            els.append(CoverElement("front_subtitle", "text", Rect(fs.x, fs.y + fs.h / 12 + third, fs.w, fs.h / 8)))
        author_h = min(D("0.9"), fs.h / 8)
        els.append(CoverElement("front_author", "text", Rect(fs.x, fs.bottom - author_h, fs.w, author_h)))
    if spine_text:
        els.append(CoverElement("spine_text", "text", z.spine_safe))
    # The back carries the title and author at the head, then the blurb: never an empty panel.
    back_head = min(D("1.1"), bs.h / 6)
    els.append(CoverElement("back_title", "text", Rect(bs.x, bs.y, bs.w, back_head)))
    if has_blurb:
        # Stop above the barcode box under every reading of its offset (sheet §5, [CONFLICT]).
        top_of_barcode = min(cover_zones(z.size.trim, z.size.pages, z.size.paper, barcode_offset=o).barcode.y
                             for o in facts.BARCODE_OFFSET.readings)
        gap = D("0.125")
        top = bs.y + back_head + gap
        els.append(CoverElement("back_blurb", "text", Rect(bs.x, top, bs.w, top_of_barcode - gap - top)))
    if barcode_box:
        els.append(CoverElement("barcode", "barcode", z.barcode))
    return els


def cover_html(
    z: CoverZones,
    elements: list[CoverElement],
    *,
    title: str,
    author: str,
    subtitle: str = "",
    blurb: str = "",
    background: str = "#1d3557",
    ink: str = "#f1faee",
    art_uri: str | None = None,
    language: str = "en",
) -> str:
    """The HTML page for a wrap; one absolutely placed div per element, set in the interior's
    faces for the book's language (the shipped Noto fonts, not the host's fallbacks)."""
    from communique.documents.languages import direction_for
    from communique.editions.fonts import body_family
    from communique.editions.pdf.html import font_face_css

    faces = font_face_css(language)
    serif = body_family(language)
    e = html.escape
    width_pt = float(to_pt(z.front.w))
    parts = []
    for el in elements:
        r = el.box
        if el.name == "background":
            parts.append(f'<div style="{_css_box(r)}background:{e(background)}"></div>')
        elif el.name == "front_art":
            parts.append(f'<div style="{_css_box(r)}background:url(\'{e(art_uri or "")}\') center/cover no-repeat"></div>')
        elif el.name == "front_title":
            parts.append(f'<div class="t title" style="{_css_box(r)}font-size:{_title_pt(title, z.front.w)}pt">'
                         f"{e(title)}</div>")
        elif el.name == "front_subtitle":
            parts.append(f'<div class="t sub" style="{_css_box(r)}font-size:{round(width_pt * 0.045, 1)}pt">'
                         f"{e(subtitle)}</div>")
        elif el.name == "front_author":
            parts.append(f'<div class="t author" style="{_css_box(r)}font-size:{round(width_pt * 0.05, 1)}pt">'
                         f"{e(author)}</div>")
        elif el.name == "spine_text":
            # Laid out horizontally in a box the spine's length, then turned 90° clockwise so it
            # reads top to bottom (the usual English-language spine).
            length, thick = r.h, r.w
            cx, cy = r.x + r.w / 2, r.y + r.h / 2
            pre = Rect(cx - length / 2, cy - thick / 2, length, thick)
            size = min(float(to_pt(thick)) * 0.55, 14.0)
            parts.append(f'<div class="t spine" style="{_css_box(pre)}font-size:{size:.1f}pt;'
                         f'line-height:{float(to_pt(thick)):.2f}pt;transform:rotate(90deg)">'
                         f'<b>{e(title)}</b>&#8195;{e(author)}</div>')
        elif el.name == "back_title":
            parts.append(f'<div class="t back-title" style="{_css_box(r)}"><b>{e(title)}</b><br>{e(author)}</div>')
        elif el.name == "back_blurb":
            paras = "".join(f"<p>{e(p.strip())}</p>" for p in blurb.split("\n\n") if p.strip())
            parts.append(f'<div class="t blurb" style="{_css_box(r)}">{paras}</div>')
        elif el.name == "barcode":
            parts.append(f'<div style="{_css_box(r)}background:#fff"></div>')
    lang = e(language or "en")
    return f"""<!doctype html><html lang="{lang}" dir="{direction_for(language or 'en')}"><head><meta charset="utf-8"><style>
{faces}
@page {{ size: {z.size.width:f}in {z.size.height:f}in; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
div {{ position: absolute; overflow: hidden; box-sizing: border-box }}
.t {{ color: {e(ink)}; text-align: center; display: flex }}
.title {{ font-family: {serif}; font-weight: bold; line-height: 1.15;
          align-items: center; justify-content: center }}
.sub {{ font-family: {serif}; line-height: 1.25; justify-content: center }}
.author {{ font-family: {serif}; align-items: flex-end; justify-content: center }}
.spine {{ font-family: {serif}; white-space: nowrap; display: block }}
.back-title {{ font-family: {serif}; font-size: 14pt; line-height: 1.3; display: block;
               border-bottom: 0.75pt solid {e(ink)}; padding-bottom: 0.1in }}
.blurb {{ font-family: {serif}; font-size: 11pt; line-height: 1.4; text-align: start; display: block }}
.blurb p {{ margin: 0 0 0.6em 0 }}
</style></head><body>{"".join(parts)}</body></html>"""


def render_cover(
    out_pdf: str | Path,
    *,
    trim: Trim | str,
    pages: int,
    paper: str,
    title: str,
    author: str,
    subtitle: str = "",
    blurb: str = "",
    background: str = "#1d3557",
    ink: str = "#f1faee",
    art: str | Path | None = None,
    spine_text: bool | None = None,
    barcode_box: bool = True,
    language: str = "en",
    front_finished: bool = False,
    png_path: str | Path | None = None,
    preview_dpi: int = 100,
    guides: bool = True,
) -> CoverRender:
    """Write the cover PDF (and a PNG preview if ``png_path``); return the boxes used.

    ``spine_text`` defaults to "on when KDP allows it" (79 pages or more, sheet §5); asking for
    it on a thinner book raises ValueError rather than making a cover KDP would reject.
    """
    from weasyprint import HTML

    z = cover_zones(trim, pages, paper)
    allowed = z.spine_text_allowed
    if spine_text is None:
        spine_text = allowed
    if spine_text and not allowed:
        raise ValueError(f"KDP allows spine text only from {facts.SPINE_TEXT_MIN_PAGES.value} pages; "
                         f"this book has {pages}.")
    warnings: list[str] = []
    art_uri = None
    if art is not None:
        art_path = Path(art).resolve()
        art_uri = art_path.as_uri()
        warnings += _art_warnings(art_path, z)
    elements = _layout(z, has_subtitle=bool(subtitle), has_blurb=bool(blurb), spine_text=spine_text,
                       art=art is not None, barcode_box=barcode_box, front_finished=front_finished)
    page = cover_html(z, elements, title=title, author=author, subtitle=subtitle, blurb=blurb,
                      background=background, ink=ink, art_uri=art_uri, language=language)
    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=page, base_url=str(out_pdf.parent)).write_pdf(out_pdf)
    png = render_preview_png(out_pdf, png_path, dpi=preview_dpi, zones=z if guides else None) if png_path else None
    return CoverRender(out_pdf, png, z, elements, warnings)


def _art_warnings(path: Path, z: CoverZones) -> list[str]:
    from PIL import Image

    with Image.open(path) as im:
        w, h = im.size
    need_w = float(z.size.width - z.front.x) * facts.PRINT_DPI.value
    need_h = float(z.size.height) * facts.PRINT_DPI.value
    dpi = min(w / need_w, h / need_h) * facts.PRINT_DPI.value
    if dpi < facts.PRINT_DPI.value:
        return [f"The front art is about {dpi:.0f} DPI at print size; KDP asks for at least "
                f"{facts.PRINT_DPI.value} DPI (source: {facts.PRINT_DPI.source})."]
    return []


def use_finished_cover(source: str | Path, out_pdf: str | Path, *, trim: Trim | str, pages: int, paper: str,
                       png_path: str | Path | None = None, preview_dpi: int = 100) -> CoverRender:
    """A designer's full-wrap PDF, used as the kit's cover.pdf. Its size is measured against the
    wrap KDP computes for this trim, page count and paper; a wrong size is a clear error, not a
    cover KDP would reject after upload."""
    import shutil

    from pypdf import PdfReader

    z = cover_zones(trim, pages, paper)
    try:
        reader = PdfReader(str(source))
        box = reader.pages[0].mediabox
        n_pages = len(reader.pages)
    except Exception as exc:  # noqa: BLE001 - any unreadable upload is the author's problem to fix
        raise ValueError(f"The cover file {Path(source).name} cannot be read as a PDF: {exc}") from None
    width, height = D(str(round(float(box.width) / 72, 4))), D(str(round(float(box.height) / 72, 4)))
    tol = facts.COVER_SIZE_TOLERANCE_IN.value
    if n_pages != 1 or abs(width - z.size.width) > tol or abs(height - z.size.height) > tol:
        raise ValueError(
            f"The cover PDF {Path(source).name} is {width:f} × {height:f} in on {n_pages} page(s); for {pages} pages on {paper} paper "
            f"KDP needs one page of {z.size.width.quantize(D('0.001')):f} × {z.size.height.quantize(D('0.001')):f} in "
            "(back, spine and front with bleed).")
    out_pdf = Path(out_pdf)
    shutil.copyfile(source, out_pdf)
    png = render_preview_png(out_pdf, png_path, dpi=preview_dpi, zones=z) if png_path else None
    return CoverRender(out_pdf, png, z, [], [])


def render_preview_png(pdf_path: str | Path, png_path: str | Path, *, dpi: int = 100,
                       zones: CoverZones | None = None) -> Path:
    """Rasterise page 1 of the PDF; with ``zones``, draw guides: trim (cyan), folds (magenta),
    safe areas (green), barcode box (orange). Guides are on the preview only, never the PDF."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("The PNG preview needs pypdfium2 (pip install pypdfium2).") from exc
    from PIL import ImageDraw

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        image = doc[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    if zones is not None:
        draw = ImageDraw.Draw(image)

        def box(r: Rect, colour: str, width: int = 2):
            px = [round(float(v) * dpi) for v in (r.x, r.y, r.right, r.bottom)]
            draw.rectangle(px, outline=colour, width=width)

        box(Rect(zones.back.x, zones.back.y, zones.front.right - zones.back.x, zones.back.h), "#00bcd4")
        for x in (zones.spine.x, zones.spine.right):
            px = round(float(x) * dpi)
            draw.line((px, 0, px, image.height), fill="#e91e63", width=2)
        for r in (zones.back_safe, zones.front_safe, zones.spine_safe):
            box(r, "#4caf50", 1)
        box(zones.barcode, "#ff9800", 2)
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    image.save(png_path, "PNG")
    return png_path
