"""Checks on every translated segment, and a summary per document.

Each check is a function (segment, unit, context) → issues; CHECKS lists them, so a new check is one
function and one entry. An "error" keeps a segment from being approved or published; a "warning" is
shown to the translator."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from . import numbers as num
from .languages import language
from .segments import Segment, Tag, Unit, tag_sequence, text_of


@dataclass
class Issue:
    check: str
    severity: str  # "error" or "warning"
    message: str
    unit: str = ""
    segment: str = ""

    def __str__(self):
        return f"{self.segment or self.unit}: {self.severity}: {self.check}: {self.message}"


@dataclass
class Context:
    source: str
    target: str
    glossary: object | None = None  # glossary.Glossary

    @cached_property
    def lang(self):
        """The target's registry entry, looked up once per document rather than per segment and check."""
        return language(self.target)


def check_codes(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    src, tgt = tag_sequence(seg.source), tag_sequence(seg.target or [])
    if src == tgt:
        return []
    cs, ct = Counter(src), Counter(tgt)
    out = []
    missing, extra = cs - ct, ct - cs

    def name(t: Tag):
        code = unit.codes.get(t.id)
        return f"{t.kind} {t.id} ({code.type if code else 'unknown'})"
    if missing:
        out.append(Issue("codes", "error", "inline codes missing: " + ", ".join(name(t) for t in missing.elements())))
    if extra:
        out.append(Issue("codes", "error", "inline codes added or repeated: " + ", ".join(name(t) for t in extra.elements())))
    if not missing and not extra:
        out.append(Issue("codes", "warning", "inline codes in a different order: " + " ".join(f"{t.kind}:{t.id}" for t in tgt)))
    depth: list[str] = []
    for t in tgt:
        if t.kind == "open":
            depth.append(t.id)
        elif t.kind == "close":
            if not depth or depth[-1] != t.id:
                out.append(Issue("codes", "error", f"paired code {t.id} closes out of order"))
                break
            depth.pop()
    return out


def check_numbers(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    missing, extra = num.compare(seg.source_text, ctx.source, seg.target_text, ctx.target)
    out = []
    fmt = lambda vs: ", ".join(f"{v:,.0f}" if v == int(v) else f"{v:,}" for v in vs)  # noqa: E731
    if missing:
        out.append(Issue("numbers", "error", f"number(s) {fmt(missing)} of the source not found in the translation"))
    if extra:
        out.append(Issue("numbers", "warning", f"number(s) {fmt(extra)} in the translation are not in the source"))
    return out


_WORD = re.compile(r"[^\W\d_]{2,}")


def check_untranslated(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    src, tgt = seg.source_text.strip(), seg.target_text.strip()
    words = _WORD.findall(src)
    if not tgt and src:
        return [Issue("untranslated", "error", "empty translation")]
    if len(words) >= 2 and src.casefold() == tgt.casefold():
        return [Issue("untranslated", "error", "the translation is the source text")]
    target_script = ctx.lang.script
    if target_script != "Latn" and words:
        latin = [w for w in _WORD.findall(tgt) if w.isascii()]
        if len(latin) > max(2, len(_WORD.findall(tgt)) // 2):
            return [Issue("untranslated", "warning", f"mostly Latin-script words in a {target_script} translation")]
    return []


def check_spaces(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    tgt = seg.target_text
    if "  " in tgt and "  " not in seg.source_text:
        return [Issue("spaces", "warning", "doubled space")]
    if tgt != tgt.strip():
        return [Issue("spaces", "warning", "space at the start or end")]
    if ctx.lang.code != "fr":  # French sets a thin space before ; : ! ?
        before = re.findall(r"\S(\s+[.,;:!?])", tgt)
        if len(before) > len(re.findall(r"\S(\s+[.,;:!?])", seg.source_text)):
            return [Issue("spaces", "warning", f"space before punctuation ({before[0].strip()!r})")]
    return []


# Punctuation that does not belong in a script's running text, and what to use instead.
_PUNCT = {
    "Arab": {",": "،", "?": "؟", ";": "؛"},
    "Hans": {",": "，", "?": "？", "!": "！", ":": "：", ";": "；"},
    "Deva": {},
}


def check_punctuation(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    lang = ctx.lang
    tgt = seg.target_text.rstrip()
    out = []
    wrong = _PUNCT.get(lang.script, {})
    for bad, good in wrong.items():
        if lang.script == "Hans":
            hit = re.search(rf"[\u4e00-\u9fff]{re.escape(bad)}", tgt)
        else:
            hit = re.search(rf"[^\x00-\x7f]\s*{re.escape(bad)}", tgt)
        if hit:
            out.append(Issue("punctuation", "warning", f"{bad!r} in {lang.name} text: use {good!r}"))
    src_end = seg.source_text.rstrip()[-1:]
    if src_end in ".!?" and tgt:
        if tgt[-1] not in lang.sentence_end + "。！？.!?…”\"’)»":
            out.append(Issue("punctuation", "warning", f"the source ends with {src_end!r}, the translation does not"))
        elif lang.code == "ur" and tgt.endswith("."):
            out.append(Issue("punctuation", "warning", "Urdu sentences end with '۔', not '.'"))
        elif lang.code == "hi" and tgt.endswith("."):
            out.append(Issue("punctuation", "warning", "Hindi sentences end with '।', not '.'"))
    if lang.code == "es" and tgt.endswith("?") and "¿" not in tgt:
        out.append(Issue("punctuation", "warning", "Spanish questions open with '¿'"))
    return out


def check_length(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    src, tgt = len(seg.source_text.strip()), len(seg.target_text.strip())
    if src < 20 or not tgt:
        return []
    low = 0.15 if ctx.lang.script in ("Hans", "Hant") else 0.4
    ratio = tgt / src
    if ratio < low or ratio > 3.0:
        return [Issue("length", "warning", f"the translation is {ratio:.0%} of the source's length")]
    return []


def check_glossary(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    if ctx.glossary is None:
        return []
    return [Issue("glossary", "error", msg) for msg in ctx.glossary.check(seg.source_text, seg.target_text)]


CHECKS = [check_codes, check_numbers, check_untranslated, check_spaces, check_punctuation, check_length, check_glossary]


class _Texts:
    """A segment with its source and target text joined once: every check reads both, and
    joining them per check was most of QA's time on a long book."""

    def __init__(self, seg: Segment):
        self._seg = seg
        self.source_text, self.target_text = seg.source_text, seg.target_text

    def __getattr__(self, name):
        return getattr(self._seg, name)


def check_segment(seg: Segment, unit: Unit, ctx: Context) -> list[Issue]:
    if seg.target is None:
        return []
    issues = []
    view = _Texts(seg)
    for check in CHECKS:
        for issue in check(view, unit, ctx):
            issue.unit, issue.segment = unit.id, seg.id
            issues.append(issue)
    return issues


@dataclass
class Report:
    source: str
    target: str
    issues: list[Issue] = field(default_factory=list)
    segments: int = 0
    translated: int = 0
    states: Counter = field(default_factory=Counter)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def by_check(self) -> dict[str, int]:
        return dict(Counter(i.check for i in self.issues))

    def as_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "segments": self.segments,
                "translated": self.translated, "states": dict(self.states), "by_check": self.by_check(),
                "errors": len(self.errors), "warnings": len(self.issues) - len(self.errors),
                "issues": [vars(i) for i in self.issues]}


def check_units(units: list[Unit], source: str, target: str, glossary=None) -> Report:
    ctx = Context(source, target, glossary)
    report = Report(source, target)
    for u in units:
        for s in u.segments:
            report.segments += 1
            report.states[s.state] += 1
            if s.target is not None:
                report.translated += 1
                found = check_segment(s, u, ctx)
                report.issues.extend(found)
    return report


def flag_text(issue: Issue) -> str:
    return f"{issue.check}: {issue.message}"


__all__ = ["Issue", "Report", "check_units", "check_segment", "CHECKS", "text_of"]
