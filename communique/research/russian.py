"""People, organisations and places in Russian text, with natasha (PyPI `natasha` 1.6.0, MIT).

natasha carries its models inside the package (navec news embeddings and the slovnet NER and
morphology models, about 34 MB in the wheel), so nothing is downloaded. Its NER gives PER, ORG and
LOC spans; each is normalised to the nominative ("Шахом Махмудом Куреши" → "Шах Махмуд Куреши"),
which is what the authority list is matched against, since Russian inflects names.

What it gets wrong, and what the authority list does about it (checked in test_russian.py):
a project in quotation marks («Пакистанский поток») is not an entity at all, an acronym
(ШОС) is missed, and normalising a multi-word organisation puts every word in the nominative
("Шанхайская организация сотрудничество"). The authority list's names are matched as written
(a Russian alias per record) before natasha's spans, and a natasha span whose normal form is a
known name or alias becomes that record."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

KIND = {"PER": "person", "ORG": "organisation", "LOC": "place"}
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_lock = threading.Lock()


@dataclass
class Found:
    kind: str
    text: str  # as written
    name: str  # the name to file it under (the record's name, or natasha's normal form)
    start: int
    end: int
    sentence: str
    known: bool = False


def is_russian(language: str, texts) -> bool:
    if (language or "").split("-")[0].lower() == "ru":
        return True
    sample = " ".join(texts)[:5000]
    letters = [c for c in sample if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if CYRILLIC.match(c)) > 0.6 * len(letters)


@lru_cache(maxsize=1)
def _models():
    try:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter
    except ImportError as exc:
        raise RuntimeError(f"research: Russian text needs the 'natasha' package (pyproject.toml): {exc}") from None
    embedding = NewsEmbedding()
    return Segmenter(), NewsMorphTagger(embedding), NewsNERTagger(embedding), MorphVocab()


def _ruler(names):
    """The authority names as written, longest first: what natasha misses or mis-normalises."""
    table = {}
    for n in names:
        if n.rejected:
            continue
        for text in n.all_names():
            if CYRILLIC.search(text):
                table.setdefault(text, n)
    if not table:
        return None, table
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in sorted(table, key=len, reverse=True)) + r")(?!\w)")
    return pattern, table


def _analyse(text: str):
    from natasha import Doc

    segmenter, morph_tagger, ner_tagger, morph_vocab = _models()
    with _lock:  # the taggers are not documented as thread-safe; a job worker runs threads
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph_tagger)
        doc.tag_ner(ner_tagger)
        for span in doc.spans:
            span.normalize(morph_vocab)
    return doc


@lru_cache(maxsize=4096)
def normal_form(name: str) -> str:
    """A name as natasha normalises it when it finds it in text, so an alias and an inflected
    mention meet even where the normal form is wrong ("… сотрудничество")."""
    doc = _analyse(name)
    whole = [s for s in doc.spans if s.start == 0 and s.stop == len(name)]
    return (whole[0].normal if whole and whole[0].normal else name).lower()


def find(text: str, names=()) -> list[Found]:
    doc = _analyse(text)
    sentences = [(s.start, s.stop, s.text) for s in doc.sents]

    def sentence(pos):
        return next((t for a, b, t in sentences if a <= pos < b), "")

    known_lower = {}
    for n in names:
        if not n.rejected:
            for t in n.all_names():
                known_lower.setdefault(t.lower(), n)
                if CYRILLIC.search(t):
                    known_lower.setdefault(normal_form(t), n)
    out: list[Found] = []
    pattern, table = _ruler(names)
    taken: list[tuple[int, int]] = []
    owner: dict[int, object] = {}  # natasha span (by position) → the record a name inside it is
    spans = [s for s in doc.spans if s.type in KIND]
    if pattern is not None:
        for m in pattern.finditer(text):
            n = table[m.group(1)]
            around = next((i for i, sp in enumerate(spans) if sp.start <= m.start() and m.end() <= sp.stop
                           and sp.stop - sp.start > m.end() - m.start()), None)
            if around is not None:  # "Куреши" inside "Шахом Махмудом Куреши": the whole name counts
                owner.setdefault(around, n)
                continue
            out.append(Found(n.kind, m.group(1), n.name, m.start(), m.end(), sentence(m.start()), True))
            taken.append((m.start(), m.end()))
    for i, span in enumerate(spans):
        if i in owner:
            n = owner[i]
            out.append(Found(n.kind, span.text, n.name, span.start, span.stop, sentence(span.start), True))
            continue
        if any(a < span.stop and span.start < b for a, b in taken):
            continue  # the authority list wins over an overlapping span
        kind = KIND[span.type]
        normal = span.normal or span.text
        record = known_lower.get(normal.lower()) or known_lower.get(span.text.lower())
        if record is not None:
            out.append(Found(record.kind, span.text, record.name, span.start, span.stop, sentence(span.start), True))
        else:
            out.append(Found(kind, span.text, normal, span.start, span.stop, sentence(span.start)))
    out.sort(key=lambda f: f.start)
    return out
