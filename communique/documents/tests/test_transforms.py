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
    doc = transforms.run(read(MATTER_BOOK), ["number-chapters", "matter"])
    assert [(d.kind, d.title) for d in doc.divisions] == [
        ("preface", "Preface"), ("dedication", ""), ("chapter", "Rivers"), ("acknowledgments", "Acknowledgements")]
    assert len(doc.divisions[-1].blocks) == 2
    assert doc.divisions[2].section_label == "Chapter 1"  # matter ran first: it is not a chapter


def test_matter_given_by_the_caller_and_what_is_left_out_is_said():
    doc = read("# Dedication\n\nTo you.\n\n# One\n\nText.\n")
    doc = transforms.run(doc, ["matter"], {"matter": {"dedication": "Another.", "foreword": "Words.",
                                                      "about_the_author": ["not", "text"]},
                                           "titles": {"foreword": "Avant-propos"}})
    assert [(d.kind, d.title) for d in doc.divisions] == [
        ("dedication", "Dedication"), ("foreword", "Avant-propos"), ("chapter", "One")]
    messages = sorted(w.message for w in doc.warnings if w.stage == "transform")
    assert messages == ["'about_the_author' must be text; left out",
                        "the manuscript already has a dedication; 'dedication' left out"]
