"""The extraction engine: a Document in, people, organisations, places, events, dates and figures
out, each with where it was found. No Django: the CLI, the background job and the benchmark all
call `extract_document`.

spaCy's small English model finds the entity spans; an EntityRuler in front of it holds the
desk's authority list and the cities and provinces of the countries the article is about (the
small model types "Nawabshah" as a person and "Nankana Sahib" as an organisation); adjacent
person spans are joined ("Shah Mahmood" + "Qureshi") and titles are taken off names."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from . import authority as authority_mod
from . import places as places_mod
from .dates import FoundDate, find_dates
from .figures import Figure, find_figures
from .sources import Passage, passages

LABEL_KIND = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
              "EVENT": "event", "LAW": "event"}
KIND_KEY = {"person": "people", "organisation": "organisations", "place": "places", "event": "events"}
# Words in front of a name that belong to a title, not to the name.
TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "general", "gen", "lieutenant",
    "colonel", "major", "admiral", "president", "prime", "minister", "foreign", "chief", "ambassador",
    "envoy", "secretary", "senator", "governor", "king", "queen", "prince", "princess", "sheikh",
    "mister", "madam", "justice", "judge", "chairman", "chairperson", "deputy", "special", "presidential",
    "state", "army", "staff", "of", "the", "former", "late", "h.e.", "he", "excellency", "his", "her",
    "russian", "pakistani", "afghan", "indian", "chinese", "american", "us", "minister's", "counterpart",
}
TITLE_HEADS = re.compile(r"\b(Minister|President|Prime Minister|General|Envoy|Ambassador|Secretary|Chief|Governor"
                         r"|Chairman|Senator|King|Queen|Prince|Director|Commissioner|Speaker)\b")
DIGIT = re.compile(r"\d")
BIG_CITY = 1_000_000  # a city this size is a place even in an article that does not name its country
BYLINE = -2  # Passage.division of the synthetic byline passages
ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Z0-9&.\-]{1,10})\)")


@dataclass
class Mention:
    text: str
    passage: int  # index into Extraction.passages
    start: int  # character offsets in that passage
    end: int
    sentence: str = ""

    def as_json(self) -> dict:
        return {"text": self.text, "passage": self.passage, "start": self.start, "end": self.end,
                "sentence": self.sentence}


@dataclass
class Entity:
    kind: str
    name: str
    key: str = ""  # authority key ("sco", "db:12"), "geonames:1176734", "iso:PAK", or "" for a new suggestion
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    country: str = ""
    geonames_id: str = ""
    iso_code: str = ""
    known: bool = False  # came from the authority list (a confirmed record or the starter list)

    def as_json(self) -> dict:
        data = {"name": self.name, "aliases": sorted(set(self.aliases) - {self.name}), "key": self.key,
                "known": self.known, "mentions": [m.as_json() for m in self.mentions]}
        if self.kind == "person":
            data["titles"] = self.titles
        if self.kind == "place":
            data.update(country=self.country, geonames_id=self.geonames_id, iso_code=self.iso_code)
        return data


@dataclass
class Extraction:
    title: str
    published: str
    language: str
    passages: list[Passage]
    entities: list[Entity]
    dates: list[FoundDate]
    figures: list[Figure]
    words: int = 0

    def by_kind(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    def as_json(self) -> dict:
        out = {"title": self.title, "published": self.published, "language": self.language, "words": self.words}
        for kind, key in KIND_KEY.items():
            out[key] = [e.as_json() for e in self.by_kind(kind)]
        out["dates"] = [d.as_json() for d in self.dates]
        out["figures"] = [f.as_json() for f in self.figures]
        out["attribution"] = places_mod.GEONAMES_ATTRIBUTION
        return out


class _Sentences:
    """The sentences of one spaCy doc, found by character offset with a binary search (Span.sent walks
    the document on every call without a parser)."""

    def __init__(self, doc):
        if doc.has_annotation("SENT_START"):
            self.spans = [(s.start_char, s.end_char, s.text.strip()) for s in doc.sents]
        else:
            self.spans = [(0, len(doc.text), doc.text.strip())]
        self.starts = [s for s, _, _ in self.spans]

    def __call__(self, start: int, end: int = 0) -> str:
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        return self.spans[i][2]


def _strip_title(text: str, start: int) -> tuple[str, int, str]:
    """("Prime Minister Imran Khan", 0) → ("Imran Khan", 15, "Prime Minister")."""
    words = text.split(" ")
    cut = 0
    while cut < len(words) - 1 and words[cut].lower().rstrip(".,") in TITLE_WORDS:
        cut += 1
    title = " ".join(words[:cut])
    rest = " ".join(words[cut:])
    return rest, start + (len(text) - len(rest)), title


def _clean_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return text.strip(" ,.;:“”\"'‘’()")


def _join_people(ents):
    """spaCy's small model cuts some South Asian names in two ("Shah Mahmood" | "Qureshi"): two person
    spans with only a space between them are one name."""
    out = []
    for ent in ents:
        if out and ent.label_ == "PERSON" and out[-1][3] == "PERSON" and ent.start_char - out[-1][1] == 1 \
                and ent.doc.text[out[-1][1]:ent.start_char] == " ":
            s, _, text, label, ent_id = out[-1]
            out[-1] = (s, ent.end_char, ent.doc.text[s:ent.end_char], label, ent_id)
            continue
        out.append((ent.start_char, ent.end_char, ent.text, ent.label_, ent.ent_id_))
    return out


def _title_before(text: str, start: int) -> str:
    """The capitalised title words right before a person's name, e.g. "Foreign Minister of the Russian
    Federation Mr." → "Foreign Minister of the Russian Federation"."""
    before = text[max(0, start - 90):start]
    m = re.search(r"((?:[A-Z][\w’'.-]*|of|the|for)(?:\s+(?:[A-Z][\w’'.-]*|of|the|for))*)\s*$", before)
    if not m:
        return ""
    words = m.group(1).split()
    while words and words[0].lower() in ("of", "the", "for"):
        words.pop(0)
    title = " ".join(w for w in words if w.rstrip(".") not in ("Mr", "Mrs", "Ms", "Dr"))
    return title if TITLE_HEADS.search(title) else ""


