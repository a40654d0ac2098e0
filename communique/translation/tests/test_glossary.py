import pytest

from communique.translation import pipeline, qa
from communique.translation.engines import MTItem, MTResult
from communique.translation.glossary import Glossary, Term, seeded
from communique.translation.segments import Segment, Tag, Unit

from .conftest import needs_apertium


def test_seeded_from_pycountry_catalogs():
    es, ur, zh = seeded("en", "es"), seeded("en", "ur"), seeded("en", "zh-Hans")
    assert es.terms["Pakistan"].renderings == ["Pakistán"]
    assert ur.terms["Pakistan"].renderings == ["پاکستان"]
    assert zh.terms["China"].renderings == ["中国"]
    assert len(es) > 200
    # Names the catalog does not translate are not invented.
    assert "Russian Federation" not in ur.terms


def test_qa_flags_a_term_without_its_approved_rendering():
    g = Glossary("en", "es", [Term("Pakistan", ["Pakistán"]), Term("Communiqué", keep=True)])
    unit = Unit("u", "inline", [])
    seg = Segment("u/s1", ["Communiqué reports from Pakistan."], ["El comunicado informa desde Paquistán."])
    issues = qa.check_segment(seg, unit, qa.Context("en", "es", g))
    messages = [i.message for i in issues if i.check == "glossary"]
    assert "'Pakistan' should be rendered as 'Pakistán'" in messages
    assert "'Communiqué' should be kept as it is" in messages
    seg.target = ["Communiqué informa desde Pakistán."]
    assert not [i for i in qa.check_segment(seg, unit, qa.Context("en", "es", g)) if i.check == "glossary"]


def test_protect_and_restore_around_any_engine():
    g = Glossary("en", "es", [Term("Nankana Sahib", ["Nankana Sahib"]), Term("Pakistan", ["Pakistán"])])
    items, restore = g.protect([MTItem(["From Nankana Sahib in ", Tag("open", "1"), "Pakistan", Tag("close", "1")], {})], "es")
    assert items[0].content == ["From ", Tag("ph", "g1"), " in ", Tag("open", "1"), Tag("ph", "g2"), Tag("close", "1")]
    [out] = restore([MTResult(["De ", Tag("ph", "g1"), " en ", Tag("open", "1"), Tag("close", "1")])])
    assert out.content == ["De Nankana Sahib en ", Tag("open", "1"), Tag("close", "1")]
    assert out.notes == ["glossary term 'Pakistan' lost by the engine"]


@needs_apertium
def test_apertium_with_protected_terms(small_doc):
    g = Glossary("en", "es", [Term("Islamabad", ["Islamabad (capital)"])])
    tr = pipeline.machine_translate(pipeline.start(small_doc, "es"), "apertium", glossary=g)
    seg = next(u for u in tr.units if u.id == "d0.b0").segments[1]
    assert "Islamabad (capital)" in seg.target_text
    assert not tr.check(g).by_check().get("glossary")
