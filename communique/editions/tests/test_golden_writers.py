"""Golden tests: one document with every node type of the model (documents/tests/golden.py) through
every writer — EPUB, PDF, DOCX, single-file HTML and the Wagtail body. Each node's marker word must
reach the output with its markup, or the writer's report must say what it did with it."""
from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree, html as lxml_html

from communique.documents import model as dm, transforms
from communique.documents.tests.golden import LONG_LABEL, MARKERS, every_node_document
from communique.editions import registry

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def edition_document(tmp_path) -> dm.Document:
    """The golden document as an edition is written: with the matter transform's pages (whose
    paragraphs carry roles), so the writers are checked on those nodes too."""
    return transforms.run(every_node_document(tmp_path), ["matter"])


def _assert_every_marker(text: str, report_messages: list[str], fmt: str) -> None:
    # a word hyphenated at the end of a printed line is still there (PDF text in the order drawn)
    text = re.sub(r"[\u2010-]\n", "", text)
    missing = [f"{word} ({node})" for word, node in MARKERS.items()
               if word.lower() not in text.lower() and not any(node in m for m in report_messages)]
    assert not missing, f"{fmt} lost, without a word: {', '.join(missing)}"


def test_the_golden_document_holds_every_node_type(tmp_path):
    doc = every_node_document(tmp_path)
    seen = set()

    def visit_inlines(nodes):
        for n in nodes:
            seen.add(type(n))
            visit_inlines(getattr(n, "children", []))

    for _, block in doc.walk_blocks():
        seen.add(type(block))
        if hasattr(block, "children"):
            visit_inlines(block.children)
        if isinstance(block, dm.Table):
            for row in block.rows:
                for cell in row:
                    visit_inlines(cell.children)
    assert set(dm.INLINE_TYPES) | set(dm.BLOCK_TYPES) <= seen


def test_every_format_has_a_writer():
    assert {"epub", "pdf", "docx", "html"} <= set(registry.WRITERS)


def test_epub_keeps_every_node(tmp_path):
    doc = edition_document(tmp_path)
    report = registry.write("epub", doc, tmp_path / "g.epub")
    with zipfile.ZipFile(tmp_path / "g.epub") as z:
        xhtml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    messages = [str(w) for w in report.warnings]
    _assert_every_marker(re.sub(r"<[^>]+>", " ", xhtml), messages, "epub")
    assert "<s>Struckword</s>" in xhtml
    assert '<span class="smallcaps">Smallcapsword</span>' in xhtml
    assert "<cite>Citedtitle</cite>" in xhtml
    assert 'href="mailto:desk@example.org"' in xhtml and 'href="tel:+924212345678"' in xhtml
    assert re.search(r'<a href="[^"]*#findings">Internalword</a>', xhtml)
    assert re.search(r'<h2 id="findings">', xhtml)
    assert '<hr class="break"/>' in xhtml
    assert xhtml.count('epub:type="footnote"') == 2 and "Longnoteword" in xhtml
    # A relative link has no target inside an EPUB: it is reported, its words kept.
    assert any("../archive/2023.html" in m and "dropped" in m for m in messages)


