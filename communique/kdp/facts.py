"""Every figure that comes from outside Communiqué, with where it came from.

All values are taken from ``/work/shared/docs/kdp-facts.md`` (compiled 2026-11-29 from
archived copies of public pages; called "the sheet" below, with its section numbers).
Nothing in here is computed; ``geometry``, ``pricing`` and ``preflight`` read these facts
and never hold a KDP number of their own.

Each figure is a :class:`Fact`. Its ``confidence`` tells a check whether it may say
"pass"/"fail" or must say "verify":

* ``kdp``          read on a KDP help page;
* ``third-party``  blogs, tools, code; several agreeing sources;
* ``unverified``   one weak source, or a figure Communiqué chose itself;
* ``conflict``     sources disagree (``alternatives`` holds the other readings);
* ``stale``        probably out of date;
* ``gap``          not found at all (``value`` is ``None`` or a placeholder).

Money is :class:`decimal.Decimal` so that the sheet's worked examples hold to the penny.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal as D
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")
Confidence = Literal["kdp", "third-party", "unverified", "conflict", "stale", "gap"]
CONFIDENCES: tuple[str, ...] = ("kdp", "third-party", "unverified", "conflict", "stale", "gap")

# The brief names unverified/conflict/gap as "verify". Stale is added because a figure the
# sheet itself calls out of date (e.g. the 2017 AUD band) cannot back a pass or a fail either.
VERIFY_CONFIDENCES = frozenset({"unverified", "conflict", "gap", "stale"})


@dataclass(frozen=True)
class Fact(Generic[T]):
    """One outside figure: its value, where it came from, and how far to trust it."""

    value: T
    source: str
    confidence: Confidence
    note: str = ""
    # For a "conflict": the other readings. A check that passes (or fails) under every
    # reading may say so; otherwise it must say "verify".
    alternatives: tuple[Any, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCES:
            raise ValueError(f"unknown confidence {self.confidence!r}")

    @property
    def needs_verify(self) -> bool:
        return self.confidence in VERIFY_CONFIDENCES

    @property
    def readings(self) -> tuple[Any, ...]:
        """The value first, then every alternative reading."""
        return (self.value, *self.alternatives)


def _f(value, source, confidence="kdp", note="", alternatives=()):
    return Fact(value, source, confidence, note, tuple(alternatives))


SHEET = "kdp-facts.md"

# --- sources, named once --------------------------------------------------------------
SRC_DELIVERY = (
    "https://justpublishingadvice.com/amazon-kdp-delivery-costs-can-eat-at-your-royalty/ ; "
    "https://ibuksdepapel.com/kdp-cobra-regalias-entrega-ebooks/ (sheet §1.1, §2.3)"
)
SRC_CONVERT = "https://kdp.amazon.com/en_US/help/topic/A29FL26OKE7R7B (sheet §1.1)"
SRC_PRINT_COST = "https://kdp.amazon.com/en_US/help/topic/G201834340 (sheet §3.2)"
SRC_PRICE_DE = "https://kdp.amazon.com/de_DE/help/topic/G200634560 (sheet §2.2)"
SRC_PRICE_JP = "https://kdp.amazon.com/en_US/help/topic/G201849770 (sheet §2.2)"
SRC_ROYALTY_EBOOK = "https://kdp.amazon.com/en_US/help/topic/G200644210 (sheet §2.1)"
SRC_SELECT = "https://kdp.amazon.com/en_US/help/topic/G200634500 (sheet §2.1)"
SRC_PRINT_2025 = (
    "https://oldnfo.substack.com/p/welp-we-knew ; https://honeyhousepress.com/2025/05/16/"
    "kdp-royalty-changes-are-coming-what-authors-need-to-know-and-do (sheet §3.1)"
)
SRC_TRIM = "https://kdp.amazon.com:443/help?topicId=GVBQ3CMEQW3W2VL6 (sheet §4.1)"
SRC_TRIM_LIST = "kdp_data.py; Python port of KDP Print File Setup Calculator V5 (sheet §4.1)"
SRC_PAGES = (
    "http://bookbolt.kb.help/kdp-publishing-what-is-the-minimum-maximum-number-of-pages-"
    "you-can-use-in-a-book-and-the-royalty-amount/ ; kdp_data.py (sheet §4.2)"
)
SRC_MARGINS = (
    "https://pypi.org/project/kdp-preflight-cli/ ; https://senswriter.com/guides/"
    "book-trim-size-margins ; https://www.firstwriter.com/layout/margins.shtml (sheet §4.3)"
)
SRC_COVER = "https://kdp.amazon.com/en_US/help/topic/G201953020 (sheet §5)"
SRC_SPINE = (
    "CreateSpace cover page; https://pubscout.app/pages/glossary/spine-width ; "
    "https://makemybookcover.com/kdp-cover-size-calculator (sheet §5)"
)
SRC_BARCODE = (
    "https://publishing.co.uk/guides/kdp-error-barcode-placement/ ; "
    "https://selfpublishingtitans.com/blog/barcodes (sheet §5)"
)
SRC_EBOOK_COVER = "https://kdp.amazon.com/en_US/help/topic/G6GTK3T3NUHKLEFX (sheet §6.2)"
SRC_KEYWORDS = (
    "https://storyloft.app/?p=29226 ; https://help.inscribedigital.com/support/solutions/"
    "articles/26000034427 (sheet §7.2)"
)
SRC_CATEGORIES = "https://pubscout.app/pages/blog/how-to-get-more-amazon-kdp-categories (sheet §7.2)"
SRC_TITLE = "https://successfulindieauthor.substack.com/p/book-subtitles (sheet §7.2)"
SRC_DESCRIPTION = (
    "https://www.ebookpbook.com/2026/03/26/write-book-description-amazon-kdp/ ; "
    "https://zenebookai.com/blog/kdp-description-html-guide (sheet §7.2)"
)
SRC_ISBN = "https://kdp.amazon.com/en_US/help/topic/G201834170 (sheet §7.2)"
SRC_CONTRIB = "http://osmosio.com/kindle-publishing-essentials/contributors-language/ (sheet §7.2)"
SRC_LANG = "kdp_data.py; elutek/auto-kdp keys.ts; osmosio.com contributors-language (sheet §7.1)"
OURS = "Communiqué's own choice, not a KDP figure"


# --- 1. marketplaces --------------------------------------------------------------------


@dataclass(frozen=True)
class Marketplace:
    code: str  # short store code used across the engine
    domain: str
    currency: str
    country: str  # ISO 3166-1 alpha-2, for ONIX territories
    ebook: Fact[bool]
    paperback: Fact[bool]


def _mp(code, domain, currency, country, ebook, paperback):
    return code, Marketplace(code, domain, currency, country, ebook, paperback)


_E = _f(True, SRC_DELIVERY, "third-party", "named in KDP's delivery-cost table")
_NO_E = _f(False, SRC_DELIVERY, "gap", "no source says this store sells KDP eBooks in its own currency")
_P = _f(True, SRC_PRINT_COST, "kdp", "row of the printing-cost table")
_NO_P = _f(False, "https://kdp.amazon.com/en_US/help/topic/ATZHCE8PIQQR5 (sheet §1.2)", "stale",
           "in no paperback cost table; an old beta page said no paperbacks here")
_P_3P = _f(True, SRC_PRINT_2025 + "; elutek/auto-kdp src/book/keys.ts", "third-party",
           "named in the June 2025 thresholds and in auto-kdp")

MARKETPLACES: dict[str, Marketplace] = dict(
    [
        _mp("US", "amazon.com", "USD", "US", _E, _P),
        _mp("CA", "amazon.ca", "CAD", "CA", _E, _P),
        _mp("BR", "amazon.com.br", "BRL", "BR", _E, _NO_P),
        _mp("UK", "amazon.co.uk", "GBP", "GB", _E, _P),
        _mp("DE", "amazon.de", "EUR", "DE", _E, _P),
        _mp("FR", "amazon.fr", "EUR", "FR", _E, _P),
        _mp("ES", "amazon.es", "EUR", "ES", _E, _P),
        _mp("IT", "amazon.it", "EUR", "IT", _E, _P),
        _mp("NL", "amazon.nl", "EUR", "NL", _E, _P),
        _mp("IN", "amazon.in", "INR", "IN", _E, _NO_P),
        _mp("JP", "amazon.co.jp", "JPY", "JP", _E, _P),
        _mp("MX", "amazon.com.mx", "MXN", "MX", _E, _NO_P),
        _mp("AU", "amazon.com.au", "AUD", "AU", _E, _P),
        _mp("PL", "amazon.pl", "PLN", "PL", _NO_E, _P_3P),
        _mp("SE", "amazon.se", "SEK", "SE", _NO_E, _P_3P),
    ]
)

# Smallest unit a price is quoted in; JPY, INR, SEK have no cents in KDP's tables.
MINOR_UNIT: dict[str, D] = {
    "USD": D("0.01"), "CAD": D("0.01"), "BRL": D("0.01"), "GBP": D("0.01"), "EUR": D("0.01"),
    "INR": D("1"), "JPY": D("1"), "MXN": D("0.01"), "AUD": D("0.01"), "PLN": D("0.01"),
    "SEK": D("1"),
}

# --- 2. eBook price bands ---------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    low: D | None
    high: D | None

    def contains(self, price: D) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low <= price <= self.high


# The 35% minimum depends on the delivered file size: < 3 MB, 3 MB up to 10 MB, >= 10 MB.
SIZE_TIERS_MB: tuple[D, D] = (D(3), D(10))  # sheet §2.2, confirmed for USD by a 2016 copy


def _b35(lo1, lo2, lo3, hi, src=SRC_PRICE_DE, conf="kdp", note=""):
    return tuple(_f(Band(D(lo), D(hi)), src, conf, note) for lo in (lo1, lo2, lo3))


_GAP_BAND = _f(Band(None, None), SRC_PRICE_DE, "gap", "not in the captured part of the page")

# currency -> (tier <3 MB, tier 3-10 MB, tier >=10 MB); each a Band(min, max) for 35%.
EBOOK_BANDS_35: dict[str, tuple[Fact[Band], Fact[Band], Fact[Band]]] = {
    "USD": _b35("0.99", "1.99", "2.99", "200.00"),
    "CAD": _b35("0.99", "1.99", "2.99", "200.00"),
    "GBP": (
        _f(Band(D("0.99"), D("150.00")), SRC_PRICE_DE),
        # The captured page shows 1.49 for both larger tiers; the sheet says re-check it.
        _f(Band(D("1.49"), D("150.00")), SRC_PRICE_DE, "unverified", "1.49 appears twice on the page"),
        _f(Band(D("1.49"), D("150.00")), SRC_PRICE_DE, "unverified", "1.49 appears twice on the page"),
    ),
    "EUR": _b35("0.89", "1.79", "2.69", "215.00"),
    "INR": _b35("49", "69", "99", "10999"),
    "BRL": _b35("1.99", "3.99", "5.99", "400.00"),
    "JPY": _b35("99", "99", "99", "20000", SRC_PRICE_JP),
    "MXN": (_GAP_BAND, _GAP_BAND, _GAP_BAND),
    "AUD": (_GAP_BAND, _GAP_BAND, _GAP_BAND),
}

EBOOK_BAND_70: dict[str, Fact[Band]] = {
    "USD": _f(Band(D("2.99"), D("9.99")), SRC_PRICE_DE),
    "CAD": _f(Band(D("2.99"), D("9.99")), SRC_PRICE_DE),
    "GBP": _f(Band(D("1.99"), D("9.99")), SRC_PRICE_DE),
    "EUR": _f(Band(D("2.69"), D("9.99")), SRC_PRICE_DE),
    "INR": _f(Band(D("99"), D("449")), SRC_PRICE_DE),
    "BRL": _f(Band(D("5.99"), D("24.99")), SRC_PRICE_DE),
    "JPY": _f(Band(D("250"), D("1250")), SRC_PRICE_JP),
    "MXN": _GAP_BAND,
    "AUD": _f(Band(D("3.99"), D("11.99")), "https://mademers.com/kindle-expands-into-australia/ (sheet §2.2)",
              "stale", "about 2017; the current AUD band was not found"),
}

# --- 2.1 eBook royalty plans ------------------------------------------------------------

EBOOK_RATE_35 = _f(D("0.35"), SRC_ROYALTY_EBOOK)
EBOOK_RATE_70 = _f(D("0.70"), SRC_ROYALTY_EBOOK)

# In these stores 70% is paid only while the book is in KDP Select (and inside the band).
SELECT_REQUIRED_FOR_70 = _f(frozenset({"BR", "JP", "MX", "IN"}), SRC_SELECT)

PUBLIC_DOMAIN_35_ONLY = _f(True, SRC_CONVERT + "; https://kdp.amazon.com/en_US/help/topic/G200641280")

# 2010 launch condition; current official wording not found, so checks built on it say "verify".
EBOOK_BELOW_PRINT_RATIO = _f(
    D("0.80"),
    "https://www.publishersweekly.com/pw/by-topic/digital/retailing/article/43693-amazon-puts-"
    "70-royalty-in-place-for-dtp-publishing.html (sheet §2.1)",
    "unverified",
    "eBook list price at least 20% below the lowest physical edition",
)

# --- 2.3 delivery cost per MB (70% only) -----------------------------------------------

DELIVERY_PER_MB: dict[str, Fact[D]] = {
    cur: _f(D(rate), SRC_DELIVERY, "third-party")
    for cur, rate in {
        "USD": "0.15", "CAD": "0.15", "BRL": "0.30", "GBP": "0.10", "EUR": "0.12",
        "INR": "7", "JPY": "1", "MXN": "1", "AUD": "0.15",
    }.items()
}

# --- VAT folded into eBook list prices ------------------------------------------------
# The sheet (§2.2) only says EU/UK prices include VAT and JP prices include 10% tax; it gives
# no rates. These are Communiqué's choice of each country's e-book rate as known to us in 2025
# (UK zero-rated e-publications from 1 May 2020; DE 7% from Dec 2019; FR 5.5%; ES/IT 4%;
# NL 9%). The brief suggested UK 20% / DE 19%; those are standard rates, not e-book rates, and
# the sheet's UK example uses 20% only because it predates 2020. Every entry is "unverified".
# US/CA/AU-style stores add tax on top of the list price, so nothing is removed there.
_VAT_SRC = OURS + "; national e-book VAT rates (verify against KDP's pricing page)"
EBOOK_VAT: dict[str, Fact[D]] = {
    code: _f(D(rate), _VAT_SRC, "unverified", note)
    for code, rate, note in [
        ("US", "0", "sales tax is added at checkout"),
        ("CA", "0", "GST/HST is added at checkout"),
        ("BR", "0", "books are tax-immune in Brazil"),
        ("UK", "0", "UK e-books zero-rated since 1 May 2020"),
        ("DE", "0.07", "reduced rate for e-books since Dec 2019"),
        ("FR", "0.055", "reduced rate for e-books"),
        ("ES", "0.04", "super-reduced rate for e-books"),
        ("IT", "0.04", "super-reduced rate for e-books"),
        ("NL", "0.09", "reduced rate for e-books"),
        ("IN", "0.18", "GST on online services; KDP's treatment not confirmed"),
        ("JP", "0.10", "10% consumption tax included in JP prices (sheet §2.2)"),
        ("MX", "0.16", "IVA on digital services; whether e-books are zero-rated is unclear"),
        ("AU", "0.10", "GST; whether KDP deducts it from the list price is unclear"),
    ]
}
# Japan's 10% is stated by KDP itself (sheet §2.2), so that one is firmer.
EBOOK_VAT["JP"] = _f(D("0.10"), SRC_PRICE_JP, "kdp", "JP eBook prices include 10% consumption tax")

# Print list prices: same idea for the VAT-inclusive stores. Japan's print prices are
# tax-exclusive (sheet §3.1) and Australia adds GST on top (sheet §1.2).
PRINT_VAT: dict[str, Fact[D]] = {
    code: _f(D(rate), _VAT_SRC, "unverified", note)
    for code, rate, note in [
        ("US", "0", "tax added at checkout"), ("CA", "0", "tax added at checkout"),
        ("UK", "0", "printed books zero-rated"), ("DE", "0.07", "reduced rate"),
        ("FR", "0.055", "reduced rate"), ("ES", "0.04", "super-reduced rate"),
        ("IT", "0.04", "super-reduced rate"), ("NL", "0.09", "reduced rate"),
        ("PL", "0.05", "reduced rate"), ("SE", "0.06", "reduced rate"),
    ]
}
PRINT_VAT["JP"] = _f(D("0"), SRC_PRICE_JP, "kdp", "print list prices are tax-exclusive")
PRINT_VAT["AU"] = _f(D("0"), "https://kdp.amazon.com/en_US/help/topic/GJX5NGJX75QBTJM9 (sheet §1.2)",
                     "kdp", "Amazon adds GST on top of the list price")

# --- fixed exchange-rate table -----------------------------------------------------------
# Units of each currency per 1 USD. A dated snapshot Communiqué chose so that proposals are
# reproducible; KDP converts with its own live rates. Refresh before each release.
EXCHANGE_RATES_AS_OF = date(2025, 11, 1)
EXCHANGE_RATES: dict[str, Fact[D]] = {
    cur: _f(D(rate), f"{OURS}; approximate rates as of {EXCHANGE_RATES_AS_OF.isoformat()}",
            "unverified", "fixed table, not live")
    for cur, rate in {
        "USD": "1", "CAD": "1.40", "BRL": "5.35", "GBP": "0.76", "EUR": "0.86", "INR": "88.5",
        "JPY": "153", "MXN": "18.4", "AUD": "1.53", "PLN": "3.66", "SEK": "9.45",
    }.items()
}

# --- 3. paperback royalty and printing cost --------------------------------------------

PRINT_RATE_HIGH = _f(D("0.60"), SRC_PRINT_2025, "third-party")
PRINT_RATE_LOW = _f(D("0.50"), SRC_PRINT_2025, "third-party", "below the threshold, since 10 Jun 2025")
PRINT_RATE_THRESHOLD: dict[str, Fact[D]] = {
    cur: _f(D(v), SRC_PRINT_2025, "third-party", "official help page not found")
    for cur, v in {
        "USD": "9.99", "EUR": "9.99", "GBP": "7.99", "CAD": "13.99", "AUD": "13.99",
        "SEK": "99", "PLN": "40", "JPY": "1000",
    }.items()
}
PRINT_MAX_LIST_PRICE: dict[str, Fact[D | None]] = {
    "JPY": _f(D("30000"), SRC_PRICE_JP, "kdp"),
}  # other stores: gap (sheet §3.1); absent key means unknown


@dataclass(frozen=True)
class PrintCost:
    """Printing cost = fixed + pages × per_page, for pages in [min_pages, max_pages]."""

    min_pages: int
    max_pages: int
    fixed: D
    per_page: D


def _pc(lo, hi, fixed, per_page, src, conf, note=""):
    return _f(PrintCost(lo, hi, D(fixed), D(per_page)), src, conf, note)


_PC_3P = "third-party repository note quoting the official page, Jan 2026 (sheet §3.2)"
_PC_COLOUR = "third-party code, 'Amazon KDP US 2025 tiered logic' (sheet §3.2)"
# (marketplace, ink, trim class) -> list of page-range formulas. Ink: "black"|"premium_color"|
# "standard_color". A missing combination is a gap.
PRINTING_COST: dict[tuple[str, str, str], list[Fact[PrintCost]]] = {}
for _code, _reg, _large in [
    ("US", "2.30", "2.84"), ("CA", "2.99", "3.53"), ("UK", "1.93", "2.15"),
    ("DE", "2.05", "2.48"), ("FR", "2.05", "2.48"), ("ES", "2.05", "2.48"),
    ("IT", "2.05", "2.48"), ("NL", "2.05", "2.48"), ("JP", "422", "530"), ("AU", "4.74", "5.28"),
]:
    PRINTING_COST[(_code, "black", "regular")] = [_pc(24, 108, _reg, "0", SRC_PRINT_COST, "kdp")]
    PRINTING_COST[(_code, "black", "large")] = [_pc(24, 108, _large, "0", SRC_PRINT_COST, "kdp")]
PRINTING_COST[("US", "black", "regular")].append(_pc(110, 828, "1.00", "0.012", _PC_3P, "third-party"))
PRINTING_COST[("US", "black", "large")].append(_pc(110, 828, "1.00", "0.017", _PC_3P, "third-party"))
PRINTING_COST[("US", "premium_color", "regular")] = [
    _pc(24, 40, "3.60", "0", _PC_COLOUR, "unverified"),
    _pc(42, 828, "1.00", "0.065", _PC_COLOUR, "unverified"),
]
PRINTING_COST[("US", "standard_color", "regular")] = [
    _pc(72, 600, "1.00", "0.0255", _PC_COLOUR, "unverified"),
]

# --- 4. paperback interior -------------------------------------------------------------

# Large trim: wider than 6.12 in or taller than 9 in (KDP, sheet §4.1).
LARGE_TRIM_WIDTH = _f(D("6.12"), SRC_TRIM)
LARGE_TRIM_HEIGHT = _f(D("9"), SRC_TRIM)

STANDARD_TRIMS = _f(
    tuple(
        (D(w), D(h))
        for w, h in [
            ("5", "8"), ("5.06", "7.81"), ("5.25", "8"), ("5.5", "8.5"), ("6", "9"),
            ("6.14", "9.21"), ("6.69", "9.61"), ("7", "10"), ("7.44", "9.69"), ("7.5", "9.25"),
            ("8", "10"), ("8.25", "6"), ("8.25", "8.25"), ("8.5", "8.5"), ("8.5", "11"),
            ("8.27", "11.69"),
        ]
    ),
    SRC_TRIM_LIST,
    "third-party",
    "one source counts 17 standard sizes; only 16 were found",
)
CUSTOM_TRIM_RANGE = _f(
    ((D("4"), D("8.5")), (D("6"), D("11.69"))),
    "https://blog.bookuploadpro.com/kdp-paperback-trim-size-rules (sheet §4.1)",
    "third-party",
    "custom trims: width 4-8.5 in, height 6-11.69 in",
)

PAPERS = ("white", "cream", "premium_color", "standard_color")

# paper -> (min pages, default max pages, {trim: max pages}) (sheet §4.2)
_A4 = (D("8.27"), D("11.69"))
_SQ = [(D("8.25"), D("6")), (D("8.25"), D("8.25"))]
_BIG = [(D("8.5"), D("8.5")), (D("8.5"), D("11"))]
PAGE_LIMITS: dict[str, Fact[tuple[int, int, dict]]] = {
    "white": _f((24, 828, {**{t: 800 for t in _SQ}, **{t: 590 for t in _BIG}, _A4: 780}), SRC_PAGES, "third-party"),
    "cream": _f((24, 776, {**{t: 750 for t in _SQ}, **{t: 550 for t in _BIG}, _A4: 730}), SRC_PAGES, "third-party"),
    "premium_color": _f((24, 828, {**{t: 800 for t in _SQ}, **{t: 590 for t in [*_BIG, _A4]}}), SRC_PAGES, "third-party"),
    "standard_color": _f((72, 600, {_A4: 0}), SRC_PAGES, "third-party", "A4 not offered (kdp_data.py, unverified)"),
}
# KDP prints both sides of every sheet, so page counts are even (sheet §4.2, calculator port).
PAGE_COUNT_EVEN = _f(True, "Python port of the KDP calculator (sheet §4.2)", "third-party")

# (first page, last page, minimum inside margin in inches) (sheet §4.3)
GUTTER_TABLE = _f(
    ((24, 150, D("0.375")), (151, 300, D("0.5")), (301, 500, D("0.625")),
     (501, 700, D("0.75")), (701, 828, D("0.875"))),
    SRC_MARGINS,
    "third-party",
    "four sources agree; KDP's own table was not captured",
)
OUTER_MARGIN_NO_BLEED = _f(D("0.25"), SRC_MARGINS, "third-party")
# One page garbles this as 0.2375 in; the four consistent sources give 0.375 in (sheet §4.3).
OUTER_MARGIN_BLEED = _f(D("0.375"), SRC_MARGINS, "third-party")

BLEED = _f(D("0.125"), SRC_COVER, "kdp", "top, bottom and outside edge; none at the spine")

# --- 5. paperback cover ----------------------------------------------------------------

SPINE_PER_PAGE: dict[str, Fact[D]] = {
    "white": _f(D("0.002252"), SRC_SPINE, "third-party"),
    "cream": _f(D("0.0025"), SRC_SPINE, "third-party"),
    "premium_color": _f(D("0.002347"), SRC_SPINE, "third-party"),
    "standard_color": _f(D("0.002252"), SRC_SPINE, "third-party", "kdpeasy.com says 0.002347; most say as white"),
}
SPINE_TEXT_MIN_PAGES = _f(79, SRC_COVER, "kdp", "Cover Creator needs 80")
# Binding can shift by about this much, so spine text keeps this far from each fold.
SPINE_FOLD_CLEARANCE = _f(D("0.0625"), "https://thefastfingers.com/specification-requirements-"
                          "for-a-createspace-book-cover/ (sheet §5)", "third-party")
BARCODE_SIZE = _f((D("2"), D("1.2")), SRC_BARCODE, "third-party", "width × height, bottom right of back")
BARCODE_OFFSET = _f(D("0.25"), SRC_BARCODE, "conflict",
                    "kdpprintcover.com says 0.125 in from the edges", alternatives=(D("0.125"),))
SAFE_ZONE = _f(D("0.25"), "https://www.librava.ai/guides/book-covers ; CreateSpace cover page (sheet §5)",
               "conflict", "CreateSpace said 0.125 in; several third parties say 0.25 in",
               alternatives=(D("0.125"),))
PRINT_DPI = _f(300, "https://kdp.amazon.com/help/topic/GYEKAVKMSE23PFTM (sheet §5)")
MAX_PRINT_FILE_MB = _f(650, SRC_COVER, "kdp", "covers: 40 MB or less recommended")
# Our own tolerance when comparing an uploaded cover with the computed size; KDP's is unknown.
COVER_SIZE_TOLERANCE_IN = _f(D("0.01"), OURS, "unverified")

# --- 6.2 eBook cover -------------------------------------------------------------------

EBOOK_COVER_IDEAL = _f((1600, 2560), SRC_EBOOK_COVER, "kdp", "width × height; height = 1.6 × width")
EBOOK_COVER_MIN = _f((625, 1000), SRC_EBOOK_COVER)
EBOOK_COVER_MAX = _f((10000, 10000), SRC_EBOOK_COVER)
EBOOK_COVER_RATIO = _f(D("1.6"), SRC_EBOOK_COVER, "kdp", "ideal height:width")
EBOOK_COVER_MAX_MB = _f(50, SRC_EBOOK_COVER)
EBOOK_COVER_RGB = _f(True, SRC_EBOOK_COVER)
# Our tolerance on the 1.6 ratio: KDP calls it "ideal", not a hard limit.
EBOOK_COVER_RATIO_TOLERANCE = _f(D("0.05"), OURS, "unverified")

# --- 7.2 metadata limits ---------------------------------------------------------------

TITLE_SUBTITLE_MAX = _f(200, SRC_TITLE, "third-party", "third party quoting KDP")
DESCRIPTION_MAX = _f(4000, SRC_DESCRIPTION, "third-party", "HTML tags are counted")
DESCRIPTION_TAGS = _f(
    frozenset({"br", "p", "b", "em", "i", "u", "h4", "h5", "h6", "ol", "ul", "li"}),
    SRC_DESCRIPTION,
    "third-party",
    "publishrank.io adds h1-h3 and strong; only the safe set is generated",
)
KEYWORDS_MAX = _f(7, SRC_KEYWORDS, "third-party")
KEYWORD_MAX_CHARS = _f(50, SRC_KEYWORDS, "third-party")
CATEGORIES_MAX = _f(3, SRC_CATEGORIES, "third-party", "per format, since 31 May 2023")
CONTRIBUTOR_ROLES = _f(
    ("Author", "Editor", "Foreword", "Illustrator", "Introduction", "Narrator",
     "Photographer", "Preface", "Translator"),
    SRC_CONTRIB,
    "stale",
    "about 2014",
)
ISBN_DISTINCT_PER_FORMAT = _f(True, SRC_ISBN)
# KDP's setup asks whether text, images or translations are AI-generated (sheet §7.2: seen in a
# 2023-or-later validator; KDP's exact wording unverified).
AI_CONTENT_QUESTION = _f(("none", "some", "entire"), "kdp_data.py (sheet §7.2)", "unverified",
                         "asked at setup for text, images and translations")
PAPERBACK_NEEDS_ISBN = _f(True, SRC_ISBN, "kdp", "own ISBN or a free KDP ISBN")

# --- 7.1 language support ---------------------------------------------------------------
# The sheet has no KDP language page (§7.1 is a [GAP]); rows come from third-party lists.
# Value: (eBook supported?, paperback supported?). Confidence applies to the row.


@dataclass(frozen=True)
class LanguageSupport:
    ebook: bool
    paperback: bool
    ebook_confidence: Confidence
    paperback_confidence: Confidence
    note: str = ""


def _ls(e, p, ce="third-party", cp="third-party", note=""):
    return LanguageSupport(e, p, ce, cp, note)


_WESTERN = (
    "en af gsw eu br ca kw co da nl frr frs fy fi fr gl de is ga it lb gv nb nn no pt oc rm "
    "sco gd es sv cy"
).split()
LANGUAGE_SUPPORT: dict[str, LanguageSupport] = {code: _ls(True, True) for code in _WESTERN}
LANGUAGE_SUPPORT.update(
    {
        "ja": _ls(True, True, note="paperback: PDF upload only"),
        "ar": _ls(True, False, note="eBook only"),
        "zh-Hant": _ls(True, False, note="eBook only"),
        "zh-Hans": _ls(False, False, "unverified", "unverified", "absent from every list found"),
        "hi": _ls(True, False, note="eBook only"),
        "gu": _ls(True, False, note="eBook only"),
        "ml": _ls(True, False, note="eBook only"),
        "mr": _ls(True, False, note="eBook only"),
        "ta": _ls(True, False, note="eBook only"),
        "he": _ls(False, True, "unverified", note="paperback: PDF only, no standard colour"),
        "yi": _ls(False, True, "unverified", note="paperback: PDF only"),
        "la": _ls(False, True, "unverified", note="paperback: PDF only"),
        "pl": _ls(True, True, "conflict", note="kdp_data.py says print only"),
        "uk": _ls(True, True, "conflict", note="kdp_data.py says print only"),
        "ru": _ls(False, False, "unverified", "unverified", "in no list; Cyrillic unsupported in 2013"),
        "ur": _ls(False, False, "unverified", "unverified", "in no list"),
        "fa": _ls(False, False, "stale", "stale", "not supported in May 2019 (rferl.org)"),
        "bn": _ls(False, False, "unverified", "unverified", "in no list"),
        "kn": _ls(False, False, "unverified", "unverified", "refused in 2016; in no list"),
        "te": _ls(False, False, "unverified", "unverified", "in no list"),
    }
)
LANGUAGE_SOURCE = SRC_LANG + "; KDP's own language page was not found"

# Languages whose PDF-only rule matters to the kit builder (sheet §4.4).
PRINT_PDF_ONLY_LANGUAGES = _f(frozenset({"ja", "he", "la", "yi"}),
                              "https://kdp.amazon.com/en_US/help/topic/G201857950 (sheet §4.4)")
