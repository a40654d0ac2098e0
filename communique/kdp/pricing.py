"""Prices and royalties for every Amazon marketplace.

* :func:`propose_ebook_prices` / :func:`propose_paperback_prices` turn one price in the
  author's primary marketplace into a price for every other store, using the fixed, dated
  exchange-rate table in :mod:`facts`, "charm" rounding per currency and the store's band.
* :func:`ebook_royalty` and :func:`paperback_royalty` give the royalty per sale.

All money is :class:`~decimal.Decimal`, rounded half up to the currency's smallest unit only
at the end of each step that KDP itself shows rounded (VAT, delivery, royalty), so the sheet's
worked examples hold to the penny. Results are dataclasses with ``to_dict()`` for JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Iterable

from . import facts
from .facts import Band, Fact
from .geometry import Trim

D = Decimal
VERIFY = "verify"


# --- small helpers ---------------------------------------------------------------------


def money(amount, currency: str, rounding=ROUND_HALF_UP) -> Decimal:
    return D(str(amount)).quantize(facts.MINOR_UNIT[currency], rounding=rounding)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass
class Flag:
    """Something about a price an author should know; ``verify`` when the fact is unsure."""

    marketplace: str
    code: str
    message: str
    source: str
    verify: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def _flag(mp: str, code: str, message: str, fact: Fact) -> Flag:
    return Flag(mp, code, message, fact.source, fact.needs_verify)


def _market(code: str) -> facts.Marketplace:
    try:
        return facts.MARKETPLACES[code]
    except KeyError:
        raise ValueError(f"unknown marketplace {code!r}; use one of {', '.join(facts.MARKETPLACES)}") from None


def _fmt(amount: Decimal, currency: str) -> str:
    return f"{currency} {money(amount, currency)}"


# --- conversion and charm rounding -----------------------------------------------------


def convert(amount, from_currency: str, to_currency: str, rates=None) -> Decimal:
    """Convert with `rates` (kdp.rates.Rates: the editors' table), else the fixed, dated table
    in facts.EXCHANGE_RATES; never KDP's live rates."""
    if rates is not None:
        return rates.convert(amount, from_currency, to_currency)
    table = facts.EXCHANGE_RATES
    return D(str(amount)) / table[from_currency].value * table[to_currency].value


# Charm endings follow each market's habit: .99 for most, whole yen, rupee/peso/krona prices
# ending in 9. A choice of Communiqué's, not a KDP rule.
_ENDS_99 = {"USD", "CAD", "GBP", "EUR", "BRL", "AUD", "PLN"}
_ENDS_9 = {"INR", "MXN", "SEK"}


def charm(amount, currency: str) -> Decimal:
    """Nearest "charm" price: x.99, whole yen, or a whole number ending in 9."""
    x = D(str(amount))
    if currency in _ENDS_99:
        n = max((x - D("0.99")).to_integral_value(rounding=ROUND_HALF_UP), D(0))
        return money(n + D("0.99"), currency)
    if currency in _ENDS_9:
        n = max(((x - 9) / 10).to_integral_value(rounding=ROUND_HALF_UP), D(0))
        return money(n * 10 + 9, currency)
    if currency == "JPY":
        return max(money(x, currency), D(1))
    raise ValueError(f"no charm rule for currency {currency!r}")


def charm_up(amount, currency: str) -> Decimal:
    """The smallest charm price at or above ``amount`` (for raising a price to a minimum)."""
    x = D(str(amount))
    c = charm(x, currency)
    step = D(1) if currency in _ENDS_99 or currency == "JPY" else D(10)
    while c < x:
        c += step
    return c


# --- eBook bands, VAT, delivery --------------------------------------------------------


def size_tier(size_mb) -> int:
    """0: under 3 MB, 1: 3 MB up to 10 MB, 2: 10 MB or more (sheet §2.2)."""
    mb = D(str(size_mb))
    small, large = facts.SIZE_TIERS_MB
    return 0 if mb < small else 1 if mb < large else 2


def ebook_band(currency: str, plan: int, size_mb=0) -> Fact[Band]:
    """The list-price band for a plan (35 or 70) in a currency (sheet §2.2)."""
    if plan == 70:
        return facts.EBOOK_BAND_70[currency]
    if plan == 35:
        return facts.EBOOK_BANDS_35[currency][size_tier(size_mb)]
    raise ValueError(f"plan must be 35 or 70, not {plan!r}")


def vat_included(price: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The VAT inside a VAT-inclusive price: price × rate / (1 + rate)."""
    return money(price * rate / (1 + rate), currency)


def delivery_cost(currency: str, size_mb) -> Decimal:
    """70% plan only: file size in MB × the store's rate (sheet §2.3)."""
    return money(facts.DELIVERY_PER_MB[currency].value * D(str(size_mb)), currency)


# --- eBook royalty ---------------------------------------------------------------------


@dataclass
class EbookRoyalty:
    marketplace: str
    currency: str
    list_price: Decimal
    size_mb: Decimal
    vat_rate: Decimal
    vat: Decimal
    delivery_cost: Decimal
    royalty_35: Decimal
    royalty_70: Decimal | None  # None when the 70% plan cannot apply
    eligible_70: str  # "yes" | "no" | "verify"
    conditions: list[str] = field(default_factory=list)  # must hold for royalty_70
    flags: list[Flag] = field(default_factory=list)

    @property
    def best(self) -> Decimal:
        return max(self.royalty_35, self.royalty_70 or D(0))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["flags"] = [f.to_dict() for f in self.flags]
        return _jsonable(d)


def ebook_royalty(
    list_price,
    marketplace: str,
    size_mb,
    *,
    vat_rate=None,
    public_domain: bool = False,
    kdp_select: bool = False,
) -> EbookRoyalty:
    """Royalty per sale under both plans.

    35%: 0.35 × (price − VAT). 70%: 0.70 × (price − VAT − delivery), only inside the 70%
    band (sheet §2.1, https://kdp.amazon.com/en_US/help/topic/G200644210). ``vat_rate``
    overrides the table in facts.EBOOK_VAT (whose rates are Communiqué's choice).
    """
    mp = _market(marketplace)
    cur = mp.currency
    price = money(list_price, cur)
    mb = D(str(size_mb))
    if price <= 0 or mb < 0:
        raise ValueError("list price must be positive and file size not negative")
    vat_fact = facts.EBOOK_VAT[marketplace]
    rate = vat_fact.value if vat_rate is None else D(str(vat_rate))
    vat = vat_included(price, rate, cur)
    net = price - vat
    flags: list[Flag] = []
    if vat_rate is None and vat_fact.needs_verify:
        flags.append(_flag(marketplace, "vat_rate", f"The VAT rate assumed for {mp.domain} "
                           f"({rate * 100:g}%) should be checked.", vat_fact))

    royalty_35 = money(facts.EBOOK_RATE_35.value * net, cur)
    flags += band_flags(marketplace, price, ebook_band(cur, 35, mb), "35%")

    delivery = delivery_cost(cur, mb)
    conditions: list[str] = []
    band70 = ebook_band(cur, 70)
    royalty_70: Decimal | None = money(facts.EBOOK_RATE_70.value * (net - delivery), cur)
    royalty_70 = max(royalty_70, D(0))
    eligible = "yes"
    if public_domain:
        # Public-domain works can only use 35% (KDP, A29FL26OKE7R7B).
        royalty_70, eligible = None, "no"
        flags.append(_flag(marketplace, "public_domain", "Public-domain books can only earn 35%.",
                           facts.PUBLIC_DOMAIN_35_ONLY))
    elif band70.value.low is None or band70.needs_verify:
        eligible = VERIFY
        flags.append(_flag(marketplace, "band_unknown", f"KDP's current 70% price range for "
                           f"{mp.domain} is not known, so 70% could not be confirmed.", band70))
    elif not band70.value.contains(price):
        royalty_70, eligible = None, "no"
        flags.append(_flag(marketplace, "outside_70_band", f"{_fmt(price, cur)} is outside the 70% "
                           f"range of {_fmt(band70.value.low, cur)} to {_fmt(band70.value.high, cur)} "
                           f"on {mp.domain}, so it earns 35%.", band70))
    if royalty_70 is not None and marketplace in facts.SELECT_REQUIRED_FOR_70.value:
        conditions.append("KDP Select enrolment")
        if not kdp_select:
            flags.append(_flag(marketplace, "select_required", f"On {mp.domain} the 70% royalty is "
                               "paid only while the book is in KDP Select.", facts.SELECT_REQUIRED_FOR_70))
    if royalty_70 is not None and delivery and royalty_70 < royalty_35:
        flags.append(Flag(marketplace, "delivery_heavy", f"At {mb} MB the delivery cost "
                          f"({_fmt(delivery, cur)}) makes 70% pay less than 35% on {mp.domain}.",
                          facts.DELIVERY_PER_MB[cur].source))
    return EbookRoyalty(marketplace, cur, price, mb, rate, vat, delivery, royalty_35, royalty_70,
                        eligible, conditions, flags)


def band_flags(mp: str, price: Decimal, band: Fact[Band], label: str) -> list[Flag]:
    cur = facts.MARKETPLACES[mp].currency
    domain = facts.MARKETPLACES[mp].domain
    if band.value.low is None:
        return [_flag(mp, "band_unknown", f"KDP's {label} price range for {domain} is not known; "
                      "check the price on KDP's pricing page.", band)]
    if price < band.value.low:
        return [_flag(mp, "below_min", f"{_fmt(price, cur)} is below the {label} minimum of "
                      f"{_fmt(band.value.low, cur)} on {domain}.", band)]
    if price > band.value.high:
        return [_flag(mp, "above_max", f"{_fmt(price, cur)} is above the {label} maximum of "
                      f"{_fmt(band.value.high, cur)} on {domain}.", band)]
    return []


def check_ebook_below_print(ebook_price, print_price, currency: str) -> Flag | None:
    """70% condition: eBook ≥ 20% below the lowest print list price (2010 rule, [UNVERIFIED]).

    Returns a flag (always ``verify``) describing the relation, or None without a print price.
    """
    if print_price is None:
        return None
    fact = facts.EBOOK_BELOW_PRINT_RATIO
    limit = money(D(str(print_price)) * fact.value, currency, ROUND_HALF_UP)
    ok = D(str(ebook_price)) <= limit
    verdict = "meets" if ok else "does not meet"
    return _flag("*", "ebook_below_print", f"The eBook price {_fmt(D(str(ebook_price)), currency)} "
                 f"{verdict} the old 70% rule of being at least 20% below the paperback "
                 f"({_fmt(limit, currency)} or less); KDP's current wording was not found.", fact)


# --- price proposals -------------------------------------------------------------------


@dataclass
class PriceProposal:
    marketplace: str
    currency: str
    converted: Decimal  # straight conversion, before charm rounding
    proposed: Decimal
    low: Decimal | None
    high: Decimal | None
    adjusted: bool  # True when the charm price was moved into the band
    flags: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["flags"] = [f.to_dict() for f in self.flags]
        return _jsonable(d)


def _to_market(price: Decimal, primary: str, target: str, vat: dict[str, Fact], rates=None) -> Decimal:
    # Convert the net (ex-VAT) price so the author earns about the same everywhere, then add
    # the target store's VAT back because EU/UK/JP list prices include it (sheet §2.2).
    src, dst = _market(primary), _market(target)
    net = price / (1 + vat[primary].value) if primary in vat else price
    converted = convert(net, src.currency, dst.currency, rates)
    return converted * (1 + vat[target].value) if target in vat else converted


def _propose(price: Decimal, primary: str, target: str, vat, band: Band | None,
             band_fact: Fact | None, clamp: bool, label: str, rates=None) -> PriceProposal:
    cur = facts.MARKETPLACES[target].currency
    raw = money(price, cur) if target == primary else _to_market(price, primary, target, vat, rates)
    proposed = money(price, cur) if target == primary else charm(raw, cur)
    low, high = (band.low, band.high) if band else (None, None)
    flags: list[Flag] = []
    adjusted = False
    if band_fact is not None:
        out = band_flags(target, proposed, band_fact, label)
        if clamp and low is not None and out and not band_fact.needs_verify:
            new = min(max(proposed, charm_up(low, cur)), high) if high is not None else max(proposed, low)
            out[0].message += f" Proposed {_fmt(new, cur)} instead."
            proposed, adjusted = new, True
        flags += out
    else:  # paperback: the band is the minimum list price (and a maximum where known)
        domain = facts.MARKETPLACES[target].domain
        if clamp and low is not None and proposed < low:
            new = charm_up(low, cur)
            flags.append(Flag(target, "raised_to_min", f"{_fmt(proposed, cur)} would not cover printing "
                              f"on {domain}, where the lowest price is {_fmt(low, cur)}; proposed "
                              f"{_fmt(new, cur)} instead.", facts.SRC_PRINT_COST))
            proposed, adjusted = new, True
        if clamp and high is not None and proposed > high:
            flags.append(Flag(target, "lowered_to_max", f"{_fmt(proposed, cur)} is above the maximum on "
                              f"{domain}; proposed {_fmt(high, cur)} instead.", facts.SRC_PRICE_JP))
            proposed, adjusted = high, True
    return PriceProposal(target, cur, money(raw, cur), proposed, low, high, adjusted, flags)


def propose_ebook_prices(
    price,
    primary: str = "US",
    *,
    plan: int = 70,
    size_mb=1,
    clamp: bool = True,
    marketplaces: Iterable[str] | None = None,
    rates=None,
) -> list[PriceProposal]:
    """A price for every eBook store from one price in ``primary``'s currency.

    Out-of-band prices are moved to the nearest band edge when ``clamp`` (and flagged either
    way); stores whose band is unknown are flagged "verify" and never moved.
    """
    price = D(str(price))
    codes = marketplaces or [c for c, m in facts.MARKETPLACES.items() if m.ebook.value]
    out = []
    for code in codes:
        cur = _market(code).currency
        band_fact = ebook_band(cur, plan, size_mb)
        out.append(_propose(price, primary, code, facts.EBOOK_VAT, band_fact.value, band_fact,
                            clamp, f"{plan}%", rates))
    return out


# --- paperback -------------------------------------------------------------------------


def ink_for(paper: str) -> str:
    return "black" if paper in ("white", "cream") else paper


def printing_cost(marketplace: str, pages: int, paper: str, trim: Trim | str) -> Fact[Decimal] | None:
    """Fixed + pages × per-page for this store, ink and trim class (sheet §3.2); None if unknown."""
    trim = Trim.parse(trim)
    for fact in facts.PRINTING_COST.get((marketplace, ink_for(paper), trim.trim_class), []):
        pc = fact.value
        if pc.min_pages <= pages <= pc.max_pages:
            cost = money(pc.fixed + pages * pc.per_page, _market(marketplace).currency)
            return Fact(cost, fact.source, fact.confidence, fact.note)
    return None


def print_royalty_rate(list_price, currency: str) -> Fact[Decimal]:
    """60% at or above the store's threshold, 50% below it (since 10 Jun 2025, sheet §3.1)."""
    threshold = facts.PRINT_RATE_THRESHOLD[currency]
    high = D(str(list_price)) >= threshold.value
    rate = facts.PRINT_RATE_HIGH if high else facts.PRINT_RATE_LOW
    return Fact(rate.value, rate.source, rate.confidence, f"threshold {currency} {threshold.value}")


def _print_royalty(list_price: Decimal, marketplace: str, cost: Decimal, exact: bool = False) -> Decimal:
    cur = _market(marketplace).currency
    vat = vat_included(list_price, facts.PRINT_VAT[marketplace].value, cur)
    rate = print_royalty_rate(list_price, cur).value
    royalty = rate * (list_price - vat) - cost
    return royalty if exact else money(royalty, cur)


def min_paperback_price(marketplace: str, cost: Decimal) -> Decimal:
    """Lowest list price whose royalty is not negative: printing cost ÷ rate, with VAT added
    back (KDP, G201834340). With the 50% tier the answer depends on the threshold: sheet §3.1
    ([DERIVED, check])."""
    cur = _market(marketplace).currency
    gross = 1 + facts.PRINT_VAT[marketplace].value
    threshold = facts.PRINT_RATE_THRESHOLD[cur].value
    low = money(cost / facts.PRINT_RATE_LOW.value * gross, cur, ROUND_CEILING)
    if low >= threshold:
        low = max(threshold, money(cost / facts.PRINT_RATE_HIGH.value * gross, cur, ROUND_CEILING))
    step = facts.MINOR_UNIT[cur]
    while _print_royalty(low, marketplace, cost, exact=True) < 0:  # VAT rounding can leave a cent short
        low += step
    return low


@dataclass
class PaperbackRoyalty:
    marketplace: str
    currency: str
    list_price: Decimal
    printing_cost: Decimal | None
    rate: Decimal
    vat: Decimal
    royalty: Decimal | None
    min_list_price: Decimal | None
    max_list_price: Decimal | None
    flags: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["flags"] = [f.to_dict() for f in self.flags]
        return _jsonable(d)


def paperback_royalty(list_price, marketplace: str, pages: int, paper: str, trim: Trim | str) -> PaperbackRoyalty:
    """rate × (list price − VAT) − printing cost; rate 60% or 50% below the threshold."""
    mp = _market(marketplace)
    cur = mp.currency
    price = money(list_price, cur)
    flags: list[Flag] = []
    if not mp.paperback.value or mp.paperback.needs_verify:
        flags.append(_flag(marketplace, "no_paperback_store", f"Paperbacks may not be sold on {mp.domain}.",
                           mp.paperback))
    rate = print_royalty_rate(price, cur)
    vat_fact = facts.PRINT_VAT.get(marketplace)
    vat = vat_included(price, vat_fact.value, cur) if vat_fact else D(0)
    cost = printing_cost(marketplace, pages, paper, trim)
    max_fact = facts.PRINT_MAX_LIST_PRICE.get(cur)
    max_price = max_fact.value if max_fact else None
    if cost is None:
        flags.append(Flag(marketplace, "printing_cost_unknown", f"The printing cost for {pages} pages "
                          f"({paper}, {Trim.parse(trim).trim_class} trim) on {mp.domain} is not known.",
                          facts.SRC_PRINT_COST, True))
        return PaperbackRoyalty(marketplace, cur, price, None, rate.value, vat, None, None, max_price, flags)
    if cost.needs_verify:
        flags.append(Flag(marketplace, "printing_cost_unverified", f"The printing cost of "
                          f"{_fmt(cost.value, cur)} on {mp.domain} comes from a weak source.", cost.source, True))
    royalty = _print_royalty(price, marketplace, cost.value)
    minimum = min_paperback_price(marketplace, cost.value)
    if price < minimum:
        flags.append(Flag(marketplace, "below_min", f"{_fmt(price, cur)} is below the lowest paperback "
                          f"price of {_fmt(minimum, cur)} on {mp.domain}, where printing costs "
                          f"{_fmt(cost.value, cur)}.", facts.SRC_PRINT_COST, cost.needs_verify))
    if max_price is not None and price > max_price:
        flags.append(_flag(marketplace, "above_max", f"{_fmt(price, cur)} is above the paperback "
                           f"maximum of {_fmt(max_price, cur)} on {mp.domain}.", max_fact))
    return PaperbackRoyalty(marketplace, cur, price, cost.value, rate.value, vat, royalty, minimum,
                            max_price, flags)


def propose_paperback_prices(
    price,
    primary: str = "US",
    *,
    pages: int,
    paper: str,
    trim: Trim | str,
    clamp: bool = True,
    marketplaces: Iterable[str] | None = None,
    rates=None,
) -> list[PriceProposal]:
    """A paperback price for every print store, raised to the store's minimum when ``clamp``."""
    price = D(str(price))
    codes = marketplaces or [c for c, m in facts.MARKETPLACES.items() if m.paperback.value]
    out = []
    for code in codes:
        cost = printing_cost(code, pages, paper, trim)
        cur = _market(code).currency
        max_fact = facts.PRINT_MAX_LIST_PRICE.get(cur)
        band = Band(min_paperback_price(code, cost.value) if cost else None,
                    max_fact.value if max_fact else None)
        prop = _propose(price, primary, code, facts.PRINT_VAT, band, None, clamp, "paperback", rates)
        royalty = paperback_royalty(prop.proposed, code, pages, paper, trim)
        prop.flags += royalty.flags
        out.append(prop)
    return out