def test_pdf_keeps_struck_and_small_caps_words(tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    doc = edition_document(tmp_path)
    report = registry.write("pdf", doc, tmp_path / "g.pdf", {"workers": 1})
    with pdfplumber.open(tmp_path / "g.pdf") as pdf:
        text = "\n".join(page.extract_text(use_text_flow=True) or "" for page in pdf.pages)
    messages = [str(w) for w in report.warnings]
    assert not [m for m in messages if "not supported" in m or "dropped" in m], messages
    _assert_every_marker(text, messages, "pdf")
    # Footnotes at the foot of the page carry their text, long label or not.
    assert "Shortnoteword is a note." in text and "Longnoteword with a long label." in text


def test_docx_keeps_every_node(tmp_path):
    docx = pytest.importorskip("docx")
    doc = edition_document(tmp_path)
    report = registry.write("docx", doc, tmp_path / "g.docx")
    word = docx.Document(str(tmp_path / "g.docx"))
    with zipfile.ZipFile(tmp_path / "g.docx") as z:
        body = z.read("word/document.xml").decode()
        notes = z.read("word/footnotes.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    text = re.sub(r"<[^>]+>", " ", body)
    messages = [str(w) for w in report.warnings]
    _assert_every_marker(text + " " + re.sub(r"<[^>]+>", " ", notes), messages, "docx")
    styles = [p.style.name for p in word.paragraphs]
    assert {"Title", "Heading 1", "Heading 2", "Quote", "Intense Quote", "Caption", "List Bullet",
            "List Bullet 2", "List Number", "Source Code"} <= set(styles)
    assert len(word.tables) == 1 and word.tables[0].cell(1, 0).text == "Cellword"
    assert "<w:tblHeader/>" in body
    # Real Word footnotes, referenced from the text.
    assert body.count("<w:footnoteReference") == 2
    assert "Shortnoteword" in notes and "Longnoteword" in notes
    # Marks as Word run properties.
    for prop in ("<w:strike/>", "<w:smallCaps/>", '<w:vertAlign w:val="superscript"/>',
                 '<w:vertAlign w:val="subscript"/>', "<w:i/>", "<w:b/>"):
        assert prop in body, prop
    # Links: external ones as relationships, the internal one to a bookmark on its heading.
    for target in ("https://example.org/page", "mailto:desk@example.org", "tel:+924212345678", "../archive/2023.html"):
        assert f'Target="{target}"' in rels, target
    anchor = re.search(r'<w:hyperlink w:anchor="([^"]+)"', body).group(1)
    assert f'w:name="{anchor}"' in body
    assert word.inline_shapes[0]._inline.docPr.get("descr") == "A blue rectangle"


def test_docx_round_trips_through_the_docx_reader(tmp_path):
    from communique.documents.readers import read

    doc = edition_document(tmp_path)
    registry.write("docx", doc, tmp_path / "g.docx")
    back = read(tmp_path / "g.docx")
    assert len(back.notes) == 2
    kinds = {type(b).__name__ for _, b in back.walk_blocks()}
    assert {"Heading", "Table", "ListBlock", "Image", "Paragraph", "BlockQuote", "CodeBlock"} <= kinds
    [code] = [b for _, b in back.walk_blocks() if isinstance(b, dm.CodeBlock)]
    assert code.text == "codeblockword = 1\nsecond line"
    [first] = [b.children for _, b in back.walk_blocks()
               if isinstance(b, dm.Paragraph) and "Citedtitle" in dm.plain_text(b.children)]
    assert [dm.plain_text(n.children) for n in first if isinstance(n, dm.Cite)] == ["Citedtitle"]
    assert [dm.plain_text(n.children) for n in first if isinstance(n, dm.Strikeout)] == ["Struckword"]
    # Word keeps small caps; mammoth cannot read them, and the reader says so.
    assert any("small caps" in w.message for w in back.warnings)


def test_html_edition_keeps_every_node(tmp_path):
    doc = edition_document(tmp_path)
    report = registry.write("html", doc, tmp_path / "g.html")
    source = (tmp_path / "g.html").read_text(encoding="utf-8")
    root = lxml_html.fromstring(source)
    messages = [str(w) for w in report.warnings]
    assert messages == []
    _assert_every_marker(root.text_content(), messages, "html")
    assert root.xpath("//s[.='Struckword']") and root.xpath("//span[@class='smallcaps'][.='Smallcapsword']")
    assert root.xpath("//cite[.='Citedtitle']") and root.xpath("//hr")
    hrefs = root.xpath("//a/@href")
    assert {"mailto:desk@example.org", "tel:+924212345678", "../archive/2023.html", "#findings"} <= set(hrefs)
    ids = set(root.xpath("//@id"))
    assert all(h[1:] in ids for h in hrefs if h.startswith("#")), "every internal link and note link resolves"
    assert len(root.xpath("//aside[@role='doc-footnote']")) == 2
    # One file: the CSS inline, the image a data: URI, nothing fetched from elsewhere.
    assert root.xpath("//style") and not root.xpath("//link[@rel='stylesheet']")
    assert [src[:22] for src in root.xpath("//img/@src")] == ["data:image/png;base64,"]


@pytest.mark.django_db
def test_wagtail_body_keeps_every_node_or_says_so(tmp_path):
    from communique.importers.base import ImportSession
    from communique.importers.to_wagtail import MAX_NOTE_LABEL, blocks_to_stream, document_blocks

    doc = every_node_document(tmp_path)
    session = ImportSession()
    stream = blocks_to_stream(document_blocks(doc), doc.notes, session)
    kinds = [b["type"] for b in stream]
    assert {"paragraph", "heading", "pull_quote", "image", "table", "footnotes"} <= set(kinds)
    text = " ".join(str(b["value"]) for b in stream)
    _assert_every_marker(re.sub(r"<[^>]+>", " ", text), session.warnings, "wagtail")
    paragraphs = " ".join(b["value"] for b in stream if b["type"] == "paragraph")
    assert "<s>Struckword</s>" in paragraphs
    for href in ("mailto:desk@example.org", "tel:+924212345678", "../archive/2023.html"):
        assert f'href="{href}"' in paragraphs, href
    assert "* * *" in paragraphs  # the section break
    # Small caps, <cite>, inline code and the internal link: the body cannot hold them; said so.
    for what in ("small caps", "<cite>", "inline code", "'#findings'", "section break"):
        assert any(what in w for w in session.warnings), (what, session.warnings)
    # Note labels fit the footnotes block and match the text's [^label] exactly.
    notes = next(b["value"] for b in stream if b["type"] == "footnotes")
    labels = [n["label"] for n in notes]
    assert all(len(label) <= MAX_NOTE_LABEL for label in labels)
    assert re.findall(r"\[\^([^\]]+)\]", paragraphs) == labels
    assert LONG_LABEL not in paragraphs


def test_the_serialiser_reports_an_unknown_node(tmp_path):
    from dataclasses import dataclass

    from communique.documents.serialise.html import HtmlSerialiser

    @dataclass
    class Mystery:
        children: list

    warnings = []
    out = HtmlSerialiser(warn=lambda where, m: warnings.append(m)).blocks(
        [dm.Paragraph([dm.Text("kept"), Mystery([dm.Text("x")])]), Mystery([])])
    assert out == "<p>kept</p>"
    assert warnings == ["unsupported inline Mystery dropped", "unsupported block Mystery dropped"]


def test_docx_writer_refuses_unknown_options(tmp_path):
    with pytest.raises(ValueError, match="unknown DOCX option"):
        registry.write("docx", every_node_document(tmp_path), tmp_path / "x.docx", {"trim": "6x9"})
    assert not (tmp_path / "x.docx").exists()


def test_html_written_with_etree_is_well_formed(tmp_path):
    registry.write("html", every_node_document(tmp_path), tmp_path / "g.html")
    etree.fromstring((tmp_path / "g.html").read_bytes(), etree.HTMLParser(recover=False))


def test_docx_of_a_right_to_left_book_is_right_to_left(tmp_path):
    from communique.documents.readers import read
    from communique.documents.tests import builders

    doc = read(builders.URDU_BOOK)
    report = registry.write("docx", doc, tmp_path / "ur.docx")
    with zipfile.ZipFile(tmp_path / "ur.docx") as z:
        body = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, re.S)
    assert paragraphs and all("<w:bidi/>" in p for p in paragraphs)
    assert body.count("<w:rtl/>") >= body.count("<w:r>")
    assert 'w:bidi="ur"' in styles
    assert not [w for w in report.warnings if "direction" in w.where]
