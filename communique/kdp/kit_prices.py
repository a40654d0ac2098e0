"""The kit's prices: every marketplace's list price and royalty from the real EPUB size and page
count (prices.json). The preflight checks exactly these."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import facts, pricing
from .metadata import BookMetadata


def _s(value) -> str | None:
    return None if value is None else str(value)


def price_table(md: BookMetadata, pages: int, epub_bytes: int) -> dict:
    """Prices and royalties for every marketplace, from the real EPUB size and page count."""
    size_mb = (Decimal(epub_bytes) / Decimal(1024 * 1024)).quantize(Decimal("0.001"))
    out: dict[str, Any] = {"epub_mb": str(size_mb), "pages": pages, "paper": md.paper, "trim": str(md.trim),
                           "exchange_rates_as_of": facts.EXCHANGE_RATES_AS_OF.isoformat(),
                           "ebook": [], "paperback": []}
    if md.price_usd is not None:
        plan = 35 if md.public_domain else 70
        for prop in pricing.propose_ebook_prices(md.price_usd, md.primary_marketplace or "US", plan=plan,
                                                 size_mb=size_mb):
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
                "delivery_cost": _s(roy.delivery_cost), "royalty_35": _s(roy.royalty_35),
                "royalty_70": _s(roy.royalty_70), "eligible_70": roy.eligible_70,
                "conditions_70": roy.conditions, "expected_plan": plan_used, "expected_royalty": _s(expected),
                "royalty_usd": _s(_usd(expected, prop.currency)),
                "flags": _unique_flags(prop.flags + roy.flags),
            })
    if md.paperback_price_usd is not None and md.trim is not None:
        for prop in pricing.propose_paperback_prices(md.paperback_price_usd, md.primary_marketplace or "US",
                                                     pages=pages, paper=md.paper, trim=md.trim):
            roy = pricing.paperback_royalty(prop.proposed, prop.marketplace, pages, md.paper, md.trim)
            out["paperback"].append({
                "marketplace": prop.marketplace, "domain": facts.MARKETPLACES[prop.marketplace].domain,
                "currency": prop.currency, "list_price": _s(prop.proposed),
                "printing_cost": _s(roy.printing_cost), "rate": _s(roy.rate), "royalty": _s(roy.royalty),
                "min_list_price": _s(roy.min_list_price),
                "royalty_usd": _s(_usd(roy.royalty, prop.currency)) if roy.royalty is not None else None,
                "flags": _unique_flags(prop.flags),
            })
    return out


def _unique_flags(flags) -> list[dict]:
    seen, out = set(), []
    for f in flags:
        d = f.to_dict()
        if d["message"] not in seen:
            seen.add(d["message"])
            out.append(d)
    return out


def _usd(amount, currency: str) -> Decimal | None:
    if amount is None:
        return None
    try:
        return pricing.money(pricing.convert(Decimal(str(amount)), currency, "USD"), "USD")
    except Exception:  # a currency without a rate: the chart leaves the bar out rather than guess
        return None
