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


def test_transform_adds_an_index_division_pointing_at_marks_in_the_text(book, terms):
    from copy import deepcopy

    from communique.documents.index_nodes import IndexBlock, iter_entries, iter_marks

    doc = add_index(deepcopy(book), terms=terms)
    last = doc.divisions[-1]
    assert last.kind == "index" and last.matter == "back"
    marks = {m.id for d in doc.divisions for m in iter_marks(d.blocks)}
    block = last.blocks[0]
    assert isinstance(block, IndexBlock)
    locators = [loc.mark for e in iter_entries(block) for loc in e.locators]
    assert locators and set(locators) <= marks


def test_cli_index_json(capsys):
    from communique.cli import main

    main(["research", "index", str(FIXTURES / "book.md"), "--terms", str(FIXTURES / "book-terms.txt"), "--json"])
    data = json.loads(capsys.readouterr().out)
    headings = [e["heading"] for g in data["groups"] for e in g["entries"]]
    assert "Shah Mahmood Qureshi" in headings and data["language"] == "en"


@pytest.mark.java
def test_index_in_an_epub_links_to_its_chapters_and_passes_epubcheck(book, terms, tmp_path):
    import zipfile
    from copy import deepcopy

    from communique.editions import registry

    doc = add_index(deepcopy(book), terms=terms)
    out = tmp_path / "book.epub"
    report = registry.write("epub", doc, out, {"generate_cover": False})
    assert not [w for w in getattr(report, "warnings", []) if "link" in str(w)], report.warnings
    with zipfile.ZipFile(out) as z:
        index_file = next(n for n in z.namelist() if n.endswith(".xhtml") and 'epub:type="index"' in z.read(n).decode())
        html = z.read(index_file).decode()
        assert "Shanghai Cooperation Organization" in html and 'href="' in html
    from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

    try:
        results = check_epubs([out])
    except EpubCheckUnavailable as exc:
        pytest.skip(f"EPUBCheck cannot run: {exc}")
    result = results[out.resolve()]
    assert result.clean, result.messages
