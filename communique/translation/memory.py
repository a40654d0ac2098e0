"""Translation memory: exact and fuzzy matches (with a match percentage) for a language pair.

Segments are stored with their codes renumbered in order of appearance, so a sentence matches across
documents whatever its codes were called there, and a hit is given back with this segment's own ids.

Exact lookups are a dict on the normalised text. Fuzzy lookups must stay fast at millions of entries,
so candidates come from an index of word bigrams (sorted numpy arrays, searched with searchsorted;
bigrams common to more than `max_postings` entries carry no information and are skipped), and only the
best few hundred candidates are scored with rapidfuzz's normalised Levenshtein ratio."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .segments import Content, Tag

_WORDS = re.compile(r"\w+", re.UNICODE)


def normalise(content: Content) -> tuple[str, dict[str, str]]:
    """('The {1}red{/1} car', {old id: new id}): text with codes as numbered marks, whitespace folded."""
    mapping: dict[str, str] = {}
    out = []
    for x in content:
        if isinstance(x, str):
            out.append(x.replace("{", "{{").replace("}", "}}"))
            continue
        new = mapping.setdefault(x.id, str(len(mapping) + 1))
        out.append({"open": f"{{{new}}}", "close": f"{{/{new}}}", "ph": f"{{{new}/}}"}[x.kind])
    return re.sub(r"\s+", " ", "".join(out)).strip(), mapping


def _relabel(content: Content, mapping: dict[str, str]) -> Content:
    return [x if isinstance(x, str) else Tag(x.kind, mapping.get(x.id, x.id)) for x in content]


def _bigrams(text: str) -> list[int]:
    # Python's string hash: fast, and stable within the process that holds the (in-memory) index.
    words = _WORDS.findall(text.casefold())
    if len(words) < 2:
        return [hash(w) & 0xFFFFFFFF for w in words]
    return list({hash((a, b)) & 0xFFFFFFFF for a, b in zip(words, words[1:])})


@dataclass
class Match:
    target: Content
    score: float  # 0–100
    source: str  # the memory's source text, for the translator to compare


class Memory:
    def __init__(self, max_postings: int = 20_000, candidates: int = 200):
        self.sources: list[str] = []
        self.targets: list[Content] = []
        self.exact_index: dict[str, int] = {}
        self.max_postings = max_postings
        self.candidates = candidates
        self._keys = np.zeros(0, np.uint32)
        self._ids = np.zeros(0, np.int32)
        self._pending: list[int] = []  # added since the last index build, scanned directly

    def __len__(self):
        return len(self.sources)

    def add(self, source: Content, target: Content) -> None:
        text, mapping = normalise(source)
        if not text:
            return
        stored = _relabel(target, mapping)
        if text in self.exact_index:
            self.targets[self.exact_index[text]] = stored  # the newest translation wins
            return
        self.exact_index[text] = len(self.sources)
        self.sources.append(text)
        self.targets.append(stored)
        self._pending.append(len(self.sources) - 1)
        if len(self._pending) > 5_000:
            self.build_index()

    def add_texts(self, pairs) -> None:
        """Bulk load of (source text, target text) without codes, then one index build."""
        for s, t in pairs:
            key = " ".join(s.replace("{", "{{").replace("}", "}}").split())
            if key and key not in self.exact_index:
                self.exact_index[key] = len(self.sources)
                self.sources.append(key)
                self.targets.append([t])
        self.build_index()

    def build_index(self) -> None:
        keys, ids = [], []
        for i, text in enumerate(self.sources):
            grams = _bigrams(text)
            keys.extend(grams)
            ids.extend([i] * len(grams))
        k = np.asarray(keys, dtype=np.uint32)
        order = np.argsort(k, kind="stable")
        self._keys, self._ids = k[order], np.asarray(ids, dtype=np.int32)[order]
        self._pending = []

    def exact(self, source: Content, *_langs) -> Content | None:
        text, mapping = normalise(source)
        i = self.exact_index.get(text)
        if i is None:
            return None
        back = {new: old for old, new in mapping.items()}
        return _relabel(self.targets[i], back)

    def fuzzy(self, source: Content, threshold: float = 70, limit: int = 3) -> list[Match]:
        from rapidfuzz import fuzz, process

        text, mapping = normalise(source)
        if not text:
            return []
        grams = np.asarray(_bigrams(text), dtype=np.uint32)
        found = []
        if len(self._keys) and len(grams):
            lo = np.searchsorted(self._keys, grams, "left")
            hi = np.searchsorted(self._keys, grams, "right")
            for a, b in zip(lo, hi):
                if 0 < b - a <= self.max_postings:
                    found.append(self._ids[a:b])
        ids = np.zeros(0, np.int32)
        if found:
            ids, counts = np.unique(np.concatenate(found), return_counts=True)
            if len(ids) > self.candidates:
                ids = ids[np.argpartition(-counts, self.candidates)[: self.candidates]]
        pool = list(dict.fromkeys([int(i) for i in ids] + self._pending))
        choices = {i: self.sources[i] for i in pool if 0.5 <= len(self.sources[i]) / max(len(text), 1) <= 2}
        back = {new: old for old, new in mapping.items()}
        hits = process.extract(text, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=limit)
        return [Match(_relabel(self.targets[i], back), round(score, 1), self.sources[i]) for _, score, i in hits]
