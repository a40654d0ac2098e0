import json
from decimal import Decimal as D

import pytest
from lxml import html as lxml_html

from communique.kdp import facts
from communique.kdp.geometry import CoverElement, Margins, Rect, cover_zones
from communique.kdp.metadata import BookMetadata, Contributor
from communique.kdp.preflight import (
    ImageInfo, check_cover, check_ebook_cover, check_interior, check_isbns, check_language,
    check_metadata, check_prices, preflight,
)
from communique.kdp.report import Check, Report


def by_rule(checks):
    return {c.rule_id: c for c in checks}


def meta(**kw):
    base = dict(title="T", contributors=[Contributor("A", "Author")])
    return BookMetadata(**{**base, **kw})


def test_gutter_message_is_the_plain_sentence():
    checks = by_rule(check_interior("6x9", 320, "white", margins=Margins.of("0.5", "0.5", "0.5", "0.5")))
    assert checks["interior.gutter"].status == "fail"
    assert checks["interior.gutter"].message == \
        "The inside margin is 0.5 in, but a 320-page book needs at least 0.625 in."
    assert checks["interior.outer_margins"].status == "pass"


def test_outer_margins_with_bleed():
    checks = by_rule(check_interior("6x9", 100, "white", bleed=True, margins=Margins.of(1, "0.3", "0.3", 1)))
    assert checks["interior.outer_margins"].status == "fail"
    assert "outside and top margins" in checks["interior.outer_margins"].message
    assert "0.375 in" in checks["interior.outer_margins"].message


@pytest.mark.parametrize("trim,pages,paper,status", [
    ("6x9", 828, "white", "pass"), ("6x9", 830, "white", "fail"), ("6x9", 800, "cream", "fail"),
    ("8.5x11", 600, "white", "fail"), ("8.5x11", 590, "white", "pass"), ("6x9", 70, "standard_color", "fail"),
    ("8.27x11.69", 100, "standard_color", "fail"),
])
def test_page_count_limits(trim, pages, paper, status):
    assert by_rule(check_interior(trim, pages, paper))["interior.page_count"].status == status


def test_odd_page_count_and_trims():
    checks = by_rule(check_interior("5x7", 101, "white"))
    assert checks["interior.page_count_even"].status == "fail"
    assert checks["interior.trim"].status == "pass"  # custom 5x7 is inside the custom range
    assert by_rule(check_interior("3x5", 100, "white"))["interior.trim"].status == "fail"


def test_interior_page_size_with_bleed():
    ok = by_rule(check_interior("6x9", 100, "white", bleed=True, page_size_in=(D("6.125"), D("9.25"))))
    bad = by_rule(check_interior("6x9", 100, "white", bleed=True, page_size_in=(D(6), D(9))))
    assert ok["interior.page_size"].status == "pass"
    assert bad["interior.page_size"].status == "fail" and "6.125 in × 9.25 in" in bad["interior.page_size"].message


def test_metadata_limits():
    m = meta(title="x" * 150, subtitle="y" * 51, keywords=["k"] * 8 + ["z" * 51], categories=list("abcd"),
             description_html="<p>" + "d" * 4000 + "</p>")
    checks = by_rule(check_metadata(m))
    for rule in ("metadata.title_length", "metadata.keywords_count", "metadata.keywords_length",
                 "metadata.categories", "metadata.description_length"):
        assert checks[rule].status == "fail", rule
    ok = by_rule(check_metadata(meta(title="x" * 150, subtitle="y" * 50, keywords=["k"] * 7, categories=list("abc"))))
    for rule in ("metadata.title_length", "metadata.keywords_count", "metadata.keywords_length",
                 "metadata.categories", "metadata.description_length"):
        assert ok[rule].status == "pass", rule


def test_contributor_roles_are_verify_because_the_list_is_stale():
    checks = by_rule(check_metadata(meta(contributors=[Contributor("A", "Author"), Contributor("B", "Dancer")])))
    c = checks["metadata.contributor_roles"]
    assert c.status == "verify" and "B (Dancer)" in c.message


def test_isbn_checks():
    checks = by_rule(check_isbns("9780306406157", "978-0-306-40615-7"))
    assert checks["isbn.distinct"].status == "fail"
    assert by_rule(check_isbns(None, "9780306406158"))["isbn.paperback"].status == "fail"
    assert by_rule(check_isbns("9781861972712", "9780306406157"))["isbn.distinct"].status == "pass"


@pytest.mark.parametrize("lang,fmt,status", [
    ("English", "ebook", "pass"), ("en", "paperback", "pass"), ("Arabic", "ebook", "pass"),
    ("Arabic", "paperback", "fail"), ("Urdu", "ebook", "verify"), ("Persian", "paperback", "verify"),
    ("Russian", "ebook", "verify"), ("zh-CN", "ebook", "verify"), ("Polish", "ebook", "verify"),
    ("Hebrew", "paperback", "pass"), ("Klingon", "ebook", "verify"),
])
def test_language_support(lang, fmt, status):
    (check,) = check_language(lang, [fmt])
    assert check.status == status, check.message


def _cover_elements(z, **extra):
    els = [CoverElement("background", "background", z.full),
           CoverElement("title", "text", z.front_safe.inset(D("0.5")))]
    return els + [CoverElement(n, "text", r) for n, r in extra.items()]


