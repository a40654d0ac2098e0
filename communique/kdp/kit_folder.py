"""Inspecting a kit folder and checking it: what is really in the files (page and box sizes with
pypdf, the JPEG's pixels, the EPUB's contents), fed to the preflight with the prices the kit ships.
Used by build_kit and by `communique kdp preflight DIR`."""
from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import facts, geometry
from .kit_layout import (COVER, EBOOK_COVER, EPUB, INTERIOR, KIT_FILES, METADATA_JSON, PREFLIGHT_HTML,
                         PREFLIGHT_JSON, PRICES_JSON)
from .metadata import BookMetadata, MetadataError
from .report import Check, Report


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
    return BookMetadata.from_dict(meta)


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


def _shipped_prices(folder: Path) -> dict[str, dict[str, Decimal]]:
    """The prices the kit ships (prices.json), so the preflight checks those and no others."""
    path = folder / PRICES_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        return {}
    out = {}
    for fmt in ("ebook", "paperback"):
        rows = [r for r in data.get(fmt) or [] if r.get("list_price") is not None]
        if rows:
            out[fmt] = {r["marketplace"]: Decimal(str(r["list_price"])) for r in rows}
    return out


def _rates_check(folder: Path) -> Check | None:
    """How old the exchange rates behind the converted prices are: old rates are to verify."""
    from datetime import date

    from .rates import STALE_AFTER_DAYS

    path = folder / PRICES_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:
        return None
    rows = [r for fmt in ("ebook", "paperback") for r in data.get(fmt) or []]
    converted = [r for r in rows if r.get("price_source") == "converted"]
    if not converted or not data.get("exchange_rates_as_of"):
        return None
    as_of = date.fromisoformat(data["exchange_rates_as_of"])
    age = (date.today() - as_of).days
    src = "Communiqué exchange rates (typed in by the editors; KDP converts with its own)"
    if age > STALE_AFTER_DAYS:
        return Check("price.exchange_rates", "verify",
                     f"{len(converted)} converted price(s) use exchange rates as of {as_of.isoformat()}, {age} days "
                     f"old (more than {STALE_AFTER_DAYS}). Ask the editors to update the rates and build again, or "
                     "set those stores' prices yourself.", src)
    return Check("price.exchange_rates", "pass",
                 f"Converted prices use exchange rates as of {as_of.isoformat()} ({age} days old).", src)


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
    shipped = _shipped_prices(folder)
    report = preflight.preflight(
        md, pages=pages, ebook_size_mb=size_mb, margins=margins, interior_size_in=interior_size,
        ebook_prices=shipped.get("ebook"), paperback_prices=shipped.get("paperback"),
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
    rates_check = _rates_check(folder)
    if rates_check is not None:
        report.add(rates_check)
    for w in import_warnings or []:
        report.add(Check("build.warning", "verify", f"Check this note from the build: {w}",
                         "Communiqué import and layout report"))
    return report
