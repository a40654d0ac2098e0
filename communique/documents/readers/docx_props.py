"""What mammoth does not tell the DOCX reader, read from the package itself: the section named in
the document's properties (Category, or a short Subject), and which tables have a header row.

A header row is one Word marks as "Repeat as header row" (w:tblHeader), or a first row that
reads as bold: every run bold by direct formatting, or the table's style makes its first row bold
and the table has the style's "Header Row" option on (w:tblLook firstRow). mammoth only knows the
first of these, so without this every imported table had no header (and an accessibility
warning)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
MAX_PART = 64 * 1024 * 1024


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _on(el) -> bool:
    """A Word toggle property: present and not switched off (w:val="0"/"false"/"off")."""
    return el is not None and (el.get(_w("val")) or "true").lower() not in ("0", "false", "off", "none")


def _part(z: zipfile.ZipFile, name: str):
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART:
        return None
    try:
        return etree.fromstring(z.read(info), _PARSER)
    except etree.XMLSyntaxError:
        return None


def section_from_properties(path: Path) -> str:
    """The category (File ▸ Properties ▸ Category) or, failing that, a short subject."""
    try:
        with zipfile.ZipFile(path) as z:
            root = _part(z, "docProps/core.xml")
    except (zipfile.BadZipFile, OSError):
        return ""
    if root is None:
        return ""
    for xpath, limit in (("cp:category", 80), ("dc:subject", 60)):
        el = root.find(xpath, CORE)
        text = " ".join((el.text or "").split()) if el is not None else ""
        if text and len(text) <= limit:
            return text
    return ""


def _bold_first_row_styles(styles) -> set[str]:
    """Table styles whose first-row formatting is bold, following basedOn."""
    if styles is None:
        return set()
    by_id = {s.get(_w("styleId")): s for s in styles.iter(_w("style")) if s.get(_w("type")) == "table"}

    def bold(style_id, depth=0):
        s = by_id.get(style_id)
        if s is None or depth > 10:
            return False
        for pr in s.iter(_w("tblStylePr")):
            if pr.get(_w("type")) == "firstRow":
                b = pr.find(f"{_w('rPr')}/{_w('b')}")
                if b is not None:
                    return _on(b)
        based = s.find(_w("basedOn"))
        return bold(based.get(_w("val")), depth + 1) if based is not None else False

    return {sid for sid in by_id if bold(sid)}


def _cell_all_bold(tc) -> bool:
    runs = [r for r in tc.iter(_w("r")) if "".join(t.text or "" for t in r.iter(_w("t"))).strip()]
    return bool(runs) and all(_on(r.find(f"{_w('rPr')}/{_w('b')}")) for r in runs)


def header_rows(path: Path) -> list[bool]:
    """For each top-level table of the body, in order: does its first row head the table?"""
    try:
        with zipfile.ZipFile(path) as z:
            doc = _part(z, "word/document.xml")
            styles = _part(z, "word/styles.xml")
    except (zipfile.BadZipFile, OSError):
        return []
    if doc is None:
        return []
    bold_styles = _bold_first_row_styles(styles)
    out = []
    for tbl in doc.iter(_w("tbl")):
        if any(a.tag == _w("tbl") for a in tbl.iterancestors()):
            continue  # nested tables are read as part of their cell
        rows = tbl.findall(_w("tr"))
        if len(rows) < 2:
            out.append(False)
            continue
        first = rows[0]
        repeat = _on(first.find(f"{_w('trPr')}/{_w('tblHeader')}"))
        cells = first.findall(_w("tc"))
        direct_bold = bool(cells) and all(_cell_all_bold(tc) for tc in cells) and not all(
            _cell_all_bold(tc) for tc in rows[1].findall(_w("tc")))
        style_el = tbl.find(f"{_w('tblPr')}/{_w('tblStyle')}")
        look = tbl.find(f"{_w('tblPr')}/{_w('tblLook')}")
        look_first = False
        if look is not None:
            if look.get(_w("firstRow")) is not None:
                look_first = look.get(_w("firstRow")) in ("1", "true", "on")
            else:
                try:
                    look_first = bool(int(look.get(_w("val")) or "0", 16) & 0x0020)
                except ValueError:
                    look_first = False
        styled = look_first and style_el is not None and style_el.get(_w("val")) in bold_styles
        out.append(repeat or direct_bold or styled)
    return out
