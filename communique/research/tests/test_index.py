import json

import pytest

from communique.documents.readers import read_markdown
from communique.research.index import add_index, build_index, format_index, parse_terms

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def book():
    return read_markdown(FIXTURES / "book.md")


@pytest.fixture(scope="module")
def terms():
    return parse_terms((FIXTURES / "book-terms.txt").read_text(encoding="utf-8"))


def _entries(index):
    return {e.heading: e for _label, entries in index.groups for e in entries}


def test_entries_locators_subentries_and_cross_references(book, terms):
    index = build_index(book, terms=terms)
    entries = _entries(index)
    assert [loc.label for loc in entries["Shanghai Cooperation Organization"].locators] == ["Summits", "Afterword"]
    assert [loc.label for loc in entries["Sergey Lavrov"].locators] == ["Pipelines", "Summits"]
    assert entries["Sergey Lavrov"].see_also == ["Shah Mahmood Qureshi"]
    assert entries["SCO"].see == "Shanghai Cooperation Organization" and not entries["SCO"].locators
    assert entries["North–South Gas Pipeline"].see == "Pakistan Stream Gas Pipeline"
    assert [(s.heading, [loc.label for loc in s.locators]) for s in entries["Gas"].subentries] == [
        ("prices", ["Pipelines", "Summits"])]
    assert "Islamabad" not in entries  # places the desk has not confirmed stay out
    text = format_index(index)
    assert "  SCO. See Shanghai Cooperation Organization" in text


def test_sorting_and_groups_follow_the_language(book, terms):
    english = [label for label, _ in build_index(book, terms=terms, language="en").groups]
    danish_index = build_index(book, terms=terms, language="da")
    danish = [label for label, _ in danish_index.groups]
    assert english[0] == "A" and "Ærø" in [e.heading for e in build_index(book, terms=terms).groups[0][1]]
    assert danish[-1] == "Æ"  # Danish sorts Æ after Z


def test_bad_terms_line_names_the_line():
    with pytest.raises(ValueError, match="line 2"):
        parse_terms("Good\n = see Other\n")


def test_transform_adds_a_linked_index_division(book, terms):
    from copy import deepcopy

    from communique.documents import model as dm

    doc = add_index(deepcopy(book), build_index(book, terms=terms))
    last = doc.divisions[-1]
    assert last.kind == "index" and last.matter == "back"
    ids = {d.id for d in doc.walk_divisions()}
    links = [n for b in last.blocks if isinstance(b, dm.Paragraph) for n in b.children if isinstance(n, dm.Link)]
    assert links and all(link.href[1:] in ids for link in links)


def test_cli_index_json(capsys):
    from communique.cli import main

    main(["research", "index", str(FIXTURES / "book.md"), "--terms", str(FIXTURES / "book-terms.txt"), "--json"])
    data = json.loads(capsys.readouterr().out)
    headings = [e["heading"] for g in data["groups"] for e in g["entries"]]
    assert "Shah Mahmood Qureshi" in headings and data["language"] == "en"
