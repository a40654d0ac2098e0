"""The kit's prices: every marketplace's list price and royalty from the real EPUB size and page
count (prices.json). A store the author priced explicitly ships the author's price (never moved
into a band: out of range is the preflight's failure to report); every other store's price is
converted from the primary one with the dated exchange rates. The preflight checks exactly these."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import facts, pricing
from .metadata import BookMetadata
from .rates import STALE_AFTER_DAYS, Rates


def _s(value) -> str | None:
    return None if value is None else str(value)


def _own_price(prop: pricing.PriceProposal, price: Decimal, flags) -> pricing.PriceProposal:
    prop.proposed, prop.adjusted, prop.flags = pricing.money(price, prop.currency), False, list(flags)
    return prop


def price_table(md: BookMetadata, pages: int, epub_bytes: int, rates: Rates | None = None,
                today=None) -> dict:
    """Prices and royalties for every marketplace, from the real EPUB size and page count."""
    rates = rates or Rates.default()
    size_mb = (Decimal(epub_bytes) / Decimal(1024 * 1024)).quantize(Decimal("0.001"))
    out: dict[str, Any] = {"epub_mb": str(size_mb), "pages": pages, "paper": md.paper, "trim": str(md.trim),
                           "exchange_rates_as_of": rates.as_of.isoformat(),
                           "exchange_rates_age_days": rates.age_days(today),
                           "exchange_rates_stale": rates.is_stale(today),
                           "exchange_rates_stale_after_days": STALE_AFTER_DAYS,
                           "exchange_rates": rates.to_dict(),
                           "ebook": [], "paperback": []}
    if md.price_usd is not None:
        plan = 35 if md.public_domain else 70
        for prop in pricing.propose_ebook_prices(md.price_usd, md.primary_marketplace or "US", plan=plan,
                                                 size_mb=size_mb, rates=rates):
            own = md.ebook_prices.get(prop.marketplace)
            if own is not None:
                cur = prop.currency
                prop = _own_price(prop, own, pricing.band_flags(prop.marketplace, pricing.money(own, cur),
                                                                pricing.ebook_band(cur, plan, size_mb), f"{plan}%"))
            roy = pricing.ebook_royalty(prop.proposed, prop.marketplace, size_mb, public_domain=md.public_domain,
                                        kdp_select=md.kdp_select)
            # The chart shows what a sale really earns: 70% only when it surely applies (in band,
            # and KDP Select where the store demands it); otherwise the 35% the author can count on.
            unmet = [c for c in roy.conditions if not (c.startswith("KDP Select") and md.kdp_select)]
            use_70 = roy.royalty_70 is not None and roy.eligible_70 == "yes" and not unmet
            expected, plan_used = (roy.royalty_70, 70) if use_70 else (roy.royalty_35, 35)
            out["ebook"].append({
                "marketplace": prop.marketplace, "domain": facts.MARKETPLACES[prop.marketplace].domain,
                "currency": prop.currency, "list_price": _s(prop.proposed),
                "price_source": _source(prop, own, md.primary_marketplace),
                "delivery_cost": _s(roy.delivery_cost), "royalty_35": _s(roy.royalty_35),
                "royalty_70": _s(roy.royalty_70), "eligible_70": roy.eligible_70,
                "conditions_70": roy.conditions, "expected_plan": plan_used, "expected_royalty": _s(expected),
                "royalty_usd": _s(_usd(expected, prop.currency, rates)),
                "flags": _unique_flags(prop.flags + roy.flags),
            })
    if md.paperback_price_usd is not None and md.trim is not None:
        for prop in pricing.propose_paperback_prices(md.paperback_price_usd, md.primary_marketplace or "US",
                                                     pages=pages, paper=md.paper, trim=md.trim, rates=rates):
            own = md.paperback_prices.get(prop.marketplace)
            if own is not None:
                prop = _own_price(prop, own, [])
            roy = pricing.paperback_royalty(prop.proposed, prop.marketplace, pages, md.paper, md.trim)
            if own is not None:
                prop.flags = list(roy.flags)
            out["paperback"].append({
                "marketplace": prop.marketplace, "domain": facts.MARKETPLACES[prop.marketplace].domain,
                "currency": prop.currency, "list_price": _s(prop.proposed),
                "price_source": _source(prop, own, md.primary_marketplace),
                "printing_cost": _s(roy.printing_cost), "rate": _s(roy.rate), "royalty": _s(roy.royalty),
                "min_list_price": _s(roy.min_list_price),
                "royalty_usd": _s(_usd(roy.royalty, prop.currency, rates)) if roy.royalty is not None else None,
                "flags": _unique_flags(prop.flags),
            })
    return out


def _source(prop, own, primary) -> str:
    """Where the shipped price came from: the author's own, the primary price, or converted."""
    if own is not None:
        return "author"
    return "primary" if prop.marketplace == (primary or "US") else "converted"


def _unique_flags(flags) -> list[dict]:
    seen, out = set(), []
    for f in flags:
        d = f.to_dict()
        if d["message"] not in seen:
            seen.add(d["message"])
            out.append(d)
    return out


def _usd(amount, currency: str, rates: Rates) -> Decimal | None:
    if amount is None:
        return None
    try:
        return pricing.money(pricing.convert(Decimal(str(amount)), currency, "USD", rates), "USD")
    except Exception:  # a currency without a rate: the chart leaves the bar out rather than guess
        return None
