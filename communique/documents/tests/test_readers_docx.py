import zipfile

import pytest

pytest.importorskip("docx", reason="python-docx (test extra) builds the DOCX fixtures")

from communique.documents.model import Emph, Image, NoteRef, Paragraph, Strong, Table, plain_text  # noqa: E402
from communique.documents.readers import ReaderError, read_docx  # noqa: E402
from communique.documents.tests import builders  # noqa: E402


@pytest.fixture
def docx_doc(tmp_path):
    images = builders.make_images(tmp_path / "img", huge=False)
    path = builders.make_docx(tmp_path / "book.docx", images["png"])
    return read_docx(path)


def test_metadata_and_title(docx_doc):
    m = docx_doc.meta
    assert m.title == "A Word Book" and m.language == "en-GB"
    assert [c.name for c in m.contributors] == ["Dana Writer"]


def test_headings_become_divisions_and_sections(docx_doc):
    assert [(d.kind, d.title) for d in docx_doc.divisions] == [("introduction", "Introduction"), ("chapter", "Chapter One")]
    chapter = docx_doc.divisions[1]
    headings = [b for b in chapter.blocks if b.__class__.__name__ == "Heading"]
    assert [(h.level, plain_text(h.children)) for h in headings] == [(1, "A section")]


def test_inline_formatting(docx_doc):
    para = docx_doc.divisions[0].blocks[0]
    assert isinstance(para, Paragraph)
    assert any(isinstance(n, Strong) for n in para.children) and any(isinstance(n, Emph) for n in para.children)


def test_footnote(docx_doc):
    chapter = docx_doc.divisions[1]
    refs = [n for b in chapter.blocks if isinstance(b, Paragraph) for n in b.children if isinstance(n, NoteRef)]
    assert len(refs) == 1
    assert plain_text(docx_doc.notes[refs[0].note_id][0].children) == "Foreign Office statement, 2024."


def test_table_and_image_extracted(docx_doc):
    chapter = docx_doc.divisions[1]
    (table,) = [b for b in chapter.blocks if isinstance(b, Table)]
    assert [[plain_text(c.children) for c in row] for row in table.rows] == [["Year", "Visits"], ["2024", "2"]]
    (image,) = [b for b in chapter.blocks if isinstance(b, Image)]
    assert image.path.is_file() and image.path.suffix == ".png"
    assert image.caption == "Figure 1: visits by year"


def test_mammoth_messages_are_reported(docx_doc):
    assert any("Fancy Aside" in w.message and "mammoth" in w.where for w in docx_doc.warnings)


def test_not_a_zip(tmp_path):
    bad = tmp_path / "old-word-file.docx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 an OLE2 .doc")
    with pytest.raises(ReaderError, match="old-word-file.docx is not a DOCX file"):
        read_docx(bad)


def test_zip_without_word_document(tmp_path):
    bad = tmp_path / "archive.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ReaderError, match="archive.docx is a zip archive but not a Word document"):
        read_docx(bad)


def test_missing_file(tmp_path):
    with pytest.raises(ReaderError, match="not found"):
        read_docx(tmp_path / "nope.docx")


def test_what_mammoth_drops_silently_is_reported(tmp_path):
    path = builders.make_docx(tmp_path / "book.docx")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode()
    body = body.replace("A claim that needs a source.", "A claim.", 1)
    body = body.replace("</w:body>", '<w:p><w:del w:id="9" w:author="x"><w:r><w:delText>gone</w:delText></w:r></w:del></w:p></w:body>')
    parts["word/document.xml"] = body.encode()
    parts["word/comments.xml"] = b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    messages = [w.message for w in read_docx(path).warnings]
    assert any("comments are not carried" in m for m in messages)
    assert any("tracked changes" in m for m in messages)
