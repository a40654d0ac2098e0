"""`communique render`: reader chosen by sniffing, writers from the registry, clear errors."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from communique.editions.management.commands.render import sniff

MANUSCRIPT = """---
title: "Small Print"
authors:
  - name: Amina Rahman
language: en
date: 2026-02-01
---

# The First Chapter

Public diplomacy is the work of many hands.[^1] It is slow, and it is patient.

[^1]: A footnote for the first chapter.

# The Second Chapter

Exchanges of students and artists outlast the treaties that started them.
"""


@pytest.fixture
def manuscript(tmp_path):
    path = tmp_path / "book.md"
    path.write_text(MANUSCRIPT, encoding="utf-8")
    return path


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("render", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_markdown_to_pdf(manuscript, tmp_path):
    target = tmp_path / "book.pdf"
    out, err = _run(manuscript, "--to", "pdf", "-o", target, "--trim", "5.5x8.5", "--workers", "1")
    assert out.strip().splitlines()[-1] == str(target)
    assert "ignored" not in err  # the PDF options are the PDF's
    # The generic writer's own gutter (editions.pdf.geometry.GENERIC); KDP's table is the kit's.
    assert "pages" in out and "gutter 0.5 in" in out
    reader = PdfReader(target)
    assert len(reader.pages) % 2 == 0
    assert float(reader.pages[0].mediabox.width) == 5.5 * 72
    assert reader.metadata.title == "Small Print"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_bleed_and_language_options(manuscript, tmp_path):
    target = tmp_path / "fr.pdf"
    _run(manuscript, "--to", "pdf", "-o", target, "--bleed", "--lang", "fr", "--workers", "1")
    reader = PdfReader(target)
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (6.125 * 72, 9.25 * 72)
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_markdown_to_epub_through_the_registry(manuscript, tmp_path):
    target = tmp_path / "book.epub"
    out, err = _run(manuscript, "--to", "epub", "-o", target, "--trim", "6x9")
    assert out.strip().splitlines()[-1] == str(target)
    assert "apply to PDF only; ignored for epub" in err
    assert zipfile.is_zipfile(target)
    with zipfile.ZipFile(target) as z:
        assert z.read("mimetype") == b"application/epub+zip"


def test_docx_that_is_not_a_zip_is_a_clear_error(tmp_path):
    bad = tmp_path / "chapter.docx"
    bad.write_text("just text, renamed")
    with pytest.raises(CommandError, match=r"chapter\.docx.*not a valid DOCX.*not a zip"):
        _run(bad, "--to", "pdf", "-o", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_language_is_a_clear_error(manuscript, tmp_path):
    with pytest.raises(CommandError, match=r"'xx'"):
        _run(manuscript, "--to", "pdf", "-o", tmp_path / "x.pdf", "--lang", "xx")
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_format_and_bad_trim(manuscript, tmp_path):
    with pytest.raises(CommandError, match="No writer for format 'mobi'"):
        _run(manuscript, "--to", "mobi", "-o", tmp_path / "x.mobi")
    with pytest.raises(CommandError, match="trim"):
        _run(manuscript, "--to", "pdf", "-o", tmp_path / "x.pdf", "--trim", "big")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.md"]


def test_a_failed_build_keeps_the_previous_output(manuscript, tmp_path):
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"the edition we already have")
    with pytest.raises(CommandError):
        _run(manuscript, "--to", "pdf", "-o", target, "--trim", "nonsense")
    assert target.read_bytes() == b"the edition we already have"


def test_sniffing(tmp_path):
    docx = tmp_path / "renamed.txt"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert sniff(docx) == "docx"  # a zip is read as DOCX whatever its name
    md = tmp_path / "notes"
    md.write_text("# Title\n\ntext")
    assert sniff(md) == "markdown"
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50)
    with pytest.raises(CommandError, match="old binary Word"):
        sniff(old)
    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(CommandError, match="neither a DOCX file nor UTF-8"):
        sniff(binary)


REVIEW_BOOK = """---
title: "For Review"
authors:
  - name: Amina Rahman
---

# The First Chapter

Talks resumed in spring.[^talks] The record is <span class="x">thin</span>.

