import json
from datetime import date
from decimal import Decimal as D

import pytest

from communique.kdp.description import sanitize_description
from communique.kdp.metadata import BookMetadata, MetadataError

FRONT = {
    "title": "The Long Road", "subtitle": "Essays", "author": "Ana Lima",
    "contributors": [{"name": "Bo Chen", "role": "translator"}],
    "description": "<p>Good</p>", "keywords": "travel; essays", "categories": ["Travel"],
    "language": "English", "reading_age": "8-12", "date": "2026-12-01",
    "isbn_paperback": "978-0-306-40615-7", "trim": "6x9", "paper": "color", "bleed": "yes",
    "price_usd": "4.99", "paperback_price_usd": 14.99, "layout": "ignored",
}


def test_from_front_matter_parses_every_kind_of_field():
    m = BookMetadata.from_front_matter(FRONT)
    assert m.title == "The Long Road" and m.authors == ["Ana Lima"]
    assert [(c.name, c.role) for c in m.contributors] == [("Ana Lima", "Author"), ("Bo Chen", "Translator")]
    assert m.keywords == ["travel", "essays"]
    assert m.language == "en" and (m.reading_age_min, m.reading_age_max) == (8, 12)
    assert m.publication_date == date(2026, 12, 1)
    assert m.isbn_paperback == "9780306406157"
    assert (m.trim.width, m.trim.height) == (D(6), D(9))
    assert m.paper == "premium_color" and m.bleed is True
    assert m.price_usd == D("4.99") and m.paperback_price_usd == D("14.99")


@pytest.mark.parametrize("key,value", [
    ("trim", "six by nine"), ("paper", "glossy"), ("price_usd", "cheap"), ("price_usd", -1),
    ("isbn_paperback", "9780306406158"), ("language", "Klingon"), ("date", "tomorrow"),
    ("reading_age", "twelve"), ("edition", "first"), ("bleed", "maybe"), ("contributors", "x"),
])
def test_bad_field_is_named_in_the_error(key, value):
    with pytest.raises(MetadataError) as exc:
        BookMetadata.from_front_matter({**FRONT, key: value})
    assert isinstance(exc.value, ValueError)
    assert str(exc.value).startswith(key) or exc.value.field == key


def test_missing_title():
    with pytest.raises(ValueError, match="^title"):
        BookMetadata.from_front_matter({"author": "A"})


def test_metadata_json_lists_every_kdp_field():
    data = json.loads(BookMetadata.from_front_matter(FRONT).to_metadata_json())
    for key in ("language", "title", "subtitle", "series", "edition_number", "contributors", "description_html",
                "publishing_rights", "primary_audience", "keywords", "categories", "publisher",
                "publication_date", "low_content", "ai_generated_content", "ebook", "paperback"):
        assert key in data
    assert len(data["keywords"]) == 7  # KDP shows seven slots
    assert data["paperback"]["trim"]["width_in"] == 6.0
    assert data["ebook"]["price_usd"] == "4.99"


def test_sanitizer_converts_and_strips():
    raw = '<div class="x"><h2>Praise</h2><strong>Bold</strong> <a href="http://x">link</a><img src=a>' \
          '<script>bad()</script><span style="color:red">kept</span></div>'
    clean = sanitize_description(raw)
    assert clean.html == "<h4>Praise</h4><b>Bold</b> linkkept"
    for tag in ("<div", "<a ", "<img", "<script", "<span", "style=", "bad()"):
        assert tag not in clean.html
    assert "<b>Bold</b>" in clean.html and "link" in clean.html and "kept" in clean.html
    assert any("<strong> was changed to <b>" in c for c in clean.changes)
    assert any("<a>" in c for c in clean.changes)


def test_sanitizer_leaves_safe_html_alone():
    safe = "<p>One <i>two</i></p><ul><li>three</li></ul>"
    clean = sanitize_description(safe)
    assert clean.html == safe and clean.changes == []


def test_metadata_json_round_trips_to_the_same_shape():
    from communique.kdp.metadata import BookMetadata

    md = BookMetadata.from_front_matter({
        "title": "Round Trip", "subtitle": "Both Ways", "language": "tr", "series": "Tests", "series_number": "2",
        "edition": 2, "contributors": [{"name": "Ayşe Yılmaz", "role": "author"}, {"name": "Ivo", "role": "editor"}],
        "keywords": ["one", "two"], "categories": ["Political Science / Diplomacy"], "publisher": "Test Press",
        "isbn_ebook": "9780306406157", "isbn_paperback": "9781861972712", "trim": "5.5x8.5", "paper": "cream",
        "bleed": True, "price_usd": "4.99", "paperback_price_usd": "12.99", "primary_marketplace": "UK",
        "ai_content": "none", "publication_date": "2026-05-01", "reading_age_min": 12,
    })
    assert BookMetadata.from_dict(md.to_dict()) == md
