"""The book's KDP metadata as one dataclass: the one metadata shape from manuscript to kit.

Conversions happen only at the edges: ``from_front_matter`` (manuscript front matter, CLI flags
and the portal's Book fields, merged in kdp/merge.py), ``to_dict`` / ``from_dict``
(metadata.json, read back by the preflight), ``kdp.onix.onix_xml`` (ONIX) and
``kdp.merge.apply_metadata`` (back onto the Document each writer reads).

``BookMetadata.from_front_matter`` is strict about types and formats and raises
:class:`MetadataError` (a ``ValueError``) naming the bad field; whether the values satisfy
KDP's rules (lengths, counts, languages) is the preflight's job, so those are not raised here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from . import facts
from .description import sanitize_description
from .geometry import Trim
from .isbn import ISBNError, normalize_isbn
from .languages import language_name, normalize_language


class MetadataError(ValueError):
    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str = "Author"  # one of facts.CONTRIBUTOR_ROLES

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role}


_PAPERS = {
    "white": "white", "cream": "cream",
    # "color" alone means premium: it takes every trim and page count, standard colour does not.
    "color": "premium_color", "colour": "premium_color", "premium": "premium_color",
    "premium_color": "premium_color", "premium_colour": "premium_color",
    "standard_color": "standard_color", "standard_colour": "standard_color", "standard": "standard_color",
}


@dataclass
class BookMetadata:
    title: str
    subtitle: str = ""
    series: str = ""
    series_number: str = ""
    edition: int | None = None
    contributors: list[Contributor] = field(default_factory=list)
    description_html: str = ""
    keywords: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    language: str = "en"
    reading_age_min: int | None = None
    reading_age_max: int | None = None
    publication_date: date | None = None
    isbn_ebook: str | None = None
    isbn_paperback: str | None = None
    publisher: str = ""
    public_domain: bool = False
    trim: Trim | None = None
    paper: str = "white"
    bleed: bool = False
    price_usd: Decimal | None = None
    paperback_price_usd: Decimal | None = None
    # The author's own price for a store ("UK": 3.99 in GBP), shipped instead of the converted one.
    ebook_prices: dict[str, Decimal] = field(default_factory=dict)
    paperback_prices: dict[str, Decimal] = field(default_factory=dict)
    # Setup questions seen in a 2023-or-later validator (sheet §7.2, [UNVERIFIED] wording).
    primary_marketplace: str = "US"
    kdp_select: bool = False
    cover_finish: str = "matte"
    low_content: bool = False
    sexually_explicit: bool = False
    ai_content: str | None = None  # "none" | "some" | "entire"; None = not answered yet
    # A translation: the language it was translated from, and KDP's AI question for translations
    # ("none" | "some" | "entire") with what the answer rests on (engines, people's review).
    original_language: str | None = None
    ai_translation: str | None = None
    ai_translation_detail: str = ""

    @property
    def authors(self) -> list[str]:
        return [c.name for c in self.contributors if c.role == "Author"]

    @classmethod
    def from_front_matter(cls, data: dict[str, Any]) -> "BookMetadata":
        """Build from a YAML front-matter dict; unknown keys are ignored."""
        if not isinstance(data, dict):
            raise MetadataError("front matter", "must be a mapping of keys to values")
        title = _text(data, "title")
        if not title:
            raise MetadataError("title", "is required")
        kw: dict[str, Any] = {"title": title}
        for key in ("subtitle", "series", "publisher"):
            if key in data:
                kw[key] = _text(data, key)
        if "series_number" in data:
            kw["series_number"] = _text(data, "series_number")
        if "edition" in data:
            kw["edition"] = _int(data, "edition", minimum=1)
        kw["contributors"] = _contributors(data)
        desc_key = "description_html" if "description_html" in data else "description"
        if desc_key in data:
            kw["description_html"] = _text(data, desc_key)
        for key in ("keywords", "categories"):
            if key in data:
                kw[key] = _strings(data, key)
        lang_key = "language" if "language" in data else "lang" if "lang" in data else None
        if lang_key:
            try:
                kw["language"] = normalize_language(_text(data, lang_key))
            except ValueError as exc:
                raise MetadataError(lang_key, str(exc)) from None
        kw.update(_reading_age(data))
        date_key = next((k for k in ("publication_date", "date") if k in data), None)
        if date_key:
            kw["publication_date"] = _date(data, date_key)
        for src, dst in (("isbn", "isbn_ebook"), ("isbn_ebook", "isbn_ebook"), ("isbn_paperback", "isbn_paperback")):
            if data.get(src) not in (None, ""):
                try:
                    kw[dst] = normalize_isbn(str(data[src]))
                except ISBNError as exc:
                    raise MetadataError(src, str(exc)) from None
        for key in ("public_domain", "bleed", "kdp_select", "low_content", "sexually_explicit"):
            if key in data:
                kw[key] = _bool(data, key)
        if data.get("trim") not in (None, ""):
            try:
                kw["trim"] = Trim.parse(data["trim"])
            except ValueError as exc:
                raise MetadataError("trim", str(exc)) from None
        if "paper" in data:
            paper = str(data["paper"]).strip().lower().replace(" ", "_").replace("-", "_")
            if paper not in _PAPERS:
                raise MetadataError("paper", f"{data['paper']!r} is not white, cream, color, "
                                    "premium_color or standard_color")
            kw["paper"] = _PAPERS[paper]
        for src, dst in (("price", "price_usd"), ("price_usd", "price_usd"),
                         ("paperback_price_usd", "paperback_price_usd")):
            if data.get(src) not in (None, ""):
                kw[dst] = _price(data, src)
        for key in ("ebook_prices", "paperback_prices"):
            if data.get(key):
                kw[key] = _store_prices(data, key)
        if "primary_marketplace" in data:
            mp = str(data["primary_marketplace"]).upper()
            if mp not in facts.MARKETPLACES:
                raise MetadataError("primary_marketplace", f"{mp!r} is not one of {', '.join(facts.MARKETPLACES)}")
            kw["primary_marketplace"] = mp
        if "cover_finish" in data:
            finish = str(data["cover_finish"]).lower()
            if finish not in ("matte", "glossy"):
                raise MetadataError("cover_finish", "must be matte or glossy")
            kw["cover_finish"] = finish
        if data.get("ai_content") is not None:
            ai = str(data["ai_content"]).lower()
            if ai not in ("none", "some", "entire"):
                raise MetadataError("ai_content", "must be none, some or entire")
            kw["ai_content"] = ai
        if data.get("original_language") not in (None, ""):
            try:
                kw["original_language"] = normalize_language(_text(data, "original_language"))
            except ValueError as exc:
                raise MetadataError("original_language", str(exc)) from None
        if data.get("ai_translation") is not None:
            ai = str(data["ai_translation"]).lower()
            if ai not in ("none", "some", "entire"):
                raise MetadataError("ai_translation", "must be none, some or entire")
            kw["ai_translation"] = ai
            kw["ai_translation_detail"] = str(data.get("ai_translation_detail") or "")[:500]
        return cls(**kw)

    def to_dict(self) -> dict:
        """Every KDP setup field, grouped as on KDP's forms; None means "not set"."""
        clean = sanitize_description(self.description_html)
        slots = max(facts.KEYWORDS_MAX.value, len(self.keywords))
        keywords = list(self.keywords) + [""] * (slots - len(self.keywords))
        return {
            "language": {"code": self.language, "name": language_name(self.language)},
            "title": self.title,
            "subtitle": self.subtitle or None,
            "series": {"name": self.series, "number": self.series_number or None} if self.series else None,
            "edition_number": self.edition,
            "contributors": [c.to_dict() for c in self.contributors],
            "description_html": clean.html,
            "publishing_rights": "public_domain" if self.public_domain else "own_copyright",
            "primary_audience": {
                "sexually_explicit": self.sexually_explicit,
                "reading_age_min": self.reading_age_min,
                "reading_age_max": self.reading_age_max,
            },
            "primary_marketplace": self.primary_marketplace,
            "keywords": keywords,
            "categories": list(self.categories),
            "publisher": self.publisher or None,
            "publication_date": self.publication_date.isoformat() if self.publication_date else None,
            "low_content": self.low_content,
            "ai_generated_content": self.ai_content,
            "original_language": ({"code": self.original_language, "name": language_name(self.original_language)}
                                  if self.original_language else None),
            "ai_generated_translation": ({"answer": self.ai_translation, "detail": self.ai_translation_detail}
                                         if self.ai_translation else None),
            "ebook": {
                "isbn": self.isbn_ebook,
                "price_usd": str(self.price_usd) if self.price_usd is not None else None,
                "price_overrides": {k: str(v) for k, v in self.ebook_prices.items()},
                "kdp_select": self.kdp_select,
            },
            "paperback": {
                "isbn": self.isbn_paperback,
                "trim": self.trim.to_dict() if self.trim else None,
                "paper": self.paper,
                "bleed": self.bleed,
                "cover_finish": self.cover_finish,
                "price_usd": str(self.paperback_price_usd) if self.paperback_price_usd is not None else None,
                "price_overrides": {k: str(v) for k, v in self.paperback_prices.items()},
            },
        }

    @classmethod
    def from_dict(cls, meta: dict) -> "BookMetadata":
        """The inverse of to_dict(): metadata.json back into the one metadata shape."""
        ebook, paperback = meta.get("ebook") or {}, meta.get("paperback") or {}
        audience = meta.get("primary_audience") or {}
        trim = paperback.get("trim")
        data = {
            "title": meta.get("title"), "subtitle": meta.get("subtitle"),
            "series": (meta.get("series") or {}).get("name"), "series_number": (meta.get("series") or {}).get("number"),
            "edition": meta.get("edition_number"), "contributors": meta.get("contributors") or [],
            "description_html": meta.get("description_html"),
            "keywords": [k for k in meta.get("keywords") or [] if k], "categories": meta.get("categories") or [],
            "language": (meta.get("language") or {}).get("code"),
            "reading_age_min": audience.get("reading_age_min"), "reading_age_max": audience.get("reading_age_max"),
            "sexually_explicit": audience.get("sexually_explicit"),
            "publication_date": meta.get("publication_date"), "publisher": meta.get("publisher"),
            "public_domain": meta.get("publishing_rights") == "public_domain",
            "isbn_ebook": ebook.get("isbn"), "isbn_paperback": paperback.get("isbn"),
            "price_usd": ebook.get("price_usd"), "kdp_select": ebook.get("kdp_select"),
            "trim": f"{trim['width_in']}x{trim['height_in']}" if trim else None,
            "paper": paperback.get("paper"), "bleed": paperback.get("bleed"),
            "cover_finish": paperback.get("cover_finish"), "paperback_price_usd": paperback.get("price_usd"),
            "primary_marketplace": meta.get("primary_marketplace"), "low_content": meta.get("low_content"),
            "ai_content": meta.get("ai_generated_content"),
            "ebook_prices": ebook.get("price_overrides") or None,
            "paperback_prices": paperback.get("price_overrides") or None,
            "original_language": (meta.get("original_language") or {}).get("code"),
            "ai_translation": (meta.get("ai_generated_translation") or {}).get("answer"),
            "ai_translation_detail": (meta.get("ai_generated_translation") or {}).get("detail"),
        }
        return cls.from_front_matter({k: v for k, v in data.items() if v is not None})

    def to_metadata_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


