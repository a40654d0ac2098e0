from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from communique.kdp import facts
from communique.kdp.geometry import (
    Margins, Rect, Trim, cover_size, cover_zones, interior_page_size, margin_shortfalls,
    required_gutter, spine_width, to_px,
)

pages_st = st.integers(min_value=24, max_value=828)
paper_st = st.sampled_from(facts.PAPERS)
trim_st = st.sampled_from([Trim(w, h) for w, h in facts.STANDARD_TRIMS.value])


def test_worked_example_sheet_section_5():
    # 300 pages white -> 0.6756 in spine; 6x9 -> 12.9256 x 9.25 in -> 3878 x 2775 px at 300 DPI.
    size = cover_size("6x9", 300, "white")
    assert size.spine == D("0.6756")
    assert (size.width, size.height) == (D("12.9256"), D("9.25"))
    assert size.pixels(300) == (3878, 2775)
    assert size.to_dict()["width_in"] == pytest.approx(12.9256)


@given(pages_st, pages_st, paper_st)
def test_spine_is_linear_and_monotonic(a, b, paper):
    assert spine_width(a + b, paper) == spine_width(a, paper) + spine_width(b, paper)
    if a < b:
        assert spine_width(a, paper) < spine_width(b, paper)


@given(trim_st, pages_st, paper_st)
def test_cover_size_formula(trim, pages, paper):
    size = cover_size(trim, pages, paper)
    assert size.width == 2 * trim.width + spine_width(pages, paper) + 2 * D("0.125")
    assert size.height == trim.height + D("0.25")


@given(trim_st, pages_st, paper_st)
def test_zones_tile_the_wrap_and_nest(trim, pages, paper):
    z = cover_zones(trim, pages, paper)
    b = facts.BLEED.value
    assert z.back.x == b and z.back.right == z.spine.x and z.spine.right == z.front.x
    assert z.front.right + b == z.size.width
    assert z.back.contains(z.barcode) and z.back.contains(z.back_safe)
    assert z.front.contains(z.front_safe) and z.spine.contains(z.spine_safe)
    # barcode sits offset from the spine fold and the bottom trim
    assert z.back.right - z.barcode.right == facts.BARCODE_OFFSET.value
    assert z.back.bottom - z.barcode.bottom == facts.BARCODE_OFFSET.value
    assert z.spine_text_allowed == (pages >= 79)


def test_gutter_table_values_and_edges():
    assert required_gutter(24) == D("0.375")
    assert required_gutter(150) == D("0.375")
    assert required_gutter(151) == D("0.5")
    assert required_gutter(320) == D("0.625")
    assert required_gutter(828) == D("0.875")
    assert required_gutter(830) is None and required_gutter(10) is None


@given(pages_st, pages_st)
def test_gutter_never_shrinks_as_pages_grow(a, b):
    lo, hi = sorted((a, b))
    assert required_gutter(lo) <= required_gutter(hi)


@given(pages_st, st.booleans(), st.decimals(min_value=0, max_value=2, places=3))
def test_margins_shortfall_iff_below_minimum(pages, bleed, m):
    shorts = {s.edge for s in margin_shortfalls(pages, Margins(m, m, m, m), bleed)}
    outer = D("0.375") if bleed else D("0.25")
    assert ("inside" in shorts) == (m < required_gutter(pages))
    assert ("top" in shorts) == (m < outer)


def test_interior_page_size_with_bleed():
    assert interior_page_size("6x9", bleed=True) == (D("6.125"), D("9.25"))
    assert interior_page_size("6x9", bleed=False) == (D(6), D(9))


@pytest.mark.parametrize("text,expected", [
    ("6x9", (D(6), D(9))), ("6 × 9 in", (D(6), D(9))), ("5.06X7.81", (D("5.06"), D("7.81"))),
    ("152.4 x 228.6 mm", (D("6.00"), D("9.00"))),
])
def test_trim_parse(text, expected):
    t = Trim.parse(text)
    assert (t.width, t.height) == expected


@pytest.mark.parametrize("bad", ["6by9", "", "0x9", "x9"])
def test_trim_parse_rejects(bad):
    with pytest.raises(ValueError, match="trim"):
        Trim.parse(bad)


def test_large_trim_rule():
    assert not Trim.parse("6x9").is_large
    assert Trim.parse("6.14x9.21").is_large  # wider than 6.12 in
    assert Trim.parse("5x9.01").is_large


def test_rect_intersection_excludes_touching_edges():
    a = Rect.of(0, 0, 1, 1)
    assert not a.intersects(Rect.of(1, 0, 1, 1))
    assert a.intersects(Rect.of("0.99", 0, 1, 1))


def test_to_px_rounds_half_up():
    assert to_px(D("0.5") / 300) == 1
