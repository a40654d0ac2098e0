"""Transforms run between reader and writer, in the registry's order, and report what they did."""
import pytest

from communique.documents import model as dm, transforms
from communique.documents.readers import read

BOOK = "# Preface\n\nWhy.\n\n# Rivers {#same}\n\n## Delta {#same}\n\nText.\n\n# Roads\n\nMore.\n"


def test_number_chapters_labels_chapters_only():
    doc = transforms.run(read(BOOK), ["number-chapters"])
    assert [(d.title, d.section_label) for d in doc.divisions] == [
        ("Preface", ""), ("Rivers", "Chapter 1"), ("Roads", "Chapter 2")]


def test_ids_are_unique_and_a_duplicate_is_reported():
    doc = transforms.run(read(BOOK), ["ids"])
    ids = [d.id for d in doc.walk_divisions()] + [b.id for _, b in doc.walk_blocks() if isinstance(b, dm.Heading)]
    assert len(ids) == len(set(ids)) and all(ids)
    [warning] = [w for w in doc.warnings if w.stage == "transform"]
    assert "'same' is used twice" in warning.message and warning.where == "Rivers"


def test_order_is_the_registrys_and_unknown_names_change_nothing():
    calls = []
    transforms.TRANSFORMS["_a"] = "communique.documents.tests.test_transforms:_record_a"
    transforms.TRANSFORMS["_b"] = "communique.documents.tests.test_transforms:_record_b"
    try:
        doc = read(BOOK)
        _CALLS[:] = []
        transforms.run(doc, ["_b", "_a", "_b"])
        calls = list(_CALLS)
        with pytest.raises(transforms.UnknownTransform, match="No transform 'nope'"):
            transforms.run(doc, ["_a", "nope"])
        assert _CALLS == calls  # nothing ran
    finally:
        del transforms.TRANSFORMS["_a"], transforms.TRANSFORMS["_b"]
    assert calls == ["a", "b"]


_CALLS: list[str] = []


def _record_a(document, options):
    _CALLS.append("a")
    return document


def _record_b(document, options):
    _CALLS.append("b")
    return document


MATTER_BOOK = """---
title: T
dedication: For my mother.
acknowledgements: |
  Thanks to the desk.

  And to the archive.
---

# Preface

Why.

# Rivers

Text.
"""


def test_matter_from_the_front_matter_becomes_divisions_in_place():
    doc = transforms.run(read(MATTER_BOOK), ["number-chapters", "matter"], {"matter": {"pages": [
        "dedication", "acknowledgements", "contents"]}})
    assert [(d.kind, d.title) for d in doc.divisions] == [
        ("dedication", ""), ("toc", "Contents"), ("preface", "Preface"), ("chapter", "Rivers"),
        ("acknowledgments", "Acknowledgements")]
    assert doc.divisions[0].label == "Dedication" and doc.divisions[0].blocks[0].role == "dedication"
    assert len(doc.divisions[-1].blocks) == 2
    one = transforms.run(read("# Only\n\nText.\n"), ["matter"])
    assert "toc" not in [d.kind for d in one.divisions]  # one entry: no contents page (issue 12, defect 15)
    assert doc.divisions[3].section_label == "Chapter 1"  # matter ran first: it is not a chapter


def test_matter_given_by_the_caller_and_what_is_left_out_is_said():
    source = read("# Dedication\n\nTo you.\n\n# One\n\nText.\n")
    read_warnings = list(source.warnings)
    doc = transforms.run(source, ["matter"], {"matter": {
        "texts": {"dedication": "Another.", "foreword": "Words.", "about_the_author": ["not", "text"]},
        "pages": ["dedication", "foreword", "about"]}})
    assert [(d.kind, d.title) for d in doc.divisions] == [
        ("dedication", "Dedication"), ("foreword", "Foreword"), ("chapter", "One")]
    messages = sorted(w.message for w in doc.warnings if w.stage == "transform")
    assert messages == ["'about_the_author' must be text; left out",
                        "the manuscript already has a dedication; 'dedication' left out"]
    assert len(source.divisions) == 2 and source.warnings == read_warnings  # the source document is not changed
    with pytest.raises(ValueError, match="unknown matter option"):
        transforms.run(source, ["matter"], {"matter": {"pagse": []}})