# --- field parsers ----------------------------------------------------------------------


def _text(data, key) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise MetadataError(key, "must be text")
    return str(value).strip()


def _int(data, key, minimum=0) -> int:
    try:
        value = int(str(data[key]).strip())
    except (TypeError, ValueError):
        raise MetadataError(key, f"{data[key]!r} is not a whole number") from None
    if value < minimum:
        raise MetadataError(key, f"must be at least {minimum}")
    return value


def _bool(data, key) -> bool:
    value = data[key]
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1", "on"):
        return True
    if text in ("no", "false", "0", "off", ""):
        return False
    raise MetadataError(key, f"{value!r} is not yes or no")


def _strings(data, key) -> list[str]:
    value = data[key]
    if value is None:
        return []
    if isinstance(value, str):
        # "a; b; c" or "a, b, c": keywords are often typed on one line
        sep = ";" if ";" in value else ","
        return [v.strip() for v in value.split(sep) if v.strip()]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, (str, int, float)) for v in value):
            raise MetadataError(key, "must be a list of text")
        return [str(v).strip() for v in value if str(v).strip()]
    raise MetadataError(key, "must be a list or a comma-separated line")


def _price(data, key) -> Decimal:
    try:
        value = Decimal(str(data[key]).strip().lstrip("$"))
    except InvalidOperation:
        raise MetadataError(key, f"{data[key]!r} is not a price like 4.99") from None
    if not value.is_finite() or value <= 0:
        raise MetadataError(key, "must be a positive amount")
    return value.quantize(Decimal("0.01"))


