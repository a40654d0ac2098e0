"""A back-of-book index: entries from the names the desk has confirmed (the authority list) plus an
editor's own terms, with sub-entries and "see" / "see also", sorted and grouped by ICU for the
book's language, so a translated edition gets its own order and letter groups.

Locators here are the book's divisions (chapters, articles of an issue), in reading order: what the
CLI prints. `add_index` is the document transform (documents/transforms/index.py): it marks every
place the text names an entry, so the print PDF prints real page numbers and the EPUB links to the
very place."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from communique.documents import model as dm

from .sources import passages


@dataclass
class Term:
    heading: str
    sub: str = ""
    see: str = ""
    see_also: list[str] = field(default_factory=list)


@dataclass
class Locator:
    division: int  # in reading order
    label: str  # the division's title
    anchor: str  # the division's id, for links


@dataclass
class Entry:
    heading: str
    locators: list[Locator] = field(default_factory=list)
    subentries: list[Entry] = field(default_factory=list)
    see: str = ""
    see_also: list[str] = field(default_factory=list)
    # How the text writes it (the extractor's mentions; the term itself), for the marks the index
    # transform puts in the text; a sub-entry's forms count only in passages naming its heading.
    forms: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {"heading": self.heading, "locators": [loc.label for loc in self.locators]}
        if self.subentries:
            data["subentries"] = [s.as_json() for s in self.subentries]
        if self.see:
            data["see"] = self.see
        if self.see_also:
            data["see_also"] = self.see_also
        return data


@dataclass
class Index:
    language: str
    groups: list[tuple[str, list[Entry]]]

    def as_json(self) -> dict:
        return {"language": self.language,
                "groups": [{"label": label, "entries": [e.as_json() for e in entries]} for label, entries in self.groups]}


def parse_terms(text: str) -> list[Term]:
    """One term a line: `Term`, `Term > Sub-entry`, `Term = see Other`, `Term + see also Other; Another`."""
    out = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" in line:
            head, _, rest = line.partition("=")
            target = re.sub(r"^\s*see\s+", "", rest.strip(), flags=re.I)
            if not head.strip() or not target:
                raise ValueError(f"line {n}: write 'Term = see Other'")
            out.append(Term(head.strip(), see=target))
        elif "+" in line:
            head, _, rest = line.partition("+")
            targets = [t.strip() for t in re.sub(r"^\s*see\s+also\s+", "", rest.strip(), flags=re.I).split(";") if t.strip()]
            if not head.strip() or not targets:
                raise ValueError(f"line {n}: write 'Term + see also Other; Another'")
            out.append(Term(head.strip(), see_also=targets))
        elif ">" in line:
            head, _, sub = line.partition(">")
            if not head.strip() or not sub.strip():
                raise ValueError(f"line {n}: write 'Term > Sub-entry'")
            out.append(Term(head.strip(), sub=sub.strip()))
        else:
            out.append(Term(line))
    return out


def _collator(language: str):
    import icu

    collator = icu.Collator.createInstance(icu.Locale(language.replace("-", "_")))
    return collator


def _bucket_label(language: str):
    import icu

    index = icu.AlphabeticIndex(icu.Locale(language.replace("-", "_")))
    labels = [label for label, _ in index]

    def label(heading: str) -> str:
        return labels[index.getBucketIndex(heading)]

    return label


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.I) is not None


def build_index(document: dm.Document, *, names=None, terms=(), language=None, use_starter=True) -> Index:
    """Entries for the authority names found in the book (via the extractor, so aliases count) and for
    every editor term found in its text."""
    from .extract import extract_document

    language = language or document.meta.language or "en"
    divisions = list(document.walk_divisions())
    items = passages(document)

    def locator(division_index: int) -> Locator:
        div = divisions[division_index]
        return Locator(division_index, div.title or f"{division_index + 1}", div.id or f"div-{division_index + 1}")

    entries: dict[str, Entry] = {}
    extraction = extract_document(document, names=names, use_starter=use_starter)
    for entity in extraction.entities:
        if not entity.known:  # only names the desk has confirmed go into a book's index
            continue
        divs = sorted({extraction.passages[m.passage].division for m in entity.mentions} - {-1, -2})
        if divs:
            forms = sorted({m.text for m in entity.mentions
                            if extraction.passages[m.passage].division >= 0} - {""}, key=len, reverse=True)
            entries[entity.name] = Entry(entity.name, [locator(d) for d in divs], forms=forms or [entity.name])
            seen = {entity.name.lower()} | {k.lower() for k in entries}
            for alias in entity.aliases:
                # "see" references for the other spellings the book uses; one per spelling, whatever its case
                if alias.lower() not in seen and not alias.isupper() and len(alias) > 3 \
                        and not alias.lower().startswith("the ") \
                        and any(alias in extraction.passages[m.passage].text for m in entity.mentions):
                    seen.add(alias.lower())
                    entries[alias] = Entry(alias, see=entity.name)

    for term in terms:
        entry = entries.get(term.heading)
        if entry is None:
            divs = sorted({p.division for p in items if p.division >= 0 and _contains(p.text, term.heading)})
            entry = Entry(term.heading, [locator(d) for d in divs], forms=[term.heading])
            entries[term.heading] = entry
        if term.see:
            entry.see, entry.locators = term.see, []
        entry.see_also.extend(t for t in term.see_also if t not in entry.see_also)
        if term.sub:
            divs = sorted({p.division for p in items if p.division >= 0 and _contains(p.text, term.sub)
                           and _contains(p.text, term.heading)})
            entry.subentries.append(Entry(term.sub, [locator(d) for d in divs], forms=[term.sub]))

    # Empty entries (a term the text never uses) are dropped unless they point elsewhere.
    kept = [e for e in entries.values() if e.locators or e.see or e.subentries or e.see_also]
    collator = _collator(language)
    label = _bucket_label(language)
    for e in kept:
        e.subentries.sort(key=lambda s: collator.getSortKey(s.heading))
        e.see_also.sort(key=collator.getSortKey)
    kept.sort(key=lambda e: collator.getSortKey(e.heading))
    groups: list[tuple[str, list[Entry]]] = []
    for e in kept:
        g = label(e.heading)
        if not groups or groups[-1][0] != g:
            groups.append((g, []))
        groups[-1][1].append(e)
    return Index(language, groups)


def _locators_text(entry: Entry) -> str:
    return "; ".join(loc.label for loc in entry.locators)


def format_index(index: Index) -> str:
    lines = []
    for label, entries in index.groups:
        lines.append(label)
        for e in entries:
            line = f"  {e.heading}"
            if e.see:
                line += f". See {e.see}"
            elif e.locators:
                line += f", {_locators_text(e)}"
            if e.see_also:
                line += f". See also {'; '.join(e.see_also)}"
            lines.append(line)
            for s in e.subentries:
                lines.append(f"    {s.heading}, {_locators_text(s)}" if s.locators else f"    {s.heading}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def add_index(document: dm.Document, *, names=None, terms=(), language=None, use_starter=True,
              ranges="join", title=None) -> dm.Document:
    """The index transform (documents/transforms/index.py) with the desk's arguments: marks in the
    text and an index division at the back, which every writer renders."""
    from communique.documents.transforms.index import add_index as transform

    return transform(document, {"index": {"names": names, "terms": list(terms), "language": language,
                                          "use_starter": use_starter, "ranges": ranges, "title": title}})
