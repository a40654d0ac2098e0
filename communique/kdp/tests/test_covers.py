"""Rendering tests: read the PDF page size back with pypdf and the JPEG with Pillow."""

from decimal import Decimal as D

import pytest
from PIL import Image
from pypdf import PdfReader

from communique.kdp.cover_pdf import render_cover
from communique.kdp.ebook_cover import CoverArtError, make_ebook_cover
from communique.kdp.geometry import cover_size
from communique.kdp.preflight import check_cover, check_ebook_cover, pdf_page_size_in


@pytest.mark.parametrize("trim,pages,paper", [("6x9", 300, "white"), ("5x8", 60, "cream"), ("8.5x11", 500, "premium_color")])
def test_cover_pdf_page_is_the_wrap_size(tmp_path, trim, pages, paper):
    out = render_cover(tmp_path / "cover.pdf", trim=trim, pages=pages, paper=paper, title="The Long Road",
                       author="Ana Lima", subtitle="Essays", blurb="First.\n\nSecond.", png_path=tmp_path / "p.png")
    box = PdfReader(out.pdf_path).pages[0].mediabox
    want = cover_size(trim, pages, paper)
    assert float(box.width) == pytest.approx(float(want.width) * 72, abs=0.01)
    assert float(box.height) == pytest.approx(float(want.height) * 72, abs=0.01)
    assert len(PdfReader(out.pdf_path).pages) == 1
    with Image.open(out.png_path) as im:
        # pdfium rounds partial pixels up, so allow one pixel
        assert abs(im.size[0] - float(want.width) * 100) <= 1 and abs(im.size[1] - float(want.height) * 100) <= 1
    names = {e.name for e in out.elements}
    assert ("spine_text" in names) == (pages >= 79)
    checks = {c.rule_id: c.status for c in check_cover(trim, pages, paper, size_in=pdf_page_size_in(out.pdf_path),
                                                       elements=out.elements)}
    assert checks == {"cover.size": "pass", "cover.spine_text": "pass", "cover.barcode": "pass",
                      "cover.safe_zone": "pass"}


def test_cover_pdf_has_the_text(tmp_path):
    out = render_cover(tmp_path / "c.pdf", trim="6x9", pages=200, paper="white", title="Unusual Title",
                       author="Ana Lima", blurb="Back cover words.")
    text = PdfReader(out.pdf_path).pages[0].extract_text()
    for words in ("Unusual Title", "Ana Lima", "Back cover words."):
        assert words in text


def test_spine_text_refused_below_79_pages(tmp_path):
    with pytest.raises(ValueError, match="79 pages"):
        render_cover(tmp_path / "c.pdf", trim="6x9", pages=78, paper="white", title="T", author="A", spine_text=True)


def test_cover_art_is_used_and_low_resolution_warned(tmp_path):
    art = tmp_path / "art.png"
    Image.new("RGB", (600, 900), "#c8553d").save(art)
    out = render_cover(tmp_path / "c.pdf", trim="6x9", pages=120, paper="white", title="T", author="A", art=art)
    assert any(e.name == "front_art" and e.kind == "background" for e in out.elements)
    assert out.warnings and "DPI" in out.warnings[0]


def test_typographic_ebook_cover(tmp_path):
    res = make_ebook_cover(tmp_path / "cover.jpg", title="The Long Road", author="Ana Lima")
    with Image.open(res.path) as im:
        assert im.format == "JPEG" and im.size == (1600, 2560) and im.mode == "RGB"
    assert all(c.status == "pass" for c in check_ebook_cover(res.path))


def test_art_is_scaled_and_cropped(tmp_path):
    art = tmp_path / "wide.png"
    Image.new("RGBA", (3000, 2000), (255, 0, 0, 128)).save(art)
    res = make_ebook_cover(tmp_path / "cover.jpg", art=art)
    with Image.open(res.path) as im:
        assert im.size == (1600, 2560) and im.mode == "RGB"
    assert any("cropped" in w for w in res.warnings)


def test_art_too_large_or_too_small_is_refused(tmp_path):
    big = tmp_path / "big.png"
    Image.new("L", (10001, 10), 0).save(big)
    with pytest.raises(CoverArtError, match="at most 10000"):
        make_ebook_cover(tmp_path / "c.jpg", art=big)
    small = tmp_path / "small.png"
    Image.new("RGB", (500, 800), "white").save(small)
    with pytest.raises(CoverArtError, match="minimum"):
        make_ebook_cover(tmp_path / "c.jpg", art=small)


def test_light_cover_gets_a_border(tmp_path):
    res = make_ebook_cover(tmp_path / "c.jpg", title="T", author="A", background="#ffffff")
    with Image.open(res.path) as im:
        r, g, b = im.getpixel((1, 1))
    assert r < 200 and any("border" in w for w in res.warnings)