def _store_prices(data, key) -> dict[str, Decimal]:
    """{"UK": "3.99", "DE": 4.49}: a price in each store's own currency, to its smallest unit."""
    raw = data[key]
    if not isinstance(raw, dict):
        raise MetadataError(key, "must map store codes (UK, DE, IN …) to prices")
    out = {}
    for code, value in raw.items():
        mp = str(code).strip().upper()
        if mp not in facts.MARKETPLACES:
            raise MetadataError(key, f"{code!r} is not one of {', '.join(facts.MARKETPLACES)}")
        price = _price({mp: value}, mp)
        unit = facts.MINOR_UNIT[facts.MARKETPLACES[mp].currency]
        if price != price.quantize(unit):
            raise MetadataError(key, f"{mp}: {value} has more decimals than {facts.MARKETPLACES[mp].currency} uses")
        out[mp] = price.quantize(unit)
    return out


def _date(data, key) -> date:
    value = data[key]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise MetadataError(key, f"{value!r} is not a date like 2026-12-01") from None


def _reading_age(data) -> dict:
    out = {}
    if "reading_age" in data and data["reading_age"] not in (None, ""):
        text = str(data["reading_age"]).replace("–", "-")
        parts = [p.strip() for p in text.split("-")]
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise MetadataError("reading_age", f"{data['reading_age']!r} is not like 8-12")
        out = {"reading_age_min": int(parts[0]), "reading_age_max": int(parts[1])}
    for key in ("reading_age_min", "reading_age_max"):
        if data.get(key) not in (None, ""):
            out[key] = _int(data, key)
    lo, hi = out.get("reading_age_min"), out.get("reading_age_max")
    if lo is not None and hi is not None and lo > hi:
        raise MetadataError("reading_age", "minimum is above maximum")
    return out


def _contributors(data) -> list[Contributor]:
    out: list[Contributor] = []
    for key in ("author", "authors"):
        if key in data and data[key]:
            names = data[key] if isinstance(data[key], list) else [data[key]]
            out += [Contributor(str(n).strip(), "Author") for n in names if str(n).strip()]
    raw = data.get("contributors") or []
    if not isinstance(raw, list):
        raise MetadataError("contributors", "must be a list")
    for i, item in enumerate(raw):
        if isinstance(item, str):
            out.append(Contributor(item.strip(), "Author"))
        elif isinstance(item, dict) and str(item.get("name", "")).strip():
            role = str(item.get("role", "Author")).strip().title()
            out.append(Contributor(str(item["name"]).strip(), role))
        else:
            raise MetadataError(f"contributors[{i}]", "needs a name (and optionally a role)")
    return out
