"""Page geometry for the print PDF: trim, bleed and mirrored margins as an @page stylesheet.

The writer knows no printer's rules. A printer (KDP: `communique.kdp.print_rules`) hands its
rules to the writer as the `print_rules` option — the inside margin by page count, minimum
outer margins, bleed size, page range; without one the writer uses GENERIC below (ordinary book
practice: the gutter grows with the book's thickness). This module chooses design margins on top
of the rules' minimums and writes them as CSS.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

D = Decimal

# Names people type for trims that are not "WxH" in inches.
NAMED_TRIMS = {
    "a5": (D("5.83"), D("8.27")),  # 148 × 210 mm
    "a4": (D("8.27"), D("11.69")),
    "us-trade": (D("6"), D("9")),
    "digest": (D("5.5"), D("8.5")),
}

# Design margins measured from the trim edge. They sit comfortably above KDP's minimums
# (0.25 in outside/top/bottom without bleed); the running head and folio live inside them.
TOP = D("0.75")
BOTTOM = D("0.7")
OUTSIDE = D("0.6")


MM_PER_INCH = D("25.4")


@dataclass(frozen=True)
class Trim:
    width: Decimal
    height: Decimal

    @classmethod
    def parse(cls, value) -> "Trim":
        """Accept a Trim (or anything with width/height), ``(w, h)``, ``"6x9"``, ``"6 × 9 in"`` or
        ``"152.4 x 228.6 mm"``."""
        if hasattr(value, "width") and hasattr(value, "height"):
            return cls(D(str(value.width)), D(str(value.height)))
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return cls(D(str(value[0])), D(str(value[1])))
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[x×X*]\s*(\d+(?:\.\d+)?)\s*(in|inch|inches|\"|mm)?\s*", str(value))
        if not m:
            raise ValueError(f"trim {value!r} is not like '6x9' or '152.4 x 228.6 mm'")
        w, h = D(m.group(1)), D(m.group(2))
        if m.group(3) == "mm":
            w, h = (w / MM_PER_INCH).quantize(D("0.01")), (h / MM_PER_INCH).quantize(D("0.01"))
        if w <= 0 or h <= 0:
            raise ValueError(f"trim {value!r} must be larger than zero")
        return cls(w, h)

    def __str__(self) -> str:
        return f"{self.width.normalize():f} × {self.height.normalize():f} in"


@dataclass(frozen=True)
class PrintRules:
    """What a printer requires of an interior. `gutter_table` rows are (first page, last page,
    minimum inside margin in inches); below the first row its margin applies, above the last
    the last row's (a page-range check reports those books)."""

    name: str
    gutter_table: tuple[tuple[int, int, Decimal], ...]
    min_margin: Decimal  # top, bottom and outside, without bleed
    min_margin_bleed: Decimal
    bleed: Decimal  # added to top, bottom and outside edge when the book bleeds
    page_range: tuple[int, int] | None = None

    def gutter_for(self, pages: int) -> Decimal:
        table = self.gutter_table
        for first, last, margin in table:
            if first <= pages <= last:
                return margin
        return table[0][2] if pages < table[0][0] else table[-1][2]

    def outer_margin(self, bleed: bool) -> Decimal:
        return self.min_margin_bleed if bleed else self.min_margin


# Ordinary book practice without a printer's table: a wider gutter as the spine thickens.
GENERIC = PrintRules(
    name="generic",
    gutter_table=((0, 150, D("0.5")), (151, 400, D("0.625")), (401, 100_000, D("0.75"))),
    min_margin=D("0.25"), min_margin_bleed=D("0.375"), bleed=D("0.125"),
)


def parse_trim(value: str | Trim | None) -> Trim:
    if value is None or value == "":
        return Trim(D(6), D(9))
    if isinstance(value, str) and value.strip().lower() in NAMED_TRIMS:
        return Trim(*NAMED_TRIMS[value.strip().lower()])
    return Trim.parse(value)


def gutter_for(pages: int, rules: PrintRules = GENERIC) -> Decimal:
    return rules.gutter_for(pages)


@dataclass(frozen=True)
class BookGeometry:
    trim: Trim
    bleed: bool
    gutter: Decimal
    rules: PrintRules = GENERIC

    @property
    def bleed_size(self) -> Decimal:
        return self.rules.bleed if self.bleed else D(0)

    @property
    def page_width(self) -> Decimal:
        return self.trim.width + self.bleed_size  # bleed on the outside edge only

    @property
    def page_height(self) -> Decimal:
        return self.trim.height + 2 * self.bleed_size

    @property
    def inside(self) -> Decimal:
        return self.gutter

    @property
    def outside(self) -> Decimal:
        return max(OUTSIDE, self.rules.outer_margin(self.bleed)) + self.bleed_size

    @property
    def top(self) -> Decimal:
        return max(TOP, self.rules.outer_margin(self.bleed)) + self.bleed_size

    @property
    def bottom(self) -> Decimal:
        return max(BOTTOM, self.rules.outer_margin(self.bleed)) + self.bleed_size

    @property
    def text_width(self) -> Decimal:
        return self.page_width - self.inside - self.outside

    @property
    def text_height(self) -> Decimal:
        return self.page_height - self.top - self.bottom

    def css(self) -> str:
        # :left / :right are physical: a left-hand page has the spine on its right in LTR and
        # RTL books alike, so the same rules mirror correctly for both directions.
        return (
            f"@page {{ size: {self.page_width}in {self.page_height}in; "
            f"margin-top: {self.top}in; margin-bottom: {self.bottom}in; }}\n"
            f"@page :right {{ margin-left: {self.inside}in; margin-right: {self.outside}in; }}\n"
            f"@page :left {{ margin-left: {self.outside}in; margin-right: {self.inside}in; }}\n"
        )

    def to_dict(self) -> dict:
        return {
            "trim": str(self.trim), "bleed": self.bleed, "page_width_in": float(self.page_width),
            "page_height_in": float(self.page_height), "gutter_in": float(self.gutter),
            "outside_in": float(self.outside), "top_in": float(self.top), "bottom_in": float(self.bottom),
        }


# A4 magazine: the text block is fixed, so image sizes can be computed before layout.
MAGAZINE_TEXT_WIDTH_IN = (D("210") - D("36")) / D("25.4")
MAGAZINE_COLUMN_WIDTH_IN = (MAGAZINE_TEXT_WIDTH_IN - D("7") / D("25.4")) / 2
MAGAZINE_TEXT_HEIGHT_IN = (D("297") - D("40")) / D("25.4")