def _names_index(names):
    index = {}
    for n in names:
        if n.rejected:
            continue
        for text in n.all_names():
            index.setdefault((n.kind, text.lower()), n)
    return index


def _rejected(names):
    return {(n.kind, t.lower()) for n in names if n.rejected for t in n.all_names()}


def extract_document(document, *, published: date | None = None, names=None, use_starter: bool = True,
                     gazetteer: bool = True, nlp=None) -> Extraction:
    """Extract everything from one Document. `names` are Authority Names (confirmed records first);
    the shipped starter list is added unless `use_starter` is False."""
    from .nlp import pipeline

    names = list(names or [])
    if use_starter:
        names += authority_mod.load()
    if published is None and document.meta.date:
        try:
            published = date.fromisoformat(document.meta.date[:10])
        except ValueError:
            published = None
    items = passages(document)
    # The byline and the author's role line are read too: the author is a person of the article and
    # the role line names an organisation.
    items[:0] = [Passage(BYLINE, "byline", ", ".join(x for x in (c.name, c.role_line) if x))
                 for c in document.meta.contributors if c.name]
    texts = [p.text for p in items]
    context = places_mod.country_context(texts) if gazetteer else {}
    index = _names_index(names)
    rejected = _rejected(names)

    entities: dict[tuple[str, str], Entity] = {}
    dates_out: list[FoundDate] = []
    figures_out: list[Figure] = []

    from . import russian

    if nlp is None and russian.is_russian(document.meta.language, texts):
        # natasha for Russian; the date grammar and quantulum3 read English only, so a Russian
        # text gives entities, not dates or figures.
        for pi, text in enumerate(texts):
            for f in russian.find(text, names):
                if (f.kind, f.name.lower()) in rejected:
                    continue
                _add(entities, f.kind, f.name, "", index, context,
                     Mention(text=f.text, passage=pi, start=f.start, end=f.end, sentence=f.sentence), "")
        texts_iter = ()
    else:
        texts_iter = (nlp or pipeline(names)).pipe(texts)

    for pi, doc in enumerate(texts_iter):
        text = doc.text
        sentences = _Sentences(doc)
        date_spans = []
        for found in find_dates(text, published):
            found.sentence = sentences(found.start)
            found.passage = pi
            dates_out.append(found)
            date_spans.append((found.start, found.end))
        # quantulum3 is the slowest step; it only sees the sentences that hold a digit
        for sent_start, _sent_end, sent_text in sentences.spans:
            if not DIGIT.search(sent_text):
                continue
            offset = sent_start + (len(text[sent_start:]) - len(text[sent_start:].lstrip()))
            for fig in find_figures(sent_text):
                fig.start += offset
                fig.end += offset
                if any(s <= fig.start < e or s < fig.end <= e for s, e in date_spans):
                    continue
                fig.sentence = sent_text
                fig.passage = pi
                figures_out.append(fig)
        byline_end = 0
        if items[pi].division == BYLINE:
            contributor = next(c for c in document.meta.contributors if c.name and text.startswith(c.name))
            byline_end = len(contributor.name)
            _add(entities, "person", contributor.name, "", index, context,
                 Mention(contributor.name, pi, 0, byline_end, text), contributor.role_line)
        for start, end, ent_text, label, ent_id in _join_people(doc.ents):
            if start < byline_end:
                continue
            kind = LABEL_KIND.get(label)
            if gazetteer and not ent_id and label in ("PERSON", "ORG", "NORP", "LOC", "FAC"):
                kind = _place_by_gazetteer(_clean_name(ent_text), label, context) or kind
            if kind is None:
                continue
            title = ""
            if kind == "person":
                ent_text, start, title = _strip_title(ent_text, start)
            name = _clean_name(ent_text)
            if not name or len(name) < 2 or not any(c.isupper() for c in name[:1]):
                continue
            if (kind, name.lower()) in rejected:
                continue
            _add(entities, kind, name, ent_id, index, context, Mention(
                text=name, passage=pi, start=text.find(name, start), end=text.find(name, start) + len(name),
                sentence=sentences(start)), title or (_title_before(text, start) if kind == "person" else ""),
                acronym=_acronym_after(text, end) if kind in ("organisation", "event") else "")

    result = list(entities.values())
    _fold_short_names(result)
    result.sort(key=lambda e: (-len(e.mentions), e.name))
    return Extraction(
        title=document.meta.title, published=published.isoformat() if published else "",
        language=document.meta.language, passages=items, entities=result, dates=dates_out,
        figures=figures_out, words=sum(len(t.split()) for t in texts),
    )


