"""KDP's interior rules handed to the generic PDF writer (`editions` knows nothing of KDP):
the gutter by page count, minimum outer margins, bleed and the page range, all from facts.py."""
from __future__ import annotations

from communique.editions.pdf.geometry import PrintRules

from . import facts


def print_rules(paper: str = "white", trim=None) -> PrintRules:
    from .geometry import Trim

    minimum, maximum, by_trim = facts.PAGE_LIMITS.get(paper, facts.PAGE_LIMITS["white"]).value
    if trim is not None:
        t = Trim.parse(trim)
        maximum = by_trim.get((t.width, t.height), maximum) or maximum
    return PrintRules(
        name="KDP's paperback",
        gutter_table=tuple(facts.GUTTER_TABLE.value),
        min_margin=facts.OUTER_MARGIN_NO_BLEED.value,
        min_margin_bleed=facts.OUTER_MARGIN_BLEED.value,
        bleed=facts.BLEED.value,
        page_range=(minimum, maximum),
    )
