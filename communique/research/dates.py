"""Dates in running text, with their precision, resolved against the publication date.

A regular grammar finds the candidates, because `dateparser.search.search_dates` drops items of
lists ("22 March, 25 April, 11 July and 25th October 2019" gives one date, not four) and reads
every "may" as a month. Items of a list share the year written after the last one. Each matched
phrase is then checked and resolved by `dateparser` (invalid days such as "31 February" are
dropped); relative phrases ("last year in November", "July this year", "two weeks ago") are
resolved with the publication date as RELATIVE_BASE and always marked `relative` for an editor,
as are dates whose year had to be taken from the publication date."""
from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December" \
         r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|(?![a-z]))"
_DAY = r"(?:[0-2]?[0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# One item: a day and month (either order) with an optional year, a month with a year, a bare
# year after a preposition, or a bare month after a preposition.
ITEM = re.compile(
    rf"(?P<dmy>\b(?P<d1>{_DAY})(?:\s+of)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?\b)"
    rf"|(?P<mdy>\b(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})\b(?!\s*(?:per|%|million|billion|km|years?))(?:,?\s+(?P<y2>{_YEAR}))?\b)"
    rf"|(?P<my>\b(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})\b)"
    rf"|(?P<rel>\b(?:(?P<relw>last|next|this|previous|the\s+previous|the\s+following)\s+year"
    rf"(?:\s+(?:in|on)\s+(?P<m4>{_MONTH}))?)\b)"
    rf"|(?P<mrel>\b(?P<m5>{_MONTH})\s+(?P<relw2>last|next|this)\s+year\b)"
    rf"|(?P<ago>\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    rf"(?P<unit>days?|weeks?|months?|years?)\s+ago\b)"
    rf"|(?P<yesterday>\b(?:yesterday|today|last\s+week|last\s+month)\b)"
    rf"|(?P<range>\b(?:from|between)\s+(?P<ry1>{_YEAR})\s+(?:to|and|until)\s+(?P<ry2>{_YEAR})\b"
    rf"|\b(?P<ry3>{_YEAR})\s*[–—-]\s*(?P<ry4>{_YEAR}|\d\d)\b)"
    rf"|(?P<y>(?<![\d.,/-])(?P<y4>{_YEAR})(?![\d%.,]\d|\s*(?:per|%|km|million|billion)))"
    rf"|(?P<m>\b(?:in|since|until|till|by|from|during|of|early|late|mid|mid-)\s+(?P<m6>{_MONTH})(?!\s+\d|\s+(?:last|next|this)\s+year))",
    re.I,
)
# What may stand between two items of one list.
LIST_GAP = re.compile(r"^\s*(?:,|;|&|and|or|,\s*and|,\s*or)\s*(?:then\s+|later\s+|again\s+)?(?:(?:in|on)\s+)?$", re.I)
# A bare month or year is only a date after one of these words (or inside a list).
YEAR_CONTEXT = re.compile(r"(?:\b(?:in|since|of|by|from|until|till|during|before|after|year|early|late|mid)\s+"
                          r"|\bmid-|\(|\b(?:and|or|to)\s+)$", re.I)


@dataclass
class FoundDate:
    date: str | None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None when the year cannot be known
    precision: str  # day, month, year or range
    text: str
    start: int
    end: int
    relative: bool = False  # resolved against the publication date: an editor should check it
    end_date: str | None = None  # for ranges
    sentence: str = ""
    passage: int = 0  # set by the extractor: which passage of the document

    def as_json(self) -> dict:
        data = asdict(self)
        data.pop("start")
        data.pop("end")
        if data["end_date"] is None:
            data.pop("end_date")
        return data


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _valid(y, m, d) -> bool:
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


def _iso(y, m=None, d=None) -> str:
    if d:
        return f"{y:04d}-{m:02d}-{d:02d}"
    if m:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def _relative_ago(n: int, unit: str, base: date) -> tuple[str, str]:
    import dateparser

    parsed = dateparser.parse(f"{n} {unit} ago", settings={"RELATIVE_BASE": _as_datetime(base)})
    value = parsed.date() if parsed else base
    if unit.startswith("year"):
        return _iso(value.year), "year"
    if unit.startswith("month"):
        return _iso(value.year, value.month), "month"
    return _iso(value.year, value.month, value.day), "day"


