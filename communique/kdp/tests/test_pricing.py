from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from communique.kdp import facts, pricing
from communique.kdp.pricing import (
    charm, ebook_band, ebook_royalty, min_paperback_price, paperback_royalty, printing_cost,
    propose_ebook_prices, propose_paperback_prices,
)

EBOOK_STORES = [c for c, m in facts.MARKETPLACES.items() if m.ebook.value]
KNOWN_70 = [c for c in EBOOK_STORES if ebook_band(facts.MARKETPLACES[c].currency, 70).value.low is not None]
price_st = st.decimals(min_value="0.99", max_value="500", places=2)
mb_st = st.decimals(min_value="0", max_value="50", places=2)


# --- worked examples from the fact sheet ---------------------------------------------

def test_uk_worked_example_sheet_2_1():
    # UK £1.99 incl. 20% VAT, 1 MB: 0.70 × (1.99 − 0.33 − 0.10) = £1.09
    r = ebook_royalty("1.99", "UK", 1, vat_rate="0.20")
    assert (r.vat, r.delivery_cost, r.royalty_70) == (D("0.33"), D("0.10"), D("1.09"))
    assert r.eligible_70 == "yes"


def test_us_worked_example_sheet_2_3():
    # USD 4.99, 2 MB on .com at 70%: 0.70 × (4.99 − 0.30) = 3.28
    assert ebook_royalty("4.99", "US", 2).royalty_70 == D("3.28")


def test_paperback_worked_example_sheet_3_1():
    # 6x9, 300 pages, black: cost 4.60; 14.99 -> 60% -> 4.39; 9.49 -> 50% -> 0.15
    assert printing_cost("US", 300, "white", "6x9").value == D("4.60")
    assert paperback_royalty("14.99", "US", 300, "white", "6x9").royalty == D("4.39")
    low = paperback_royalty("9.49", "US", 300, "white", "6x9")
    assert (low.rate, low.royalty) == (D("0.50"), D("0.15"))


def test_printing_cost_flat_band_and_large_trim():
    assert printing_cost("US", 100, "cream", "6x9").value == D("2.30")
    assert printing_cost("US", 100, "white", "8.5x11").value == D("2.84")
    assert printing_cost("US", 300, "white", "8.5x11").value == D("1.00") + 300 * D("0.017")
    assert printing_cost("UK", 300, "white", "6x9") is None  # gap in the sheet


# --- eBook royalty properties ----------------------------------------------------------

@given(price_st, st.sampled_from(EBOOK_STORES), mb_st)
def test_royalties_never_exceed_price(price, mp, mb):
    r = ebook_royalty(price, mp, mb)
    assert D(0) <= r.royalty_35 <= r.list_price
    assert r.royalty_70 is None or D(0) <= r.royalty_70 <= r.list_price


@given(st.sampled_from(KNOWN_70), st.data())
def test_70_beats_35_inside_band_when_delivery_small(mp, data):
    band = ebook_band(facts.MARKETPLACES[mp].currency, 70).value
    unit = facts.MINOR_UNIT[facts.MARKETPLACES[mp].currency]
    price = data.draw(st.decimals(min_value=band.low, max_value=band.high).map(lambda p: p.quantize(unit)))
    assume(band.low <= price <= band.high)
    r = ebook_royalty(price, mp, D("0.1"))
    assert r.royalty_70 is not None and r.royalty_70 >= r.royalty_35


@given(st.sampled_from(KNOWN_70), price_st)
def test_70_only_inside_band(mp, price):
    band = ebook_band(facts.MARKETPLACES[mp].currency, 70)
    r = ebook_royalty(price, mp, 1)
    if band.needs_verify:
        assert r.eligible_70 == "verify"
    elif band.value.contains(r.list_price):
        assert r.royalty_70 is not None
    else:
        assert r.royalty_70 is None and r.eligible_70 == "no"


def test_select_markets_report_a_condition():
    for mp in ("BR", "JP", "MX", "IN"):
        cur = facts.MARKETPLACES[mp].currency
        low = ebook_band(cur, 70).value.low or D(100)
        r = ebook_royalty(low, mp, 1)
        assert "KDP Select enrolment" in r.conditions
        assert any(f.code == "select_required" for f in r.flags)
    assert ebook_royalty("4.99", "US", 1).conditions == []
    jp_low = ebook_band(facts.MARKETPLACES["JP"].currency, 70).value.low or D(100)
    assert "select_required" not in [f.code for f in ebook_royalty(jp_low, "JP", 1, kdp_select=True).flags]


