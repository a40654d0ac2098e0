"""Issue 12 defect 12: the generated paperback cover is set in the interior's faces with a back
that is not empty, and an author can bring a finished cover (a full-wrap PDF checked against the
computed wrap size, or a front-only image)."""
from __future__ import annotations

import shutil
import subprocess

import pdfplumber
import pytest
from PIL import Image

from communique.kdp import cover_pdf, geometry, kit
from communique.kdp.tests.test_kit import write_small


def _pdffonts(path) -> str:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_generated_cover_uses_the_interior_faces_and_fills_the_back(tmp_path):
    out = tmp_path / "cover.pdf"
    render = cover_pdf.render_cover(out, trim="6x9", pages=120, paper="white", title="Small Hours",
                                    author="Rana Test", blurb="A book about listening.", language="en")
    fonts = _pdffonts(out)
    assert "Noto-Serif" in fonts and "DejaVu" not in fonts, fonts
    back = render.zones.back
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        words = [w["text"] for w in page.extract_words() if w["x1"] <= float(back.right) * 72]
    assert "Small" in words and "Rana" in words and "listening." in words


def test_front_only_image_gets_no_text_over_it(tmp_path):
    art = tmp_path / "front.jpg"
    Image.new("RGB", (1800, 2700), (120, 30, 30)).save(art, quality=90)
    out = tmp_path / "cover.pdf"
    render = cover_pdf.render_cover(out, trim="6x9", pages=120, paper="white", title="Small Hours",
                                    author="Rana Test", art=art, front_finished=True)
    names = {e.name for e in render.elements}
    assert "front_art" in names and not names & {"front_title", "front_author", "front_subtitle"}


def _blank_pdf(path, width_in, height_in):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=float(width_in) * 72, height=float(height_in) * 72)
    with open(path, "wb") as fh:
        writer.write(fh)


def test_finished_wrap_pdf_is_checked_against_the_computed_size(tmp_path):
    size = geometry.cover_size(geometry.Trim.parse("6x9"), 120, "white")
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    _blank_pdf(good, size.width, size.height)
    _blank_pdf(bad, float(size.width) - 0.5, size.height)
    used = cover_pdf.use_finished_cover(good, tmp_path / "cover.pdf", trim="6x9", pages=120, paper="white")
    assert used.pdf_path.read_bytes() == good.read_bytes()
    with pytest.raises(ValueError, match=r"KDP needs one page of"):
        cover_pdf.use_finished_cover(bad, tmp_path / "c2.pdf", trim="6x9", pages=120, paper="white")


def test_kit_ships_the_author_s_finished_wrap(tmp_path):
    src = write_small(tmp_path / "src")
    first = kit.build_kit(src, None, tmp_path / "kit1")
    size = geometry.cover_size(geometry.Trim.parse("5x8"), first.pages, "white")
    wrap = tmp_path / "designer-wrap.pdf"
    _blank_pdf(wrap, size.width, size.height)
    result = kit.build_kit(src, None, tmp_path / "kit2", cover_file=wrap)
    assert (result.out_dir / kit.COVER).read_bytes() == wrap.read_bytes()
    assert (result.out_dir / kit.EBOOK_COVER).is_file()
    checks = {c.rule_id: c for c in result.report.checks}
    assert not [c for rid, c in checks.items() if rid.startswith("cover.size") and c.status == "fail"]