## What the record shows

| Year | Visits |
|------|--------|
| 2015 | 1 |
| 2024 | 2 |

[^talks]: After nine years without a visit.

# The Second Chapter

<div>Raw HTML the reader cannot keep.</div>

Exchanges outlast treaties.
"""


def test_markdown_to_docx_opens_in_word_with_headings_notes_and_tables(tmp_path):
    docx = pytest.importorskip("docx")
    source = tmp_path / "review.md"
    source.write_text(REVIEW_BOOK, encoding="utf-8")
    target = tmp_path / "review.docx"
    out, _ = _run(source, "--to", "docx", "-o", target)
    assert out.strip().splitlines()[-1] == str(target)
    word = docx.Document(str(target))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "The First Chapter"), ("Heading 2", "What the record shows"),
                        ("Heading 1", "The Second Chapter")]
    assert len(word.tables) == 1 and [c.text for c in word.tables[0].rows[2].cells] == ["2024", "2"]
    with zipfile.ZipFile(target) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    assert "After nine years without a visit." in notes and body.count("<w:footnoteReference") == 1
    assert word.core_properties.title == "For Review" and word.core_properties.author == "Amina Rahman"


@pytest.mark.parametrize("fmt", ["epub", "pdf", "docx", "html"])
def test_render_prints_the_readers_warnings_for_every_format(tmp_path, fmt):
    source = tmp_path / "review.md"
    source.write_text(REVIEW_BOOK, encoding="utf-8")
    args = ["--workers", "1"] if fmt == "pdf" else []
    out, _ = _run(source, "--to", fmt, "-o", tmp_path / f"review.{fmt}", *args)
    reader_lines = [line for line in out.splitlines() if line.startswith("warning:") and "raw HTML" in line]
    assert len(reader_lines) >= 2, out  # the <span> and the <div>
    count = int(re.search(r"(\d+) warning\(s\)", out).group(1))
    assert count == len([line for line in out.splitlines() if line.startswith("warning:")]) and count >= 2


def test_render_applies_transforms_the_writer_never_sees(tmp_path):
    source = tmp_path / "review.md"
    source.write_text(REVIEW_BOOK, encoding="utf-8")
    _run(source, "--to", "html", "-o", tmp_path / "review.html", "--transform", "number-chapters")
    html = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert '<p class="section-label">Chapter 2</p>' in html
    with pytest.raises(CommandError, match="No transform 'shout'"):
        _run(source, "--to", "html", "-o", tmp_path / "x.html", "--transform", "shout")
    assert not (tmp_path / "x.html").exists()


def test_render_writes_the_book_s_matter_in_its_language_unless_told_not_to(tmp_path):
    docx = pytest.importorskip("docx")
    from communique.documents.tests.test_transforms import FULL

    source = tmp_path / "kitap.md"
    source.write_text(FULL.replace("language: tr\n", "language: tr\ntheme: elegant\n"), encoding="utf-8")
    _run(source, "--to", "docx", "-o", tmp_path / "kitap.docx")
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "kitap.docx")).paragraphs)
    assert "İçindekiler" in text and "Telif hakkı © 2026 Ayşe Yılmaz" in text and "Annem için." in text
    _run(source, "--to", "epub", "-o", tmp_path / "kitap.epub")
    with zipfile.ZipFile(tmp_path / "kitap.epub") as z:
        css = z.read("EPUB/styles/book.css").decode()
        assert "EPUB/text/copyright.xhtml" in z.namelist()
    assert "::first-letter" in css and "⁂" in css  # the manuscript's theme
    _run(source, "--to", "docx", "-o", tmp_path / "bare.docx", "--no-matter")
    bare = "\n".join(p.text for p in docx.Document(str(tmp_path / "bare.docx")).paragraphs)
    assert "İçindekiler" not in bare and "Telif hakkı" not in bare and "Birinci Bölüm" in bare
    with pytest.raises(CommandError, match="no interior theme 'gothic'"):
        _run(source, "--to", "epub", "-o", tmp_path / "x.epub", "--theme", "gothic")
    assert not (tmp_path / "x.epub").exists()
