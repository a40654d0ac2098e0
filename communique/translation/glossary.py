"""The termbase for a language pair: terms that must be rendered one approved way, or kept as they are.

Seeded from pycountry's ISO 3166 catalogs (country names translated by the iso-codes project), later
from the research desk's names. Machine translation protects terms (each becomes a standalone code the
engine passes through, then the approved rendering is put in its place); QA flags a segment whose
source has a term and whose translation has none of its approved renderings."""
from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .engines import MTItem, MTResult
from .languages import canonical
from .segments import Tag, merge_text

# pycountry's catalog folder names for our language codes.
CATALOG_LOCALE = {"zh-Hans": "zh_CN"}


@dataclass
class Term:
    source: str
    renderings: list[str] = field(default_factory=list)  # approved; the first is used by machine translation
    keep: bool = False  # must not be translated (a name, a brand): the rendering is the source itself
    origin: str = ""

    @property
    def preferred(self) -> str:
        return self.source if self.keep else self.renderings[0]


class Glossary:
    def __init__(self, source: str, target: str, terms: list[Term] | None = None):
        self.source, self.target = source, canonical(target)
        self.terms: dict[str, Term] = {}
        self._pattern = None
        for t in terms or []:
            self.add(t)

    def add(self, term: Term) -> None:
        if not term.keep and not term.renderings:
            raise ValueError(f"term {term.source!r} needs an approved rendering or keep=True")
        self.terms[term.source] = term
        self._pattern = None

    def __len__(self):
        return len(self.terms)

    def pattern(self):
        if self._pattern is None:
            names = sorted(self.terms, key=len, reverse=True)
            self._pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, names)) + r")(?!\w)") if names else None
        return self._pattern

    def find(self, text: str) -> list[Term]:
        pat = self.pattern()
        return [self.terms[m.group(1)] for m in pat.finditer(text)] if pat else []

    def check(self, source_text: str, target_text: str) -> list[str]:
        out = []
        folded = target_text.casefold()
        for term in {t.source: t for t in self.find(source_text)}.values():
            wanted = [term.source] if term.keep else term.renderings
            if not any(w.casefold() in folded for w in wanted):
                how = "kept as it is" if term.keep else "rendered as " + " or ".join(repr(w) for w in wanted)
                out.append(f"{term.source!r} should be {how}")
        return out

    def protect(self, items: list[MTItem], target: str):
        """Items with each term occurrence replaced by a code ('g1', 'g2', …) and a function that puts the
        approved renderings back into the engine's results (noting any term the engine lost)."""
        pat = self.pattern()
        if pat is None:
            return items, lambda results: results
        protected, placed = [], []
        for it in items:
            terms: dict[str, Term] = {}
            content = []
            for x in it.content:
                if not isinstance(x, str):
                    content.append(x)
                    continue
                pos = 0
                for m in pat.finditer(x):
                    content.append(x[pos:m.start()])
                    gid = f"g{len(terms) + 1}"
                    terms[gid] = self.terms[m.group(1)]
                    content.append(Tag("ph", gid))
                    pos = m.end()
                content.append(x[pos:])
            protected.append(MTItem(merge_text(content), it.codes))
            placed.append(terms)

        def restore(results: list[MTResult]) -> list[MTResult]:
            out = []
            for res, terms in zip(results, placed):
                if res.content is None or not terms:
                    out.append(res)
                    continue
                seen, content = set(), []
                for x in res.content:
                    if isinstance(x, Tag) and x.id in terms:
                        content.append(terms[x.id].preferred)
                        seen.add(x.id)
                    else:
                        content.append(x)
                notes = list(res.notes) + [f"glossary term {terms[g].source!r} lost by the engine"
                                           for g in terms if g not in seen]
                out.append(MTResult(merge_text(content), notes))
            return out

        return protected, restore


@lru_cache(maxsize=None)
def _country_terms(target: str) -> tuple[Term, ...]:
    import pycountry

    locale = CATALOG_LOCALE.get(target, target.split("-")[0])
    try:
        catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    except OSError:
        return ()
    known = getattr(catalog, "_catalog", {})
    terms = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            english = getattr(country, attr, None)
            if not english or english not in known or "," in english:
                continue
            rendering = catalog.gettext(english)
            if "," in rendering:  # catalog order ("Russie, Fédération de") is not running text
                continue
            terms[english] = Term(english, [rendering], origin=f"pycountry ISO 3166 {country.alpha_2}")
    return tuple(terms.values())


def seeded(source: str, target: str) -> Glossary:
    """The pair's glossary seeded with country names (English sources only)."""
    target = canonical(target)
    g = Glossary(source, target)
    if source.split("-")[0] == "en":
        for term in _country_terms(target):
            g.add(Term(term.source, list(term.renderings), term.keep, term.origin))
    return g
