import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from .conftest import counts
from .docx_builder import para, table, write_docx

ARTICLE_MD = """---
title: Listening Tours and Their Limits
section: Analysis
authors:
  - name: Priya Natarajan
    role_line: Fellow, Centre for Civic Exchange
date: 2024-05-06
tags: [listening, outreach]
standfirst: Ministers who go out to listen come back with more than they expected.
---

A listening tour puts officials in rooms where they are asked questions rather than given the floor.[^1]

## What the notes show

| City | Meetings |
|------|----------|
| Lyon | 3 |
| Oran | 2 |

> The hardest part was not answering.

[^1]: The term is older than the practice it now names.
"""


def test_markdown_article(home, tmp_path, capsys):
    from communique.magazine.models import ArticlePage, Author

    md = tmp_path / "tour.md"
    md.write_text(ARTICLE_MD, encoding="utf-8")
    call_command("import", "markdown", str(md), "--json")
    info = json.loads(capsys.readouterr().out)
    assert info["created"] and info["section"] == "Analysis"
    page = ArticlePage.objects.get(title="Listening Tours and Their Limits")
    assert page.standfirst.startswith("Ministers who go out to listen")
    assert page.date.date().isoformat() == "2024-05-06"
    assert sorted(t.name for t in page.tags.all()) == ["listening", "outreach"]
    assert [a.name for a in page.authors] == ["Priya Natarajan"]
    assert Author.objects.get(name="Priya Natarajan").role_line == "Fellow, Centre for Civic Exchange"
    kinds = [b.block_type for b in page.body]
    assert kinds == ["paragraph", "heading", "table", "pull_quote", "footnotes"]
    assert "[^1]" in page.body[0].value.source
    assert page.body[4].value[0]["label"] == "1"
    assert "older than the practice" in page.body[4].value[0]["text"].source

    # Importing the same file again updates it.
    before = counts()
    call_command("import", "markdown", str(md))
    assert counts() == before


def test_markdown_broken_front_matter(home, tmp_path):
    md = tmp_path / "broken.md"
    md.write_text("---\ntitle: [unclosed\nsection: News\n---\n\nText.\n", encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=r"markdown: 'broken.md' has broken front matter at line \d+"):
        call_command("import", "markdown", str(md))
    assert counts() == before


def test_markdown_unclosed_front_matter(home, tmp_path):
    md = tmp_path / "open.md"
    md.write_text("---\ntitle: Fine\n\nNo closing line.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="front matter that is never closed"):
        call_command("import", "markdown", str(md))


def test_markdown_cp1252_is_decoded_with_warning(home, tmp_path, capsys):
    from communique.magazine.models import ArticlePage

    md = tmp_path / "latin.md"
    md.write_bytes("---\ntitle: Caf\xe9 talks\nsection: News\n---\n\nThe d\xe9l\xe9gation met.\n".encode("cp1252"))
    call_command("import", "markdown", str(md))
    assert "not valid UTF-8" in capsys.readouterr().err
    assert "délégation" in ArticlePage.objects.get(title="Café talks").body[0].value.source


def test_markdown_without_section_goes_to_the_default_section(home, tmp_path, capsys, settings):
    from communique.magazine.models import ArticlePage

    md = tmp_path / "nosection.md"
    md.write_text("---\ntitle: Homeless\n---\n\nSome text.\n", encoding="utf-8")
    settings.COMMUNIQUE_IMPORT_SECTION = "Briefs"
    call_command("import", "markdown", str(md))
    assert "names no section" in capsys.readouterr().err
    assert ArticlePage.objects.get(title="Homeless").get_parent().title == "Briefs"
    call_command("import", "markdown", str(md), "--section", "News")  # the option still wins
    assert ArticlePage.objects.get(title="Homeless").get_parent().title == "News"


def test_docx_article_with_footnote_and_table(home, tmp_path):
    from communique.magazine.models import ArticlePage

    body = (
        para("Harbour Diplomacy", style="Heading1")
        + para("Port calls by training ships are a quiet form of outreach.", footnote=1)
        + para("Numbers", style="Heading2")
        + table([["Year", "Calls"], ["2022", "5"]])
        + para("Crews meet students, and the students remember.")
    )
    path = write_docx(tmp_path / "harbour.docx", body, title="Harbour Diplomacy", creator="Ines Calder",
                      footnotes={1: "Counted from harbour logs."})
    call_command("import", "docx", str(path), "--section", "Analysis")
    page = ArticlePage.objects.get(title="Harbour Diplomacy")
    assert [a.name for a in page.authors] == ["Ines Calder"]
    kinds = [b.block_type for b in page.body]
    assert kinds[0] == "paragraph" and "heading" in kinds and "table" in kinds and kinds[-1] == "footnotes"
    assert "[^" in page.body[0].value.source
    table_value = next(b.value for b in page.body if b.block_type == "table")
    assert table_value["data"][1] == ["2022", "5"]
    page.body.stream_block.clean(page.body)


def test_docx_not_a_zip(home, tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_text("I am a plain text file pretending to be Word.")
    before = counts()
    with pytest.raises(CommandError, match=r"docx: 'x.docx' is not a DOCX file \(not a zip archive\)"):
        call_command("import", "docx", str(bad), "--section", "News")
    assert counts() == before


def test_docx_zip_without_document(home, tmp_path):
    bad = tmp_path / "y.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(CommandError, match=r"docx: .y.docx. is not a DOCX file \(a zip without word/document.xml\)"):
        call_command("import", "docx", str(bad), "--section", "News")


def test_docx_zip_bomb_is_refused(home, tmp_path, monkeypatch):
    from communique.importers import documents

    monkeypatch.setattr(documents, "MAX_DOCX_UNPACKED", 1000)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>" + " " * 5000 + "</w:document>")
    with pytest.raises(CommandError, match=r"docx: 'bomb.docx' would unpack to .* possible zip bomb"):
        call_command("import", "docx", str(bomb), "--section", "News")


def test_markdown_first_heading_other_than_title_is_kept(home, tmp_path):
    from communique.magazine.models import ArticlePage

    md = tmp_path / "sections.md"
    md.write_text("---\ntitle: Envoys and Archives\nsection: Analysis\n---\n\n# Background\n\nOld files.\n\n"
                  "# Envoys and Archives Today\n\nNew files.\n", encoding="utf-8")
    call_command("import", "markdown", str(md))
    page = ArticlePage.objects.get(title="Envoys and Archives")
    assert [(b.block_type, b.value["text"] if b.block_type == "heading" else None) for b in page.body] == [
        ("heading", "Background"), ("paragraph", None), ("heading", "Envoys and Archives Today"), ("paragraph", None)]

    titled = tmp_path / "titled.md"
    titled.write_text("---\nsection: Analysis\n---\n\n# Same As Title\n\nBody.\n", encoding="utf-8")
    call_command("import", "markdown", str(titled))
    assert [b.block_type for b in ArticlePage.objects.get(title="Same As Title").body] == ["paragraph"]
