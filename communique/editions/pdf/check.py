"""The print PDF's validator side: read a built PDF back (page sizes, word boxes, fonts, running
heads, contents). Used by the tests; needs pdfplumber (the `test` extra)."""
from __future__ import annotations

import re

from pypdf import PdfReader


def _plumber():
    import pdfplumber

    return pdfplumber

PT = 72  # points per inch


def words_by_page(path) -> list[list[dict]]:
    with _plumber().open(path) as pdf:
        return [p.extract_words(keep_blank_chars=False, use_text_flow=False) for p in pdf.pages]


def page_texts(path) -> list[str]:
    with _plumber().open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def page_sizes(path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(path).pages]


def embedded_fonts(path) -> dict[str, bool]:
    """{BaseFont: has /FontFile, /FontFile2 or /FontFile3} for every font used on any page."""
    out = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            out[str(font.get("/BaseFont"))] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def top_text(words: list[dict], limit_pt: float) -> str:
    return " ".join(w["text"] for w in words if w["bottom"] <= limit_pt)


def contents_numbers(text: str, titles: list[str]) -> dict[str, int]:
    """Page number printed after each title on the contents page."""
    found = {}
    for line in text.splitlines():
        for title in titles:
            if line.strip().startswith(title):
                m = re.search(r"(\d+)\s*$", line)
                if m:
                    found[title] = int(m.group(1))
    return found
