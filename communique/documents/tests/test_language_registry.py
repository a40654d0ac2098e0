"""The one language registry: every other table that names languages derives from it."""
from __future__ import annotations

import datetime

import pytest
from fontTools.ttLib import TTFont

from communique.documents import languages as L
from communique.documents.labels import available, labels_for

ELEVEN = ["ur", "ar", "fa", "ps", "zh-Hans", "ru", "fr", "es", "de", "tr", "hi"]


def test_every_portal_language_is_known_to_kdp():
    # On main Turkish was offered in the portal but missing from kdp/languages.py, so every
    # Turkish kit build failed in BookMetadata ("unknown language 'tr'").
    from communique.books.models import LANGUAGE_CHOICES
    from communique.kdp.languages import iso639_2b, language_name, normalize_language

    for code, name in LANGUAGE_CHOICES:
        assert normalize_language(code) == code
        assert language_name(code) == name
        assert len(iso639_2b(code)) == 3
    assert iso639_2b("tr") == "tur"


def test_site_languages_come_from_the_registry(settings):
    codes = [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]
    assert codes == [e.web_code for e in L.magazine_languages()]
    assert "tr" in codes and "zh-hans" in codes
    assert dict(settings.LANGUAGES)["ur"] == "اردو"


@pytest.mark.parametrize("value, code", [("Turkish", "tr"), ("tur", "tr"), ("zh-CN", "zh-Hans"),
                                         ("zh-TW", "zh-Hant"), ("zh-Hant-HK", "zh-Hant"), ("en-GB", "en"),
                                         ("ur_PK", "ur"), ("Farsi", "fa"), ("zh-hans", "zh-Hans")])
def test_lookup_by_name_code_and_legacy_tag(value, code):
    assert L.code_for(value) == code


def test_unknown_language_is_a_clear_error():
    with pytest.raises(L.UnknownLanguage, match="klingon"):
        L.lookup("klingon")


def test_direction_script_and_italics():
    assert [L.direction_for(c) for c in ("ur", "ar", "fa", "ps", "he", "en", "zh-Hans")] == \
        ["rtl"] * 5 + ["ltr"] * 2
    from communique.documents.model import direction_for

    assert direction_for("ur-PK") == "rtl" and direction_for("tr") == "ltr"
    assert not L.lookup("ur").has_italic and L.lookup("tr").has_italic
    assert L.lookup("ur").fonts.body == "Noto Nastaliq Urdu"
    assert {L.lookup(c).fonts.body for c in ("ar", "fa", "ps")} == {"Noto Naskh Arabic"}
    assert L.lookup("zh-Hans").fonts.body != L.lookup("zh-Hant").fonts.body
    assert L.lookup("hi").fonts.body == "Noto Serif Devanagari"


def test_every_language_s_fonts_are_shipped_single_faces_with_a_licence():
    from communique.editions.fonts import LICENSE_FILE, fonts_for

    assert LICENSE_FILE.is_file()
    for code in ["en", *ELEVEN, "zh-Hant"]:
        faces = fonts_for(code)
        assert faces[0].family == L.lookup(code).fonts.body, code
        for face in faces:
            assert face.path.is_file(), face.path
            assert face.path.suffix in (".ttf", ".otf")  # never a .ttc collection
            font = TTFont(str(face.path), lazy=True)
            assert face.path.stat().st_size < 5_000_000, face.path
            font.close()


@pytest.mark.parametrize("code, sample", [("zh-Hans", "这是国际关系"), ("zh-Hant", "這是國際關係"),
                                          ("hi", "यह अंतरराष्ट्रीय संबंध है"), ("tr", "Dışişleri Bakanlığı")])
def test_shipped_faces_cover_their_script(code, sample):
    from communique.editions.fonts import fonts_for

    cmap = TTFont(str(fonts_for(code)[0].path))["cmap"].getBestCmap()
    missing = [ch for ch in sample if ch != " " and ord(ch) not in cmap]
    assert not missing


def test_numbers_dates_and_collation_follow_the_language():
    assert L.format_number(1234567.5, "de") == "1.234.567,5"
    assert L.format_number(1234567, "hi") == "12,34,567"
    day = datetime.date(2026, 3, 21)
    assert L.format_date(day, "tr") == "21 Mart 2026"
    assert "2026" in L.format_date(day, "fa") or "۲۰۲۶" in L.format_date(day, "fa")  # Gregorian, not 1405
    assert L.format_date(day, "zh-Hans") == "2026年3月21日"
    assert sorted(["çay", "dağ", "cam", "ceviz"], key=L.sort_key("tr")) == ["cam", "ceviz", "çay", "dağ"]


def test_labels_exist_for_every_configured_language():
    assert {"en", *ELEVEN, "zh-Hant"} <= set(available())
    keys = set(labels_for("en"))
    for code in ELEVEN + ["zh-Hant"]:
        labels = labels_for(code)
        assert labels.language == code
        assert set(labels) == keys, code
        assert labels["contents"] != labels_for("en")["contents"], code
    assert labels_for("tr").edition("1") == "Birinci baskı"
    assert labels_for("zh-TW")["contents"] == "目錄" and labels_for("zh-CN")["contents"] == "目录"