def _as_datetime(d: date):
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def find_dates(text: str, published: date | None = None) -> list[FoundDate]:
    """Every date in one passage, in order."""
    items: list[tuple[re.Match, dict]] = []
    for m in ITEM.finditer(text):
        g = m.groupdict()
        kind = next(k for k in ("dmy", "mdy", "my", "rel", "mrel", "ago", "yesterday", "range", "y", "m") if g[k])
        if kind == "mdy" and g["m2"].lower() == "may" and not g["y2"] and not re.search(r"\b(?:on|by|of|until|since|from)\s+$", text[:m.start()], re.I):
            # "May 1" after no date preposition is most often a date, but "may 12" in lower case is not one
            if not g["m2"][0].isupper():
                continue
        if kind in ("dmy", "mdy", "my") and not (g["m1"] or g["m2"] or g["m3"])[0].isupper():
            continue  # "march 2019" in lower case is rare; "the 3 march" even rarer
        if kind == "y" and not YEAR_CONTEXT.search(text[:m.start()]):
            continue
        if kind == "m" and not g["m6"][0].isupper():
            continue
        items.append((m, {"kind": kind, **g}))

    # Items of a list take the year written after the last of them.
    for i in range(len(items) - 2, -1, -1):
        m, g = items[i]
        nxt_m, nxt = items[i + 1]
        if g["kind"] in ("dmy", "mdy", "m") and not (g["y1"] or g["y2"]) and LIST_GAP.match(text[m.end():nxt_m.start()]):
            year = nxt.get("y1") or nxt.get("y2") or nxt.get("y3") or nxt.get("inherited_year")
            if year:
                g["inherited_year"] = year

    out: list[FoundDate] = []
    for m, g in items:
        found = _resolve(m, g, published)
        if found is not None:
            out.append(found)
    return out


def _resolve(m: re.Match, g: dict, published: date | None) -> FoundDate | None:
    text = m.group(0)
    start, end = m.start(), m.end()
    kind = g["kind"]
    inherited = g.get("inherited_year")
    if kind in ("dmy", "mdy"):
        day = _day(g["d1"] or g["d2"])
        month = _month(g["m1"] or g["m2"])
        year = g["y1"] or g["y2"] or inherited
        relative = False
        if year is None:
            if published is None:
                return FoundDate(None, "day", text, start, end, relative=True)
            year, relative = published.year, True
        year = int(year)
        if not _valid(year, month, day):
            return None
        return FoundDate(_iso(year, month, day), "day", text, start, end, relative=relative)
    if kind == "my":
        return FoundDate(_iso(int(g["y3"]), _month(g["m3"])), "month", text, start, end)
    if kind == "m":
        month = _month(g["m6"])
        text = g["m6"]
        start = m.start("m6")
        if inherited:
            return FoundDate(_iso(int(inherited), month), "month", text, start, end)
        if published is None:
            return FoundDate(None, "month", text, start, end, relative=True)
        return FoundDate(_iso(published.year, month), "month", text, start, end, relative=True)
    if kind in ("rel", "mrel"):
        word = (g["relw"] or g["relw2"]).lower().split()[-1]
        month_name = g["m4"] or g["m5"]
        if published is None:
            return FoundDate(None, "month" if month_name else "year", text, start, end, relative=True)
        offset = {"last": -1, "previous": -1, "next": 1, "following": 1, "this": 0}[word]
        year = published.year + offset
        if month_name:
            return FoundDate(_iso(year, _month(month_name)), "month", text, start, end, relative=True)
        return FoundDate(_iso(year), "year", text, start, end, relative=True)
    if kind == "ago":
        n = g["n"].lower()
        count = int(n) if n.isdigit() else _NUMWORDS[n]
        if published is None:
            return FoundDate(None, "year" if g["unit"].startswith("year") else "day", text, start, end, relative=True)
        value, precision = _relative_ago(count, g["unit"].lower(), published)
        return FoundDate(value, precision, text, start, end, relative=True)
    if kind == "yesterday":
        if published is None:
            return FoundDate(None, "day", text, start, end, relative=True)
        import dateparser

        parsed = dateparser.parse(text, settings={"RELATIVE_BASE": _as_datetime(published)}).date()
        word = text.lower()
        if "month" in word:
            return FoundDate(_iso(parsed.year, parsed.month), "month", text, start, end, relative=True)
        if "week" in word:
            return FoundDate(_iso(parsed.year, parsed.month, parsed.day), "day", text, start, end, relative=True)
        return FoundDate(_iso(parsed.year, parsed.month, parsed.day), "day", text, start, end, relative=True)
    if kind == "range":
        y1 = g["ry1"] or g["ry3"]
        y2 = g["ry2"] or g["ry4"]
        if len(y2) == 2:
            y2 = y1[:2] + y2
        if int(y2) <= int(y1):
            return None
        return FoundDate(y1, "range", text, start, end, end_date=y2)
    if kind == "y":
        return FoundDate(g["y4"], "year", text, start, end)
    return None
