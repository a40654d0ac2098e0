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
