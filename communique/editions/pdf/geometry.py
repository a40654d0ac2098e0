"""Page geometry for the print PDF: trim, bleed and mirrored margins as an @page stylesheet.

KDP's figures (standard trims, bleed, the gutter-by-page-count table, minimum outer margins)
come from communique.kdp (facts.py cites the sources, sheet §4); this module only chooses
design margins on top of those minimums and writes them as CSS.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from communique.kdp import facts
from communique.kdp.geometry import Trim, required_gutter, required_outer_margin

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


def parse_trim(value: str | Trim | None) -> Trim:
    if value is None or value == "":
        return Trim(D(6), D(9))
    if isinstance(value, str) and value.strip().lower() in NAMED_TRIMS:
        return Trim(*NAMED_TRIMS[value.strip().lower()])
    return Trim.parse(value)


def gutter_for(pages: int) -> Decimal:
    """KDP's minimum inside margin; below the table's 24 pages the first band applies, above
    828 the last (the page-count check reports those books separately)."""
    g = required_gutter(pages)
    if g is not None:
        return g
    table = facts.GUTTER_TABLE.value
    return table[0][2] if pages < table[0][0] else table[-1][2]


@dataclass(frozen=True)
class BookGeometry:
    trim: Trim
    bleed: bool
    gutter: Decimal

    @property
    def bleed_size(self) -> Decimal:
        return facts.BLEED.value if self.bleed else D(0)

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
        return max(OUTSIDE, required_outer_margin(self.bleed)) + self.bleed_size

    @property
    def top(self) -> Decimal:
        return max(TOP, required_outer_margin(self.bleed)) + self.bleed_size

    @property
    def bottom(self) -> Decimal:
        return max(BOTTOM, required_outer_margin(self.bleed)) + self.bleed_size

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
