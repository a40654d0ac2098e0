"""Per-store prices the author sets, and exchange rates that know their age: the kit's price
table ships the author's price where one is set and converts the rest with the given rates; the
preflight checks exactly those prices and says when the rates are old."""
import json
from datetime import date, timedelta
from decimal import Decimal as D

from communique.kdp import facts, pricing
from communique.kdp.kit_folder import _rates_check
from communique.kdp.kit_prices import price_table
from communique.kdp.metadata import BookMetadata
from communique.kdp.preflight import check_prices
from communique.kdp.rates import Rates, overlay


def _md(**kw):
    return BookMetadata.from_front_matter({"title": "Priced", "trim": "6x9", "price_usd": "4.99",
                                           "paperback_price_usd": "14.99", **kw})


def _rows(table, fmt):
    return {r["marketplace"]: r for r in table[fmt]}


def test_author_prices_ship_and_the_rest_are_converted_with_the_given_rates():
    md = _md(ebook_prices={"UK": "3.49", "IN": "299"}, paperback_prices={"DE": "15.49"})
    rates = overlay(Rates.default(), {"GBP": (D("0.50"), date(2026, 11, 20))}, "typed in")
    table = price_table(md, 200, 1024 * 1024, rates, today=date(2026, 12, 1))
    ebook, paper = _rows(table, "ebook"), _rows(table, "paperback")
    assert ebook["UK"]["list_price"] == "3.49" and ebook["UK"]["price_source"] == "author"
    assert ebook["IN"]["list_price"] == "299" and ebook["IN"]["price_source"] == "author"
    assert paper["DE"]["list_price"] == "15.49" and paper["DE"]["price_source"] == "author"
    assert ebook["US"]["price_source"] == "primary" and ebook["CA"]["price_source"] == "converted"
    # The paperback's UK price is converted with the typed GBP rate (0.50, not the table's 0.76).
    default = price_table(md, 200, 1024 * 1024, Rates.default())
    assert D(paper["UK"]["list_price"]) < D(_rows(default, "paperback")["UK"]["list_price"])
    assert table["exchange_rates_as_of"] == rates.as_of.isoformat()
    assert table["exchange_rates"]["per_usd"]["GBP"] == "0.50"


def test_rates_are_as_old_as_their_oldest_and_flag_when_stale():
    typed = {c: (v.value, date(2026, 11, 25)) for c, v in facts.EXCHANGE_RATES.items() if c != "USD"}
    fresh = overlay(Rates.default(), typed, "typed in")
    assert fresh.as_of == date(2026, 11, 25) and not fresh.is_stale(date(2026, 12, 1))
    typed["JPY"] = (D("150"), date(2026, 9, 1))
    old = overlay(Rates.default(), typed, "typed in")
    assert old.as_of == date(2026, 9, 1) and old.is_stale(date(2026, 12, 1))
    table = price_table(_md(), 120, 500_000, old, today=date(2026, 12, 1))
    assert table["exchange_rates_stale"] is True and table["exchange_rates_age_days"] == 91


def test_an_out_of_range_author_price_is_shipped_as_set_and_fails_the_preflight():
    md = _md(ebook_prices={"UK": "12.99"})
    table = price_table(md, 200, 1024 * 1024)
    uk = _rows(table, "ebook")["UK"]
    assert uk["list_price"] == "12.99"  # never silently moved into the band
    assert any("above the 70% maximum" in f["message"] for f in uk["flags"])
    shipped = {r["marketplace"]: D(r["list_price"]) for r in table["ebook"]}
    checks = {c.rule_id: c for c in check_prices(ebook=shipped, size_mb=1, plan=70)}
    assert checks["price.ebook.UK"].status == "fail" and "GBP 12.99" in checks["price.ebook.UK"].message


def test_store_prices_are_checked_for_store_and_currency_units():
    import pytest

    from communique.kdp.metadata import MetadataError

    with pytest.raises(MetadataError, match="XX"):
        _md(ebook_prices={"XX": "1"})
    with pytest.raises(MetadataError, match="more decimals than JPY"):
        _md(ebook_prices={"JP": "500.5"})
    md = _md(ebook_prices={"jp": "500"})
    assert md.ebook_prices == {"JP": D("500")}
    assert BookMetadata.from_dict(md.to_dict()).ebook_prices == {"JP": D("500")}


def test_preflight_says_how_old_the_rates_behind_converted_prices_are(tmp_path):
    as_of = date.today() - timedelta(days=45)
    rows = [{"marketplace": "UK", "list_price": "3.99", "price_source": "converted"}]
    (tmp_path / "prices.json").write_text(json.dumps({"exchange_rates_as_of": as_of.isoformat(), "ebook": rows}))
    check = _rates_check(tmp_path)
    assert check.status == "verify" and "45 days old" in check.message
    (tmp_path / "prices.json").write_text(json.dumps({"exchange_rates_as_of": date.today().isoformat(), "ebook": rows}))
    assert _rates_check(tmp_path).status == "pass"
    rows[0]["price_source"] = "author"  # no converted price: the rates' age does not matter
    (tmp_path / "prices.json").write_text(json.dumps({"exchange_rates_as_of": as_of.isoformat(), "ebook": rows}))
    assert _rates_check(tmp_path) is None


def test_convert_uses_the_given_rates():
    rates = Rates({"USD": D(1), "GBP": D("0.5")}, date(2026, 1, 1))
    assert pricing.convert(D("10"), "USD", "GBP", rates) == D("5")
    assert pricing.convert(D("10"), "USD", "GBP") == D("10") * facts.EXCHANGE_RATES["GBP"].value