def test_public_domain_is_35_only():
    r = ebook_royalty("4.99", "US", 1, public_domain=True)
    assert r.royalty_70 is None and r.eligible_70 == "no"


def test_ebook_below_print_is_always_verify():
    ok = pricing.check_ebook_below_print("4.99", "14.99", "USD")
    bad = pricing.check_ebook_below_print("12.99", "14.99", "USD")
    assert ok.verify and bad.verify
    assert "does not meet" in bad.message and "does not meet" not in ok.message


# --- charm rounding and proposals -----------------------------------------------------

@given(st.decimals(min_value="0", max_value="100000", places=2), st.sampled_from(sorted(facts.MINOR_UNIT)))
def test_charm_endings(x, cur):
    c = charm(x, cur)
    if cur in ("USD", "CAD", "GBP", "EUR", "BRL", "AUD", "PLN"):
        assert c % 1 == D("0.99")
        assert abs(c - x) <= D("0.5") or c == D("0.99")
    elif cur in ("INR", "MXN", "SEK"):
        assert c % 10 == 9 and (abs(c - x) <= 5 or c == 9)
    else:
        assert c == c.to_integral_value()


@given(st.decimals(min_value="0.5", max_value="300", places=2), st.sampled_from([35, 70]))
def test_clamped_ebook_proposals_stay_in_known_bands(price, plan):
    for p in propose_ebook_prices(price, "US", plan=plan, size_mb=1):
        band = ebook_band(p.currency, plan, 1)
        if band.value.low is None or band.needs_verify:
            assert any(f.verify for f in p.flags) or band.value.low is not None
            continue
        assert band.value.low <= p.proposed <= band.value.high
        if p.adjusted:
            assert p.flags


def test_unclamped_proposals_flag_out_of_band():
    props = {p.marketplace: p for p in propose_ebook_prices("50", "US", plan=70, clamp=False)}
    assert props["US"].proposed == D("50.00")
    assert props["US"].flags[0].code == "above_max"
    assert props["MX"].flags[0].code == "band_unknown" and props["MX"].flags[0].verify


def test_proposal_to_dict_is_json_ready():
    import json

    json.dumps([p.to_dict() for p in propose_ebook_prices("4.99")])
    json.dumps(ebook_royalty("4.99", "DE", 3).to_dict())


# --- paperback minimum price ------------------------------------------------------------

PRINT_KNOWN = [("US", "white", "6x9"), ("US", "cream", "8.5x11"), ("UK", "white", "6x9"),
               ("DE", "white", "6x9"), ("JP", "cream", "6x9"), ("AU", "white", "6x9"),
               ("US", "premium_color", "6x9")]


@given(st.sampled_from(PRINT_KNOWN), st.integers(12, 414).map(lambda n: n * 2))
def test_min_paperback_price_is_the_break_even(case, pages):
    mp, paper, trim = case
    cost = printing_cost(mp, pages, paper, trim)
    assume(cost is not None)
    low = min_paperback_price(mp, cost.value)
    assert paperback_royalty(low, mp, pages, paper, trim).royalty >= 0
    unit = facts.MINOR_UNIT[facts.MARKETPLACES[mp].currency]
    # Unrounded: a royalty of -0.002 prints as 0.00 but is still a loss.
    below = pricing._print_royalty(low - unit, mp, cost.value, exact=True)
    threshold = facts.PRINT_RATE_THRESHOLD[facts.MARKETPLACES[mp].currency].value
    assert below < 0 or low == threshold


@given(st.decimals(min_value="1", max_value="200", places=2), st.integers(12, 414).map(lambda n: n * 2))
def test_paperback_royalty_below_price_and_rate_by_threshold(price, pages):
    r = paperback_royalty(price, "US", pages, "white", "6x9")
    assert r.royalty < r.list_price
    assert r.rate == (D("0.60") if r.list_price >= D("9.99") else D("0.50"))
    assert any(f.code == "below_min" for f in r.flags) == (r.list_price < r.min_list_price)


def test_paperback_proposals_raise_to_minimum():
    props = {p.marketplace: p for p in propose_paperback_prices("3", "US", pages=300, paper="white", trim="6x9")}
    us = props["US"]
    assert us.adjusted and us.proposed >= us.low and us.proposed % 1 == D("0.99")
    assert any(f.verify for f in props["UK"].flags)  # UK 300-page cost is a gap


def test_unknown_marketplace_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown marketplace"):
        ebook_royalty("4.99", "XX", 1)