def test_cover_barcode_and_safe_zone():
    z = cover_zones("6x9", 300, "white")
    clean = by_rule(check_cover("6x9", 300, "white", elements=_cover_elements(z)))
    assert clean["cover.barcode"].status == "pass" and clean["cover.safe_zone"].status == "pass"
    # Text right on the primary barcode box clashes under both readings of the offset.
    hit = by_rule(check_cover("6x9", 300, "white", elements=_cover_elements(z, blurb=z.barcode.inset(D("0.3")))))
    assert hit["cover.barcode"].status == "fail" and "blurb" in hit["cover.barcode"].message
    # Text only inside the 0.125-offset reading's extra strip: sources disagree -> verify.
    strip = Rect(z.barcode.right + D("0.01"), z.barcode.bottom + D("0.01"), D("0.1"), D("0.1"))
    near = by_rule(check_cover("6x9", 300, "white", elements=_cover_elements(z, note=strip)))
    assert near["cover.barcode"].status == "verify"
    # 0.2 in from the trim: inside the 0.125 safe reading, outside the 0.25 one -> verify.
    edge = Rect(z.front.x + D("0.2"), z.front.y + D("1"), D(1), D("0.5"))
    assert by_rule(check_cover("6x9", 300, "white", elements=_cover_elements(z, tag=edge)))["cover.safe_zone"].status == "verify"
    off = Rect(z.front.x - D("0.05"), z.front.y + D("1"), D(1), D("0.5"))
    assert by_rule(check_cover("6x9", 300, "white", elements=_cover_elements(z, tag=off)))["cover.safe_zone"].status == "fail"


def test_cover_size_and_spine_text():
    ok = by_rule(check_cover("6x9", 300, "white", size_in=(D("12.9256"), D("9.25"))))
    assert ok["cover.size"].status == "pass"
    bad = by_rule(check_cover("6x9", 300, "cream", size_in=(D("12.9256"), D("9.25"))))
    assert bad["cover.size"].status == "fail" and "13" in bad["cover.size"].message
    thin = by_rule(check_cover("6x9", 78, "white", has_spine_text=True))
    assert thin["cover.spine_text"].status == "fail"
    assert by_rule(check_cover("6x9", 79, "white", has_spine_text=True))["cover.spine_text"].status == "pass"


@pytest.mark.parametrize("info,fails", [
    (ImageInfo(1600, 2560, "RGB", 2_000_000), set()),
    (ImageInfo(600, 960, "RGB", 100_000), {"ebook_cover.size"}),
    (ImageInfo(12000, 19200, "RGB", 100_000), {"ebook_cover.size"}),
    (ImageInfo(2000, 2000, "CMYK", 60 * 1024 * 1024), {"ebook_cover.ratio", "ebook_cover.rgb", "ebook_cover.file_size"}),
])
def test_ebook_cover_checks(info, fails):
    assert {c.rule_id for c in check_ebook_cover(info) if c.status == "fail"} == fails


def test_price_checks():
    checks = by_rule(check_prices(ebook={"US": D("0.50"), "UK": D("3.99"), "MX": D("99")}, plan=70))
    assert checks["price.ebook.US"].status == "fail"
    assert checks["price.ebook.UK"].status == "pass"
    assert checks["price.ebook.MX"].status == "verify"
    both = by_rule(check_prices(ebook={"US": D("12.99")}, paperback={"US": D("14.99")}, plan=35,
                                pages=300, trim="6x9"))
    assert both["price.ebook_below_print"].status == "verify"
    assert both["price.paperback.US"].status == "pass"


def test_report_status_json_text_html():
    r = Report([Check("a", "pass", "Fine.", "s"), Check("b", "verify", "Unsure <x>.", "s")])
    assert r.status == "verify"
    r.add(Check("c", "fail", "Broken.", "s"))
    assert r.status == "fail" and r.counts() == {"fail": 1, "verify": 1, "pass": 1}
    data = json.loads(r.to_json())
    assert [c["rule_id"] for c in data["checks"]] == ["c", "b", "a"]
    assert r.to_text().splitlines()[2].startswith("✗")
    doc = lxml_html.fromstring(r.to_html())
    assert [td.text for td in doc.xpath("//td[@class='status']")] == ["Fix", "Verify", "OK"]
    assert "Unsure <x>." in doc.text_content()
    with pytest.raises(ValueError):
        Check("x", "maybe", "m", "s")


def test_unverified_fact_never_passes_or_fails():
    from communique.kdp.report import status_for

    for conf in facts.VERIFY_CONFIDENCES:
        f = facts.Fact(1, "src", conf)
        assert status_for(True, f) == status_for(False, f) == "verify"


def test_full_preflight_runs_from_metadata():
    m = BookMetadata.from_front_matter({"title": "Road", "author": "Ana", "trim": "6x9", "price_usd": "4.99",
                                        "paperback_price_usd": "3", "isbn_paperback": "9780306406157"})
    r = preflight(m, pages=320, margins=Margins.of("0.625", "0.5", "0.5", "0.5"), ebook_size_mb=2)
    rules = by_rule(r.checks)
    assert rules["interior.gutter"].status == "pass"
    assert rules["price.adjusted"].status == "pass" and "amazon.com (USD" in rules["price.adjusted"].message
    assert rules["price.paperback.US"].status == "pass"
    assert r.status in ("verify", "fail")
    json.loads(r.to_json())
