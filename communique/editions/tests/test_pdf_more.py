"""Print PDF: right-to-left books, the magazine issue, and image checks."""
from __future__ import annotations

import struct
import zlib

import pytest
from PIL import Image as PILImage
from pypdf import PdfReader

from communique.documents import model as m, transforms
from communique.editions.pdf import PdfWriter, samples
from communique.editions.pdf.check import PT, embedded_fonts, page_sizes, page_texts, words_by_page

from .test_pdf_book import _assert_inside_margins


def _arabic_script(text: str) -> int:
    return sum(1 for c in text if "\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff")


@pytest.fixture(scope="module")
def urdu(tmp_path_factory):
    doc = samples.book(chapters=2, paragraphs=8, language="ur")
    path = tmp_path_factory.mktemp("pdf") / "urdu.pdf"
    report = PdfWriter().write(doc, path, {"trim": "5.5x8.5", "workers": 2, "chunk_words": 300})
    return doc, path, report


def test_rtl_book_text_is_extractable_and_in_nastaliq(urdu):
    doc, path, report = urdu
    texts = page_texts(path)
    body = "".join(texts[report.stats["start_pages"]["ch1"] - 1:])
    assert _arabic_script(body) > 500
    fonts = embedded_fonts(path)
    assert all(fonts.values()), fonts
    assert any("Nastaliq" in name for name in fonts), fonts
    assert PdfReader(path).trailer["/Root"]["/Lang"] == "ur"
    assert len(texts) % 2 == 0


def test_rtl_recto_is_the_left_hand_page(urdu):
    # In a right-to-left book the spine is on the right of a recto, so its gutter is the right margin.
    _, path, report = urdu
    _assert_inside_margins(path, report, rtl=True)
    g = report.stats["geometry"]
    opening = words_by_page(path)[report.stats["start_pages"]["ch1"] - 1]
    right_margin = g["page_width_in"] * PT - max(w["x1"] for w in opening)
    assert right_margin == pytest.approx(g["gutter_in"] * PT, abs=6)


@pytest.fixture(scope="module")
def magazine(tmp_path_factory):
    # As editions.services builds a printed issue: the contents from the matter transform.
    doc = transforms.run(samples.issue(articles=3, paragraphs=10), ["matter"],
                         {"matter": {"medium": "print", "pages": ["contents"]}})
    path = tmp_path_factory.mktemp("pdf") / "issue.pdf"
    report = PdfWriter().write(doc, path)
    return doc, path, report


def test_magazine_is_a4_with_cover_and_contents(magazine):
    doc, path, report = magazine
    for w, h in page_sizes(path):
        assert (w, h) == (pytest.approx(595.28, abs=0.1), pytest.approx(841.89, abs=0.1))
    texts = page_texts(path)
    assert texts[0].startswith(doc.meta.title)
    titles = [d.title for d in doc.divisions if d.kind == "article"]
    contents = next(t for t in texts if "Contents" in t)
    # contents lines read "LABEL Title Author N"; match on the title
    printed = {}
    for line in contents.splitlines():
        for d in doc.divisions[1:]:
            if d.title in line:
                printed[d.title] = int(line.split()[-1])
    assert set(printed) == set(titles)
    for d in doc.divisions[1:]:
        start = printed[d.title]
        assert start == report.stats["start_pages"][d.id]
        assert d.title.split(":")[0] in texts[start - 1]


def test_magazine_running_heads_bios_columns_and_tags(magazine):
    doc, path, report = magazine
    pages = words_by_page(path)
    texts = page_texts(path)
    starts = sorted((report.stats["start_pages"][d.id], d) for d in doc.divisions if d.kind == "article")
    for n, (start, d) in enumerate(starts):
        end = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(pages)
        # the section label is the running head on the article's pages after the first
        for number in range(start + 1, end + 1):
            head = " ".join(w["text"] for w in pages[number - 1] if w["bottom"] < 20 * PT / 25.4)
            assert d.section_label in head, (number, head)
        # the author's bio comes after the article's text, before the next article
        bio_start = " ".join(d.contributors[0].bio.split()[:3])
        bio_pages = [i + 1 for i, t in enumerate(texts) if bio_start in " ".join(t.split())]
        assert bio_pages and start <= bio_pages[-1] <= end
    # two columns: on an article page, words start both left and right of the middle on one line
    page = pages[starts[0][0] - 1]
    mid = 595.28 / 2
    lines = {}
    for w in page:
        lines.setdefault(round(w["top"]), []).append(w)
    assert any(min(w["x0"] for w in ws) < mid - 20 and max(w["x0"] for w in ws) > mid + 5 for ws in lines.values())
    root = PdfReader(path).trailer["/Root"]
    assert "/StructTreeRoot" in root  # magazines are tagged by default


def _png(path, size, color=(30, 60, 90)):
    PILImage.new("RGB", size, color).save(path)
    return path


def _png_header_claiming(path, width, height):
    """A PNG whose header says width × height but whose data is tiny: a decompression bomb's
    first bytes, without spending memory to make one."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


def test_images_checked_for_print(tmp_path):
    good = _png(tmp_path / "good.png", (1800, 1200))  # 1800 px over a ~4.3 in text block: > 300 DPI
    low = _png(tmp_path / "low.png", (300, 200))
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    bomb = _png_header_claiming(tmp_path / "bomb.png", 20_000, 20_000)
    missing = tmp_path / "missing.png"
    doc = samples.book(chapters=1, paragraphs=3)
    for p in (good, low, corrupt, bomb, missing):
        doc.divisions[0].blocks.append(m.Image(p, alt=p.stem, caption=f"Figure {p.stem}"))
    out = tmp_path / "images.pdf"
    report = PdfWriter().write(doc, out, {"trim": "6x9", "workers": 1})
    messages = {w.where: w.message for w in report.warnings}
    assert "DPI" in messages[f"image {low}"] and "300" in messages[f"image {low}"]
    assert "cannot be read" in messages[f"image {corrupt}"]
    assert "20000 × 20000" in messages[f"image {bomb}"] and "refused" in messages[f"image {bomb}"]
    assert "not found" in messages[f"image {missing}"]
    assert f"image {good}" not in messages
    # the two readable images are in the PDF; the others are replaced by their captions
    # (WeasyPrint shares one resource dictionary between pages, so count distinct images)
    images = {img.name for p in PdfReader(out).pages for img in p.images}
    assert len(images) == 2
    text = "".join(page_texts(out))
    assert "[Figure missing]" in text and "[Figure bomb]" in text
    _assert_inside_margins(out, report)