def _place_by_gazetteer(name: str, label: str, context) -> str | None:
    """spaCy's small model types many towns as people or organisations ("Nawabshah", "Nankana Sahib",
    "Karachi") and provinces as nationalities ("Punjab"). A name that is a city or province of a
    country the article names, or is a country ("the Russian Federation" as ORG), is a place."""
    if places_mod.country(name) is not None:
        return "place"
    place = places_mod.resolve(name, context)
    # Only a place's own name counts: alternate names include words such as "Kazakh".
    if place is not None and place.kind != "country" and places_mod.same_name(place.name, name) \
            and (context.get(place.country_code) or place.population >= BIG_CITY):
        return "place"
    return None


def _acronym_after(text: str, end: int) -> str:
    m = ACRONYM_AFTER.match(text[end:])
    return m.group(1) if m else ""


def _add(entities, kind, name, ent_id, index, context, mention, title, acronym=""):
    known = index.get((kind, name.lower()))
    if known is None:
        # a ruler pattern of another kind (an authority "event" spaCy did not type) still counts
        for k in ("person", "organisation", "place", "event"):
            if (k, name.lower()) in index:
                kind, known = k, index[(k, name.lower())]
                break
    place = None
    if kind == "place" and known is None:
        place = places_mod.resolve(name, context)
        if place is None and ent_id.startswith("geonames:"):
            place = None
    if known is not None:
        key = (kind, known.key or known.name)
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(kind, known.name, key=known.key or known.name, aliases=list(known.aliases),
                                            country=known.country, known=True)
    elif place is not None:
        key = (kind, place.geonames_id or place.iso_code or place.name)
        entity = entities.get(key)
        if entity is None:
            shown = name if places_mod.same_name(place.name, name) else place.name  # "Herat", not "Herāt"
            entity = entities[key] = Entity(kind, shown, key=f"geonames:{place.geonames_id}" if place.geonames_id
                                            else f"iso:{place.iso_code}", country=place.country_code,
                                            geonames_id=place.geonames_id, iso_code=place.iso_code)
    else:
        key = (kind, name.lower())
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(kind, name)
    if name != entity.name and name not in entity.aliases:
        entity.aliases.append(name)
    if acronym and acronym not in entity.aliases:
        entity.aliases.append(acronym)
    if title and title not in entity.titles:
        entity.titles.append(title)
    entity.mentions.append(mention)


def _fold_short_names(entities: list[Entity]) -> None:
    """A new one-word person ("Lavrov") who is the last word of another person in the same text
    ("Sergey Lavrov") is that person."""
    people = [e for e in entities if e.kind == "person"]
    for short in list(people):
        if " " in short.name:
            continue
        longer = [e for e in people if e is not short and " " in e.name and e.name.split()[-1] == short.name]
        if len(longer) == 1 and not short.known:
            target = longer[0]
            target.mentions.extend(short.mentions)
            target.aliases.append(short.name)
            entities.remove(short)
            people.remove(short)


def extract_path(path, **kwargs) -> Extraction:
    from .sources import read_source

    return extract_document(read_source(path), **kwargs)
