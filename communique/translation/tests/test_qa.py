import pytest

from communique.translation import qa
from communique.translation.numbers import compare, numbers
from communique.translation.segments import Segment, Tag, Unit, InlineCode


@pytest.mark.parametrize("text,lang", [
    ("12.4 billion", "en"), ("12,4 mil millones", "es"), ("12.4 miles de millones", "es"), ("۱۲٫۴ میلیارد", "fa"),
    ("124亿", "zh-Hans"), ("۱۲٫۴ ارب", "ur"), ("१२.४ अरब", "hi"), ("12,4 млрд", "ru"), ("12,4 milliards", "fr"),
    ("12,4 Milliarden", "de"), ("12,4 milyar", "tr"), ("١٢٫٤ مليار", "ar"),
])
def test_numbers_read_by_value_in_each_language(text, lang):
    assert numbers(text, lang) == [12.4e9]


def test_group_and_decimal_separators_by_locale():
    assert numbers("1,200 and 3.5 and 1,234.5", "en") == [1200, 3.5, 1234.5]
    assert numbers("1.200 y 3,5 y 1.234,5", "es") == [1200, 3.5, 1234.5]
    assert compare("800 km and 5 days", "en", "800 km y 6 días", "es") == ([5.0], [6.0])


def _seg(source, target, codes=None):
    unit = Unit("u", "inline", [], codes or {})
    seg = Segment("u/s1", source, target)
    unit.segments.append(seg)
    return seg, unit


def _checks(source, target, lang="es", codes=None):
    seg, unit = _seg(source, target, codes)
    return {(i.check, i.severity) for i in qa.check_segment(seg, unit, qa.Context("en", lang))}


def test_codes_missing_reordered_and_misnested():
    codes = {"1": InlineCode("1", "emph"), "2": InlineCode("2", "note", "n1")}
    src = ["a ", Tag("open", "1"), "b", Tag("close", "1"), Tag("ph", "2")]
    assert ("codes", "error") in _checks(src, ["x ", Tag("ph", "2")], codes=codes)
    assert ("codes", "warning") in _checks(src, [Tag("ph", "2"), "x ", Tag("open", "1"), "y", Tag("close", "1")], codes=codes)
    assert _checks(src, ["x ", Tag("open", "1"), "y", Tag("close", "1"), Tag("ph", "2")], codes=codes) == set()


def test_number_mismatch_untranslated_spaces_punctuation_length():
    assert ("numbers", "error") in _checks(["It costs 12.4 billion."], ["Cuesta 12 mil millones."])
    assert _checks(["It costs 12.4 billion."], ["Cuesta 12,4 mil millones."]) == set()
    assert ("untranslated", "error") in _checks(["The red car."], ["The red car."])
    assert ("spaces", "warning") in _checks(["The red car."], ["El  coche rojo."])
    assert ("punctuation", "warning") in _checks(["Is it red?"], ["Es rojo?"])
    assert ("punctuation", "warning") in _checks(["It is red, very red."], ["یہ سرخ ہے, بہت سرخ."], lang="ur")
    assert ("punctuation", "warning") in _checks(["It is red, very red."], ["它是红色的,非常红。"], lang="zh-Hans")
    assert ("length", "warning") in _checks(["A rather long sentence about diplomacy."], ["Sí."])
    assert ("untranslated", "warning") in _checks(["The embassy opened a new office."],
                                                  ["The embassy opened a new office ہے"], lang="ur")


def test_report_summarises_per_document():
    seg, unit = _seg(["It costs 5 dollars."], ["Cuesta 6 dólares."])
    seg.state = "machine"
    report = qa.check_units([unit], "en", "es")
    d = report.as_dict()
    assert d["segments"] == 1 and d["errors"] == 1 and d["by_check"] == {"numbers": 2} and d["states"] == {"machine": 1}


def test_space_before_punctuation():
    assert ("spaces", "warning") in _checks(["It is in anyone's mind."], ["Está en cualquiera es mente ."])
    assert _checks(["It is in anyone's mind."], ["Está en la mente de cualquiera."]) == set()
