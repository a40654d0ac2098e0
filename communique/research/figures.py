"""Figures: money, quantities with units and scale words, percentages, with their sentence.

quantulum3 reads "2 billion USD", "12.4 billion cubic feet" and "800 km"; it does not know the
British "per cent", which is rewritten to "percent " (same length, so offsets still point into the
original text) before it reads the passage. Bare counts ("11 languages", "300 million readers")
and years are not figures for the desk; durations are kept with their own kind."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

PER_CENT = re.compile(r"\bper\s?cent\b", re.I)


@dataclass
class Figure:
    value: float
    unit: str  # quantulum3's unit name: "United States dollar", "cubic foot", "kilometre", "percentage"
    kind: str  # money, percent or quantity
    text: str
    start: int
    end: int
    symbol: str = ""  # USD, km, %, ft³ …
    entity: str = ""  # quantulum3's dimension: currency, length, volume, dimensionless …
    sentence: str = ""
    passage: int = 0  # set by the extractor: which passage of the document

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("start")
        data.pop("end")
        if float(self.value).is_integer():
            data["value"] = int(self.value)
        return data


@lru_cache(maxsize=1)
def _parser():
    import warnings

    with warnings.catch_warnings():
        # it suggests an optional scikit-learn classifier; the rule-based parser is what we use
        warnings.simplefilter("ignore")
        from quantulum3 import parser

    return parser


def _kind(entity: str, unit_name: str) -> str | None:
    if entity == "currency":
        return "money"
    if unit_name in ("percentage", "percent"):
        return "percent"
    if entity == "time":
        return None  # "two-day visit", "20 years": the dates carry time; as figures they are noise
    if entity in ("dimensionless", "unknown") or not entity:
        return None
    return "quantity"


def find_figures(text: str) -> list[Figure]:
    prepared = PER_CENT.sub(lambda m: "percent".ljust(len(m.group(0))), text)
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantities = _parser().parse(prepared)
    except Exception:  # quantulum3 fails on a few odd strings; a passage without figures is better than none
        return []
    out: list[Figure] = []
    for q in quantities:
        unit = q.unit
        entity = getattr(unit.entity, "name", "") if unit is not None else ""
        kind = _kind(entity, unit.name if unit is not None else "")
        if kind is None:
            continue
        start, end = q.span
        tail = PER_CENT.match(text, end - len("percent"), end + 3) if kind == "percent" else None
        if tail:
            end = tail.end()
        surface = text[start:end]
        out.append(Figure(
            value=float(q.value), unit=unit.name, kind=kind, text=surface, start=start, end=end,
            symbol=(unit.symbols[0] if getattr(unit, "symbols", None) else "") or "", entity=entity,
        ))
    return out
