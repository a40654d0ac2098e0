"""Numbers in running text, read as values in a language's own digits, separators and scale words,
so "12.4 billion", "12,4 mil millones", "۱۲٫۴ میلیارد" and "124亿" all read as 12 400 000 000."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .languages import LANGUAGES, TranslationLanguage, language

_ALL_DIGITS = {}
for _lang in LANGUAGES.values():
    for _i, _d in enumerate(_lang.digits):
        _ALL_DIGITS[_d] = str(_i)
_DIGIT_CLASS = "".join(sorted(set(_ALL_DIGITS)))
_SEPS = ".,٫٬\u00a0\u202f' "
_ANY_DIGIT = re.compile(f"[{_DIGIT_CLASS}]")  # every number the patterns read starts with a digit


@lru_cache(maxsize=None)
def _pattern(code: str) -> re.Pattern:
    lang = LANGUAGES[code]
    scales = sorted(lang.scales, key=len, reverse=True)
    scale_alt = "|".join(re.escape(s) for s in scales)
    num = rf"[{_DIGIT_CLASS}](?:[{_DIGIT_CLASS}]|[{re.escape(_SEPS)}](?=[{_DIGIT_CLASS}]))*"
    # CJK scale characters follow the digits directly; other scripts' words follow a space.
    gap = r"\s*" if lang.script in ("Hans", "Hant", "Jpan") else r"[\s\u00a0]+"
    if not scale_alt:
        return re.compile(rf"(?<![\w{_DIGIT_CLASS}])({num})")
    return re.compile(rf"(?<![\w{_DIGIT_CLASS}])({num})(?:{gap}({scale_alt})(?![^\W\d_]))?", re.IGNORECASE)


def _value(raw: str, lang: TranslationLanguage) -> float | None:
    digits = "".join(_ALL_DIGITS.get(ch, ch) for ch in raw)
    digits = re.sub(r"[\u00a0\u202f' ]", "", digits)
    seps = [ch for ch in digits if not ch.isdigit()]
    if not seps:
        return float(digits)
    digits = digits.replace("٫", "." if lang.decimal == "٫" else "٫").replace("٬", ",")
    if lang.decimal == "٫":
        digits = digits.replace("٫", ".")
    seps = [ch for ch in digits if not ch.isdigit()]
    kinds = set(seps)
    if len(kinds) == 2:  # "1.234,5" or "1,234.5": the last separator is the decimal one
        dec = seps[-1]
        grp = ({".", ","} - {dec}).pop()
        return float(digits.replace(grp, "").replace(dec, "."))
    sep = seps[0]
    if len(seps) > 1:
        return float(digits.replace(sep, ""))
    head, tail = digits.split(sep)
    if len(tail) == 3 and (sep != lang.decimal):
        return float(head + tail)  # "12,400" in English, "12.400" in Spanish
    return float(f"{head}.{tail}")


def numbers(text: str, code: str) -> list[float]:
    """The values of the numbers in `text`, scale words applied."""
    lang = language(code)
    out = []
    for mt in _pattern(lang.code).finditer(text):
        value = _value(mt.group(1), lang)
        if value is None:
            continue
        scale = mt.group(2) if mt.lastindex and mt.lastindex >= 2 else None
        if scale:
            factor = next((v for k, v in lang.scales.items() if k.lower() == scale.lower()), 1)
            value *= factor
        out.append(value)
    return out


def _key(v: float) -> float:
    return float(f"{v:.6g}")


def compare(source: str, source_lang: str, target: str, target_lang: str) -> tuple[list[float], list[float]]:
    """(values missing from the target, values only in the target)."""
    if not _ANY_DIGIT.search(source) and not _ANY_DIGIT.search(target):
        return [], []  # most segments: no digit in either, so nothing to read (QA's hottest check)
    a = Counter(_key(v) for v in numbers(source, source_lang))
    b = Counter(_key(v) for v in numbers(target, target_lang))
    return sorted((a - b).elements()), sorted((b - a).elements())
