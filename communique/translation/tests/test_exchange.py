"""XLIFF 2.0 and PO round trips, translate-toolkit reading our XLIFF, and files that must be refused."""
import copy

import pytest

from communique.translation import pipeline, po, xliff
from communique.translation.segments import Tag
from communique.translation.xliff import ExchangeError


def _draft(doc, lang="es"):
    tr = pipeline.start(doc, lang)
    for u in tr.units:
        for s in u.segments:
            # A stand-in translation that keeps the codes: upper-cased text.
            s.target = [x.upper() if isinstance(x, str) else x for x in s.source]
            s.state = "machine"
    first = tr.units[0].segments[0]
    first.state, first.comments = "reviewed", ["Check the title with the author."]
    return tr


def _snapshot(tr):
    return [(u.id, s.id, s.target, s.state, s.comments) for u in tr.units for s in u.segments]


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_round_trip_loses_nothing(small_doc, sample_doc, fmt):
    for doc in (small_doc, sample_doc):
        tr = _draft(doc)
        export, import_ = (xliff.export_xliff, xliff.import_xliff) if fmt == "xliff" else (po.export_po, po.import_po)
        back = import_(export(tr), pipeline.start(doc, "es"))
        assert _snapshot(back) == _snapshot(tr)


def test_xliff_uses_pc_ph_and_unit_notes(small_doc):
    data = xliff.export_xliff(_draft(small_doc)).decode()
    assert '<pc id="1" type="fmt" subType="xlf:b"' in data
    assert '<ph id="3" type="other" subType="communique:noteref" dataRef="d3" disp="[n1]"/>' in data
    assert '<data id="d1">https://example.org/report?a=1&amp;b=2</data>' in data
    assert '<note category="location">' in data


def test_translate_toolkit_reads_our_xliff_unit_by_unit(small_doc, tmp_path):
    from translate.storage import xliff2

    tr = _draft(small_doc)
    store = xliff2.Xliff2File.parsestring(xliff.export_xliff(tr))
    units = [u for u in store.units if u.getid()]
    assert len(units) == sum(len(u.segments) for u in tr.units)
    by_id = {u.getid(): u for u in units}
    assert by_id["meta.title::s1"].source == "A Small Test Book"
    assert by_id["meta.title::s1"].target == "A SMALL TEST BOOK"


def test_po_codes_are_braces_and_literal_braces_double(small_doc):
    tr = _draft(small_doc)
    text = po.export_po(tr).decode()
    assert 'msgid "The {1}big {2}red{/2} car{/1} is very fast{3/}."' in text
    assert po.parse("a {{b}} {1}c{/1}", "x") == ["a {b} ", Tag("open", "1"), "c", Tag("close", "1")]


def _xliff(tr):
    return xliff.export_xliff(tr).decode()


def _refused(doc, data: str, match: str, fmt="xliff"):
    fresh = pipeline.start(doc, "es")
    before = copy.deepcopy(fresh)
    fn = xliff.import_xliff if fmt == "xliff" else po.import_po
    with pytest.raises(ExchangeError, match=match):
        fn(data.encode() if isinstance(data, str) else data, fresh)
    assert _snapshot(fresh) == _snapshot(before)  # nothing changed


def test_wrong_document_language_or_version_is_refused(small_doc, sample_doc):
    tr = _draft(small_doc)
    data = _xliff(tr)
    _refused(sample_doc, data, "made for document")
    with pytest.raises(ExchangeError, match="for language 'es', not 'ur'"):
        xliff.import_xliff(data.encode(), pipeline.start(small_doc, "ur"))
    changed = copy.deepcopy(small_doc)
    changed.divisions[0].blocks[0].children[0].text = "A "
    _refused(changed, data, "source version")
    _refused(sample_doc, po.export_po(tr), "made for document", fmt="po")


def test_hostile_and_malformed_xliff_is_refused_naming_the_problem(small_doc):
    data = _xliff(_draft(small_doc))
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
            + data.split("?>", 1)[1])
    _refused(small_doc, bomb, "DOCTYPE or ENTITY")
    _refused(small_doc, data[:-20], "not well-formed")
    _refused(small_doc, data.replace('unit id="d0.b0"', 'unit id="d9.b9"'), "unit 'd9.b9' is not in the document")
    _refused(small_doc, data.replace('<segment id="s2"', '<segment id="s7"', 1), "segment s7: no such segment")
    target = data.split('<unit id="d0.b0"', 1)[1].split("<target>", 1)[1].split("</target>", 1)[0]
    no_note = target.replace('<ph id="3" type="other" subType="communique:noteref" dataRef="d3" disp="[n1]"/>', "")
    _refused(small_doc, data.replace(target, no_note, 1), "missing ph 3")
    injected = target.replace("THE ", '<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>', 1)
    _refused(small_doc, data.replace(target, injected, 1), "<script> is not allowed")
    unknown = target.replace('<ph id="3"', '<ph id="99"', 1)
    _refused(small_doc, data.replace(target, unknown, 1), "code id '99' is not a code")
    _refused(small_doc, data.replace('version="2.0"', 'version="1.2"', 1), "only 2.0")
    _refused(small_doc, "<html><body>hi</body></html>", "not an XLIFF 2.0 file")


def test_a_link_address_cannot_be_changed_through_the_file(small_doc):
    data = _xliff(_draft(small_doc)).replace("https://example.org/report?a=1&amp;b=2", "javascript:alert(1)")
    back = xliff.import_xliff(data.encode(), pipeline.start(small_doc, "es"))
    assert "javascript" not in repr(back.translated_document())


def test_hostile_and_malformed_po_is_refused(small_doc):
    data = po.export_po(_draft(small_doc)).decode()
    _refused(small_doc, data.replace('msgctxt "d0.b0|1"', 'msgctxt "d0.b0|9"'), "no such segment", fmt="po")
    _refused(small_doc, data.replace('msgstr "THE {1}BIG', 'msgstr "THE BIG'), "missing open 1", fmt="po")
    _refused(small_doc, data.replace('msgstr "THE {1}BIG', 'msgstr "THE {7}{1}BIG'), r"code \{7\} is not", fmt="po")
    _refused(small_doc, data.replace('msgstr "THE {1}BIG', 'msgstr "THE { {1}BIG'), "single '{'", fmt="po")
    _refused(small_doc, b"\xff\xfe not utf8", "not UTF-8", fmt="po")
