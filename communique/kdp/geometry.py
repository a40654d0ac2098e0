"""Paperback geometry: trim, spine, full-wrap cover, cover zones, interior page and margins.

All lengths are :class:`~decimal.Decimal` inches, exact to the sheet's figures (300 white
pages give exactly 0.6756 in). Every dataclass has ``to_dict()`` with plain floats for JSON,
and :func:`to_px` / :func:`to_pt` convert for renderers.

Cover coordinates have their origin at the top-left corner of the full wrap *including*
bleed, with y growing downward, as in CSS and in raster images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import facts

D = Decimal
POINTS_PER_INCH = D(72)
MM_PER_INCH = D("25.4")


def to_pt(inches: Decimal) -> Decimal:
    return inches * POINTS_PER_INCH


def to_px(inches: Decimal, dpi: int = 300) -> int:
    """Whole pixels, rounded half up (12.9256 in at 300 DPI is 3878 px, as in sheet §5)."""
    return int((inches * dpi).to_integral_value(rounding=ROUND_HALF_UP))


def _f(value: Decimal) -> float:
    return float(value)


# --- trim ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trim:
    width: Decimal
    height: Decimal

    @classmethod
    def parse(cls, value: "str | Trim | tuple") -> "Trim":
        """Accept ``Trim``, ``(w, h)``, ``"6x9"``, ``"6 × 9 in"`` or ``"152.4 x 228.6 mm"``."""
        if isinstance(value, Trim):
            return value
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return cls(D(str(value[0])), D(str(value[1])))
        m = re.fullmatch(
            r"\s*(\d+(?:\.\d+)?)\s*[x×X*]\s*(\d+(?:\.\d+)?)\s*(in|inch|inches|\"|mm)?\s*", str(value)
        )
        if not m:
            raise ValueError(f"trim {value!r} is not like '6x9' or '152.4 x 228.6 mm'")
        w, h = D(m.group(1)), D(m.group(2))
        if m.group(3) == "mm":
            w, h = (w / MM_PER_INCH).quantize(D("0.01")), (h / MM_PER_INCH).quantize(D("0.01"))
        if w <= 0 or h <= 0:
            raise ValueError(f"trim {value!r} must be larger than zero")
        return cls(w, h)

    @property
    def is_large(self) -> bool:
        # Large trim changes printing cost and page limits (sheet §4.1, KDP).
        return self.width > facts.LARGE_TRIM_WIDTH.value or self.height > facts.LARGE_TRIM_HEIGHT.value

    @property
    def trim_class(self) -> str:
        return "large" if self.is_large else "regular"

    @property
    def is_standard(self) -> bool:
        return (self.width, self.height) in {(w, h) for w, h in facts.STANDARD_TRIMS.value}

    @property
    def is_custom_allowed(self) -> bool:
        (wmin, wmax), (hmin, hmax) = facts.CUSTOM_TRIM_RANGE.value
        return wmin <= self.width <= wmax and hmin <= self.height <= hmax

    def __str__(self) -> str:
        return f"{self.width.normalize():f} × {self.height.normalize():f} in"

    def to_dict(self) -> dict:
        return {"width_in": _f(self.width), "height_in": _f(self.height), "large": self.is_large}


# --- rectangles ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    """An axis-aligned box in inches: x, y of the top-left corner, width, height."""

    x: Decimal
    y: Decimal
    w: Decimal
    h: Decimal

    @property
    def right(self) -> Decimal:
        return self.x + self.w

    @property
    def bottom(self) -> Decimal:
        return self.y + self.h

    def intersects(self, other: "Rect") -> bool:
        # Touching edges do not count: a box may sit flush against the barcode area.
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def contains(self, other: "Rect") -> bool:
        return (self.x <= other.x and self.y <= other.y
                and other.right <= self.right and other.bottom <= self.bottom)

    def inset(self, dx: Decimal, dy: Decimal | None = None) -> "Rect":
        dy = dx if dy is None else dy
        return Rect(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)

    def to_dict(self) -> dict:
        return {"x": _f(self.x), "y": _f(self.y), "w": _f(self.w), "h": _f(self.h)}

    @classmethod
    def of(cls, x, y, w, h) -> "Rect":
        return cls(*(D(str(v)) for v in (x, y, w, h)))


# --- spine and full wrap ---------------------------------------------------------------


def _check_paper(paper: str) -> str:
    if paper not in facts.PAPERS:
        raise ValueError(f"paper {paper!r} is not one of {', '.join(facts.PAPERS)}")
    return paper


def spine_width(pages: int, paper: str) -> Decimal:
    """Spine thickness in inches = pages × per-page thickness (sheet §5; no Lulu 0.06 in added)."""
    if pages < 0:
        raise ValueError("page count cannot be negative")
    return pages * facts.SPINE_PER_PAGE[_check_paper(paper)].value


@dataclass(frozen=True)
class CoverSize:
    trim: Trim
    pages: int
    paper: str
    spine: Decimal
    bleed: Decimal
    width: Decimal
    height: Decimal

    def pixels(self, dpi: int = 300) -> tuple[int, int]:
        return to_px(self.width, dpi), to_px(self.height, dpi)

    def points(self) -> tuple[Decimal, Decimal]:
        return to_pt(self.width), to_pt(self.height)

    def to_dict(self) -> dict:
        w, h = self.pixels(300)
        return {
            "trim": self.trim.to_dict(), "pages": self.pages, "paper": self.paper,
            "spine_in": _f(self.spine), "bleed_in": _f(self.bleed),
            "width_in": _f(self.width), "height_in": _f(self.height),
            "width_px_300dpi": w, "height_px_300dpi": h,
        }


def cover_size(trim: Trim | str, pages: int, paper: str) -> CoverSize:
    """Full wrap: bleed + back + spine + front + bleed wide, trim height + 2 × bleed tall.

    Source: sheet §5 (CreateSpace formula; kdp-preflight-cli).
    """
    trim = Trim.parse(trim)
    spine = spine_width(pages, paper)
    bleed = facts.BLEED.value
    return CoverSize(
        trim, pages, paper, spine, bleed,
        width=2 * trim.width + spine + 2 * bleed,
        height=trim.height + 2 * bleed,
    )


@dataclass(frozen=True)
class CoverZones:
    size: CoverSize
    back: Rect  # trim area of the back cover (no bleed)
    spine: Rect
    front: Rect
    back_safe: Rect
    spine_safe: Rect  # where spine text may go: fold clearance at the sides
    front_safe: Rect
    barcode: Rect
    safe_margin: Decimal
    barcode_offset: Decimal

    @property
    def full(self) -> Rect:
        return Rect(D(0), D(0), self.size.width, self.size.height)

    @property
    def spine_text_allowed(self) -> bool:
        return self.size.pages >= facts.SPINE_TEXT_MIN_PAGES.value

    def to_dict(self) -> dict:
        return {
            "size": self.size.to_dict(),
            **{name: getattr(self, name).to_dict() for name in (
                "full", "back", "spine", "front", "back_safe", "spine_safe", "front_safe", "barcode")},
            "safe_margin_in": _f(self.safe_margin), "barcode_offset_in": _f(self.barcode_offset),
            "spine_text_allowed": self.spine_text_allowed,
        }


def cover_zones(
    trim: Trim | str,
    pages: int,
    paper: str,
    *,
    safe_margin: Decimal | None = None,
    barcode_offset: Decimal | None = None,
) -> CoverZones:
    """The panels of a full-wrap cover, its safe areas and the barcode box.

    ``safe_margin`` and ``barcode_offset`` default to the sheet's preferred reading; both
    are [CONFLICT] facts (0.25 vs 0.125 in), so the preflight calls this once per reading.
    """
    size = cover_size(trim, pages, paper)
    t, b, s = size.trim, size.bleed, size.spine
    safe = facts.SAFE_ZONE.value if safe_margin is None else D(safe_margin)
    offset = facts.BARCODE_OFFSET.value if barcode_offset is None else D(barcode_offset)
    back = Rect(b, b, t.width, t.height)
    spine = Rect(b + t.width, b, s, t.height)
    front = Rect(b + t.width + s, b, t.width, t.height)
    fold = facts.SPINE_FOLD_CLEARANCE.value
    # A spine thinner than both fold clearances has no room for text: a zero-width safe area.
    side = min(fold, s / 2)
    spine_safe = Rect(spine.x + side, spine.y + safe, s - 2 * side, t.height - 2 * safe)
    # Bottom-right of the back cover, kept `offset` from the spine fold and the bottom trim
    # (sheet §5, barcode; publishing.co.uk, selfpublishingtitans.com).
    bw, bh = facts.BARCODE_SIZE.value
    barcode = Rect(back.right - offset - bw, back.bottom - offset - bh, bw, bh)
    return CoverZones(
        size, back, spine, front, back.inset(safe), spine_safe, front.inset(safe), barcode, safe, offset
    )


# --- interior --------------------------------------------------------------------------


def interior_page_size(trim: Trim | str, bleed: bool) -> tuple[Decimal, Decimal]:
    """Page size of the interior PDF: with bleed, +0.125 in wide and +0.25 in tall (sheet §4.4)."""
    trim = Trim.parse(trim)
    if not bleed:
        return trim.width, trim.height
    b = facts.BLEED.value
    return trim.width + b, trim.height + 2 * b


def required_gutter(pages: int) -> Decimal | None:
    """Minimum inside margin for this page count (sheet §4.3); None outside the table."""
    for first, last, margin in facts.GUTTER_TABLE.value:
        if first <= pages <= last:
            return margin
    return None


def required_outer_margin(bleed: bool) -> Decimal:
    """Top, bottom and outside margins: 0.375 in with bleed, 0.25 in without (sheet §4.3)."""
    return (facts.OUTER_MARGIN_BLEED if bleed else facts.OUTER_MARGIN_NO_BLEED).value


@dataclass(frozen=True)
class Margins:
    inside: Decimal
    outside: Decimal
    top: Decimal
    bottom: Decimal

    @classmethod
    def of(cls, inside, outside, top, bottom) -> "Margins":
        return cls(*(D(str(v)) for v in (inside, outside, top, bottom)))

    def to_dict(self) -> dict:
        return {k: _f(getattr(self, k)) for k in ("inside", "outside", "top", "bottom")}


@dataclass(frozen=True)
class Shortfall:
    edge: str  # "inside" | "outside" | "top" | "bottom"
    have: Decimal
    need: Decimal


def margin_shortfalls(pages: int, margins: Margins, bleed: bool) -> list[Shortfall]:
    """Every margin smaller than KDP's minimum; empty when all are wide enough.

    A page count outside the gutter table yields no gutter shortfall; the page-count check
    reports that case.
    """
    out: list[Shortfall] = []
    gutter = required_gutter(pages)
    if gutter is not None and margins.inside < gutter:
        out.append(Shortfall("inside", margins.inside, gutter))
    outer = required_outer_margin(bleed)
    for edge in ("outside", "top", "bottom"):
        have = getattr(margins, edge)
        if have < outer:
            out.append(Shortfall(edge, have, outer))
    return out


@dataclass(frozen=True)
class CoverElement:
    """Something drawn on a cover, for the preflight to check against zones.

    ``kind``: "text" and "image" must stay in safe areas and off the barcode box;
    "background" (full-bleed colour or art) and "barcode" (the reserved box) are exempt.
    """

    name: str
    kind: str
    box: Rect

    def to_dict(self) -> dict:
        return {"name": self.name, "kind": self.kind, "box": self.box.to_dict()}
