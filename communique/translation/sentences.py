"""Sentence boundaries inside a unit's text, rule-based and language-aware enough for segmenting.

A boundary is sentence-final punctuation (Latin, Arabic, Devanagari and CJK), optional closing quotes
or brackets, then whitespace and a likely sentence start. Known abbreviations and initials do not end
sentences. CJK full stops end a sentence without a following space."""
from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt no nos vol vols p pp ed eds fig figs e.g i.e etc vs cf al approx "
    "gen col lt capt sgt gov sen rep jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp "
    "u.s u.k u.n dept est govt univ".split()
)
_END = re.compile(r"([.!?…]+|[؟۔।॥])([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[\w\d])|([。！？])([”’」』]*)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans covering `text`; each span keeps its trailing whitespace."""
    spans, start = [], 0
    for m in _END.finditer(text):
        if m.group(4):
            end = m.end()
        else:
            punct = m.group(1)
            if punct == ".":
                word = re.search(r"([\w.]+)$", text[start:m.start()])
                if word:
                    w = word.group(1).lower()
                    if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or w.rstrip(".") in ABBREVIATIONS:
                        continue
                    if w.replace(".", "").isdigit() and not text[m.end():m.end() + 1].isupper():
                        continue
            end = m.end()
        if end > start and text[start:end].strip():
            spans.append((start, end))
            start = end
    if start < len(text):
        if spans and not text[start:].strip():
            spans[-1] = (spans[-1][0], len(text))
        else:
            spans.append((start, len(text)))
    return spans
