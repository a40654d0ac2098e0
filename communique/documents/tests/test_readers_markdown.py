from pathlib import Path

import pytest

from communique.documents.languages import UnknownLanguage, normalise_language
from communique.documents.model import (
    BlockQuote,
    Code,
    Emph,
    Heading,
    Image,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    Strikeout,
    Strong,
    Table,
    ThematicBreak,
    plain_text,
)
from communique.documents.readers import ReaderError, read_markdown
from communique.documents.tests import builders


def test_front_matter_metadata():
    doc = read_markdown(builders.STRUCTURE_BOOK)
    m = doc.meta
    assert m.title == "Parts and Pieces" and m.subtitle == "A structural test"
    assert m.language == "en-GB"
    assert [(c.name, c.role) for c in m.contributors] == [("Amina Rahman", "author"), ("Jonas Weber", "translator")]
    assert m.contributors[0].role_line == "Senior Fellow" and m.contributors[0].bio == "Amina writes about diplomacy."
    assert m.identifiers["isbn"] == "978-3-16-148410-0"
    assert (m.series, m.series_number) == ("Test Series", "2")
    assert m.subjects == ["diplomacy", "testing"]
    assert m.date == "2026-01-15" and m.rights == "All rights reserved."


def test_author_names_with_commas_are_not_split():
    doc = read_markdown("---\ntitle: T\nauthor: Khan, Amina\n---\n# One\n\nText.\n")
    assert [c.name for c in doc.meta.contributors] == ["Khan, Amina"]


def test_divisions_kinds_parts_and_sections():
    doc = read_markdown(builders.STRUCTURE_BOOK)
    top = [(d.kind, d.title) for d in doc.divisions]
    assert top == [
        ("dedication", "For my teachers"),  # by class
        ("preface", "Note to the Reader"),  # by the front_matter list
        ("part", "Part One"),
        ("appendix", "Appendix A: Figures"),  # by title
        ("acknowledgments", "Acknowledgments"),
    ]
    part = doc.divisions[2]
    assert part.id == "part-one"
    assert [c.title for c in part.children] == ["Chapter One", "Chapter Two"]
    chapter = part.children[0]
    kinds = [type(b) for b in chapter.blocks]
    assert kinds == [Paragraph, BlockQuote, ListBlock, ListBlock, ThematicBreak, Heading, Paragraph]
    heading = chapter.blocks[5]
    assert heading.level == 1 and heading.id == "sec-a" and plain_text(heading.children) == "A section"


def test_inline_markup_and_links():
    doc = read_markdown(builders.STRUCTURE_BOOK)
    para = doc.divisions[2].children[0].blocks[0].children
    types = [type(n) for n in para]
    assert Emph in types and Strong in types and Code in types and Strikeout in types
    assert [n.note_id for n in para if isinstance(n, NoteRef)] == ["one", "one"]
    preface_links = [n for n in doc.divisions[1].blocks[0].children if isinstance(n, Link)]
    assert [l.href for l in preface_links] == ["#part-one", "https://example.org/a%20b"]


def test_footnotes_with_several_paragraphs():
    doc = read_markdown(builders.STRUCTURE_BOOK)
    assert set(doc.notes) == {"one", "two"}
    assert len(doc.notes["two"]) == 2
    assert isinstance(doc.notes["two"][0].children[1], Emph)


def test_inline_footnote_gets_an_id():
    doc = read_markdown("# A\n\nText.^[An inline note.]\n")
    (ref,) = [n for n in doc.divisions[0].blocks[0].children if isinstance(n, NoteRef)]
    assert plain_text(doc.notes[ref.note_id][0].children) == "An inline note."


def test_images_resolve_relative_to_the_file(tmp_path):
    images = builders.make_images(tmp_path / "book" / "img", huge=False)
    md = tmp_path / "book" / "book.md"
    md.write_text(
        "---\ntitle: Pics\n---\n# One\n\n![A chart](img/chart.png \"The caption\")\n\n"
        "Inline ![x](img/missing.png) image.\n\n![remote](https://example.org/a.png)\n",
        encoding="utf-8",
    )
    doc = read_markdown(md)
    imgs = [b for b in doc.divisions[0].blocks if isinstance(b, Image)]
    assert imgs[0].path == images["png"] and imgs[0].alt == "A chart" and imgs[0].caption == "The caption"
    assert imgs[1].path == tmp_path / "book" / "img" / "missing.png"
    messages = [w.message for w in doc.warnings]
    assert any("image file not found" in m and "missing.png" in m for m in messages)
    assert any("remote image https://example.org/a.png dropped" in m for m in messages)


def test_tables():
    doc = read_markdown(builders.images_markdown({}))
    (table,) = [b for b in doc.divisions[0].blocks if isinstance(b, Table)]
    assert [plain_text(c.children) for c in table.rows[0]] == ["Country", "Visits", "Year"]
    assert all(c.header for c in table.rows[0]) and not any(c.header for c in table.rows[1])


def test_raw_html_is_reported():
    doc = read_markdown("# A\n\n<div>raw</div>\n\nText <span>x</span>.\n")
    messages = [w.message for w in doc.warnings if "raw HTML" in w.message]
    assert any("<div>raw</div>" in m for m in messages) and any("<span>" in m for m in messages)


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(ReaderError, match="not found: .*nope.md"):
        read_markdown(tmp_path / "nope.md")
    with pytest.raises(ReaderError, match="front matter is not valid YAML"):
        read_markdown("---\ntitle: [unclosed\n---\n# A\n")
    with pytest.raises(ReaderError, match="Unknown language code 'xx'"):
        read_markdown("---\ntitle: T\nlanguage: xx\n---\n# A\n")
    bad = tmp_path / "latin1.md"
    bad.write_bytes("# Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ReaderError, match="latin1.md is not UTF-8"):
        read_markdown(bad)


def test_title_falls_back_with_a_warning():
    doc = read_markdown("# The Only Chapter\n\nText.\n")
    assert doc.meta.title == "The Only Chapter"
    assert any("no title" in w.message for w in doc.warnings)


@pytest.mark.parametrize("tag,expected", [("en", "en"), ("EN_us", "en-US"), ("zh-hant-tw", "zh-Hant-TW"), ("ur", "ur"), ("ckb", "ckb")])
def test_language_tags(tag, expected):
    assert normalise_language(tag) == expected


@pytest.mark.parametrize("tag", ["", "english", "xx", "e", "en--US", "123"])
def test_bad_language_tags(tag):
    with pytest.raises(UnknownLanguage):
        normalise_language(tag)


def test_reads_the_rtl_book():
    doc = read_markdown(builders.URDU_BOOK)
    assert doc.meta.language == "ur" and doc.meta.direction == "rtl"
    assert len(doc.notes) == 2 and len(doc.divisions) == 3


def test_path_given_as_string(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("---\ntitle: From a path\n---\n# A\n", encoding="utf-8")
    assert read_markdown(str(p)).meta.source_path == Path(p)


def test_pandoc_small_caps_spans():
    from communique.documents.model import SmallCaps, Text

    doc = read_markdown("# A\n\nThe [Nato]{.smallcaps} summit, [kept]{.other} and [brackets].\n")
    children = doc.divisions[0].blocks[0].children
    assert [type(n).__name__ for n in children] == ["Text", "SmallCaps", "Text"]
    assert children[1] == SmallCaps([Text("Nato")])
    assert children[2].text == " summit, kept and [brackets]."