FULL = """---
title: Dışişleri ve Diplomasi
subtitle: Bir deneme
contributors:
  - name: Ayşe Yılmaz
    role: author
  - name: Can Demir
    role: translator
language: tr
publisher: Test Press
edition: 1
date: 2026-03-01
isbn: 9780306406157
dedication: Annem için.
epigraph: Sabır acıdır, meyvesi tatlıdır.
epigraph_source: Rumi
also_by: [Birinci Kitap, İkinci Kitap]
about_the_author: Ayşe Yılmaz bir diplomattır.
---

# Birinci Bölüm

Metin.

# İkinci Bölüm

Metin.
"""


def _kinds(doc):
    return [d.kind for d in doc.divisions]


def test_default_matter_in_print_order_and_in_the_book_s_language():
    doc = transforms.run(read(FULL), ["matter"], {"matter": {"medium": "print", "format": "paperback"}})
    assert _kinds(doc) == ["halftitlepage", "seriespage", "titlepage", "copyright-page", "dedication", "epigraph",
                           "toc", "chapter", "chapter", "about-the-author"]
    by = {d.kind: d for d in doc.divisions}
    assert by["toc"].title == "İçindekiler" and by["copyright-page"].label == "Telif hakkı"
    assert by["seriespage"].title == "Ayşe Yılmaz — Diğer Kitapları"
    assert [dm.plain_text(b.children) for b in by["seriespage"].blocks] == ["Birinci Kitap", "İkinci Kitap"]
    assert [(b.role, dm.plain_text(b.children)) for b in by["titlepage"].blocks] == [
        ("subtitle", "Bir deneme"), ("author", "Ayşe Yılmaz"), ("contributor", "Çeviren: Can Demir"),
        ("publisher", "Test Press")]
    assert [dm.plain_text(b.children) for b in by["copyright-page"].blocks] == [
        "Telif hakkı © 2026 Ayşe Yılmaz", "Yayıncı: Test Press", "Birinci baskı", "ISBN 9780306406157 (paperback)"]
    assert [(b.role, dm.plain_text(b.children)) for b in by["epigraph"].blocks] == [
        ("epigraph", "Sabır acıdır, meyvesi tatlıdır."), ("attribution", "Rumi")]
    assert by["about-the-author"].title == "Yazar Hakkında"


def test_ebook_matter_has_no_half_title_and_lists_other_books_at_the_end():
    doc = transforms.run(read(FULL), ["matter"])
    assert _kinds(doc) == ["titlepage", "copyright-page", "dedication", "epigraph", "toc", "chapter", "chapter",
                           "about-the-author", "seriespage"]


def test_absent_fields_make_no_pages_and_running_twice_adds_nothing():
    bare = read("---\ntitle: Plain\n---\n\n# One\n\nText.\n")
    doc = transforms.run(bare, ["matter"], {"matter": {"medium": "print"}})
    # No author, publisher, dedication, epigraph, other books or bio: only the pages the metadata
    # fills; nobody holds the copyright, so there is no copyright page either.
    assert _kinds(doc) == ["halftitlepage", "titlepage", "chapter"]
    assert not any(d.blocks for d in doc.divisions if d.kind == "titlepage")
    again = transforms.run(transforms.run(read(FULL), ["matter"]), ["matter"])
    assert _kinds(again) == _kinds(transforms.run(read(FULL), ["matter"]))


def test_contributor_bios_make_about_the_contributors():
    doc = read("# One\n\nText.\n")
    doc.meta.contributors = [dm.Contributor("Ada", bio="Ada writes."), dm.Contributor("Bo", role="editor", bio="Bo edits.")]
    doc.meta.language = "zh-Hant"
    doc = transforms.run(doc, ["matter"], {"matter": {"pages": ["about", "title"]}})
    about = doc.divisions[-1]
    from communique.documents.labels import labels_for

    assert about.kind == "about-the-author" and about.title == labels_for("zh-Hant")["about_contributors"] != "About the contributors"
    assert [dm.plain_text(b.children) for b in about.blocks] == ["Ada", "Ada writes.", "Bo", "Bo edits."]
    assert dm.plain_text(doc.divisions[0].blocks[-1].children) == "Bo 編"
