"""The reader registry recognises a source by what it holds, not what it is called."""
import zipfile

import pytest

from communique.documents.readers import ReaderError, detect, read
from communique.documents.readers.registry import READERS, MANUSCRIPT_KINDS
from communique.documents.tests import builders

WXR_ITEM = """<item><title>Listening Tours</title><dc:creator>Priya</dc:creator>
<category domain="category" nicename="analysis">Analysis</category>
<category domain="post_tag" nicename="outreach">outreach</category>
<wp:post_date>2024-05-06 10:00:00</wp:post_date>
<content:encoded><![CDATA[<p>Officials <s>spoke</s> listened.</p><!-- wp:separator --><hr/>]]></content:encoded></item>"""


def test_every_kind_has_a_reader():
    assert {"markdown", "docx", "html", "text", "wxr-item", "wagtail-article", "wagtail-issue"} <= set(READERS)


def test_kinds_by_content_whatever_the_name(tmp_path):
    docx = builders.make_docx(tmp_path / "looks-like.txt")
    assert detect(docx) == "docx"
    md = tmp_path / "chapter.docx.bak"
    md.write_text("---\ntitle: T\n---\n\n# One\n\nText.\n", encoding="utf-8")
    assert detect(md) == "markdown"
    page = tmp_path / "saved.txt"
    page.write_text("<!DOCTYPE html><html><body><h1>H</h1><p>x</p></body></html>", encoding="utf-8")
    assert detect(page) == "html"
    scraped = tmp_path / "scraped.md.txt"
    scraped.write_text("A Headline\n\nFirst paragraph of the piece.\n\nSecond.\n", encoding="utf-8")
    assert detect(scraped) == "text"
    assert detect(WXR_ITEM) == "wxr-item"


def test_errors_name_the_problem(tmp_path):
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(ReaderError, match="old binary Word"):
        detect(old)
    zipped = tmp_path / "photos.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(ReaderError, match="not a Word document"):
        detect(zipped)
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    with pytest.raises(ReaderError, match="is an HTML page; expected Markdown or a Word document"):
        read(page, accept=MANUSCRIPT_KINDS)


def test_plain_text_is_a_manuscript(tmp_path):
    scraped = tmp_path / "notes.txt"
    scraped.write_text("A Headline\n\nFirst paragraph.\n", encoding="utf-8")
    doc = read(scraped, accept=MANUSCRIPT_KINDS)
    assert doc.meta.source_path == scraped  # the Markdown reader's document


def test_readers_of_web_sources(tmp_path):
    doc = read(WXR_ITEM)
    assert doc.meta.title == "Listening Tours" and doc.meta.date == "2024-05-06"
    assert doc.divisions[0].section_label == "Analysis" and doc.meta.subjects == ["outreach"]
    assert [type(b).__name__ for b in doc.divisions[0].blocks] == ["Paragraph", "ThematicBreak"]
    page = read("<!DOCTYPE html><html lang='fr'><head><title>T</title><meta name='author' content='Ana'></head>"
                "<body><nav>menu</nav><article><h1>Le titre</h1><p>Un <a href='#x'>lien</a>.</p></article></body></html>")
    assert page.meta.title == "Le titre" and page.meta.language == "fr" and page.meta.authors[0].name == "Ana"
    assert [b.children[0].text for b in page.divisions[0].blocks] == ["Un "]
    text = read("Headline here\n\nOne paragraph.\n\nAnother.\n", "text")
    assert text.meta.title == "Headline here" and len(text.divisions[0].blocks) == 2


def test_reader_warnings_are_marked_as_the_readers(tmp_path):
    doc = read("# A\n\n<div>raw</div>\n")
    assert doc.warnings and {w.stage for w in doc.warnings} == {"reader"}
