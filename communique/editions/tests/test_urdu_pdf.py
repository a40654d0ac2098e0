"""Issue 12 defect 3, the Urdu PDF: Nastaliq headline lines clear of one another, body leading
tall enough for Nastaliq, embedded English kept whole (bidi isolation), no synthetic italics."""
from __future__ import annotations

import pdfplumber
import pytest

from communique.documents import model as m
from communique.editions import registry
from communique.editions.pdf.bidi import isolate_latin

HEADLINE = "پاکستان اور چین کے درمیان اقتصادی راہداری کے نئے مرحلے پر مذاکرات اور علاقائی امن"
SENTENCE = "پاکستان اور چین کے درمیان تعلقات بہت پرانے ہیں اور دونوں ملک امن کے لیے کام کرتے ہیں۔ "


def _urdu_article() -> m.Document:
    meta = m.Metadata(title="مکالمہ", language="ur", date="2026-05-01")
    body = [
        m.Paragraph([m.Text(SENTENCE * 6)]),
        m.Paragraph([m.Text("اجلاس میں "), m.Text("United Nations Security Council (UNSC)"),
                     m.Text(" کے نمائندے شریک تھے۔ "), m.Emph([m.Text("امن")]), m.Text(" " + SENTENCE * 4)]),
    ]
    article = m.Division(kind="article", title=HEADLINE, blocks=body, section_label="خارجہ امور",
                         contributors=[m.Contributor("علی احمد", "author")])
    return m.Document(meta=meta, divisions=[article])


@pytest.fixture(scope="module")
def layout():
    """The laid-out pages of the Urdu article, as the PDF writer lays them out."""
    from communique.editions.pdf.chunks import render_html
    from communique.editions.pdf.writer import PdfWriter
    from communique.editions.registry import BuildReport

    doc = _urdu_article()
    writer = PdfWriter()
    builder = writer._builder(doc, "magazine", None, BuildReport(None, "pdf"))
    _, units = builder.units()
    html = builder.page("\n".join(u.html for u in units))
    return html, render_html(writer._job(doc, "magazine", None, {}), html)


def _boxes(rendering, tag):
    for page in rendering.pages:
        for box in page._page_box.descendants():
            if getattr(box, "element_tag", None) == tag and not type(box).__name__.startswith(("Line", "Text")):
                yield box


def _line_pitches(box):
    tops = sorted({round(b.position_y, 2) for b in box.descendants() if type(b).__name__ == "LineBox"})
    return [b - a for a, b in zip(tops, tops[1:])]


def test_nastaliq_headline_lines_do_not_overlap(layout):
    _, rendering = layout
    (h1,) = [b for b in _boxes(rendering, "h1")][:1]
    pitches = _line_pitches(h1)
    assert pitches, "the headline should wrap"
    # Nastaliq glyphs reach far above and below the baseline: lines closer than about 2 em collide.
    assert min(pitches) >= 1.9 * h1.style["font_size"], (pitches, h1.style["font_size"])


def test_body_leading_fits_nastaliq(layout):
    _, rendering = layout
    p = next(_boxes(rendering, "p"))
    pitches = _line_pitches(p)
    assert pitches and min(pitches) >= 2.2 * p.style["font_size"], (pitches, p.style["font_size"])


def test_no_synthetic_italics_for_urdu(layout):
    _, rendering = layout
    slanted = [b.element_tag for tag in ("em", "div", "p", "h1")
               for b in _boxes(rendering, tag) if b.style["font_style"] != "normal"]
    assert list(_boxes(rendering, "em")) and not slanted


def test_embedded_english_is_isolated(layout, tmp_path):
    html, _ = layout
    assert '<bdi dir="ltr" class="latin">United Nations Security Council (UNSC)</bdi>' in html
    out = tmp_path / "u.pdf"
    registry.write("pdf", _urdu_article(), out, {"kind": "magazine"})
    with pdfplumber.open(out) as pdf:
        words = [w["text"] for page in pdf.pages for w in page.extract_words()]
    assert "(UNSC)" in words, [w for w in words if w.isascii()]


def test_isolate_latin_wraps_only_latin_runs():
    out = isolate_latin("یہ United Nations (UN) کا COP-29 اجلاس &amp; تھا")
    assert '<bdi dir="ltr" class="latin">United Nations (UN)</bdi>' in out
    assert '<bdi dir="ltr" class="latin">COP-29</bdi>' in out
    assert "&amp;" in out and isolate_latin("اقوام متحدہ") == "اقوام متحدہ"
