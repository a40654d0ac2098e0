"""The one language registry: every table in Communiqué that names languages derives from it.

One entry per language holds its codes (BCP 47, ISO 639-1, ISO 639-2/B for ONIX code list 74),
English and native names, script (ISO 15924) and direction, the faces for web, EPUB and PDF
(family names: the files are in `communique/editions/fonts/`, resolved there), hyphenation
(a pyphen dictionary), the ICU locale used for numbers, dates and collation, print leading, and
which parts of the product offer it (the magazine's site languages, the author portal).

KDP's support per format is a KDP figure with a source, so it lives in `communique.kdp.facts`
(`LANGUAGE_SUPPORT`, keyed by the codes here); `communique.kdp.languages.support()` joins the two.

Adding a language: one `_lang(...)` line below (and, for a script not yet covered, its fonts in
`editions/fonts/` and a `SCRIPT_FONTS` row). Importable without Django.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ScriptFonts:
    """Families for one script; `italic` is False where the script has no italic tradition
    (Arabic-script, Devanagari, CJK): writers then emphasise without slanting the letters."""

    body: str
    heading: str
    italic: bool = True
    web_body: str = ""  # family served by the web CSS ("" = the browser's own fonts)


# Urdu is written in Nastaliq by convention; Arabic-script languages without a Nastaliq
# tradition take Naskh. Simplified and Traditional Chinese each get their own face: the glyph
# shapes differ, and a Japanese face (what the host picks) is wrong for both.
SCRIPT_FONTS: dict[str, ScriptFonts] = {
    "Latn": ScriptFonts("Noto Serif", "Noto Sans", True, "Noto Serif"),
    "Cyrl": ScriptFonts("Noto Serif", "Noto Sans", True, "Noto Serif"),
    "Grek": ScriptFonts("Noto Serif", "Noto Sans", True, "Noto Serif"),
    "Arab-Nastaliq": ScriptFonts("Noto Nastaliq Urdu", "Noto Nastaliq Urdu", False, "Noto Nastaliq Urdu"),
    "Arab": ScriptFonts("Noto Naskh Arabic", "Noto Naskh Arabic", False, "Noto Naskh Arabic"),
    "Deva": ScriptFonts("Noto Serif Devanagari", "Noto Sans Devanagari", False),
    "Hans": ScriptFonts("Noto Serif CJK SC", "Noto Serif CJK SC", False),
    "Hant": ScriptFonts("Noto Serif CJK TC", "Noto Serif CJK TC", False),
    "Jpan": ScriptFonts("Noto Serif", "Noto Sans", False),
    "Hebr": ScriptFonts("Noto Serif", "Noto Sans", False),
}


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 as used across the engine: "en", "zh-Hans"
    iso639_2b: str  # ONIX 3.0 code list 74
    english_name: str
    native_name: str
    script: str = "Latn"  # ISO 15924; "Arab-Nastaliq" marks Urdu's writing style
    direction: str = "ltr"
    hyphenation: str | None = None  # pyphen dictionary name; None = do not hyphenate
    icu_locale: str = ""  # ICU/CLDR locale for numbers, dates, collation ("" = code)
    line_height: float = 1.38  # print body leading (Nastaliq's tall ascenders need far more)
    heading_line_height: float = 0.0  # print headline leading; 0 = the stylesheets' own (Latin)
    magazine: bool = False  # one of the web magazine's languages (Wagtail locales)
    portal: bool = False  # offered in the author portal's language picker
    django_code: str = ""  # Django/Wagtail spell Chinese "zh-hans"

    @property
    def iso639_1(self) -> str:
        primary = self.code.split("-")[0]
        return primary if len(primary) == 2 else ""

    @property
    def primary(self) -> str:
        return self.code.split("-")[0]

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"

    @property
    def fonts(self) -> ScriptFonts:
        return SCRIPT_FONTS.get(self.script, SCRIPT_FONTS["Latn"])

    @property
    def has_italic(self) -> bool:
        return self.fonts.italic

    @property
    def locale(self) -> str:
        return self.icu_locale or self.code.replace("-", "_")

    @property
    def web_code(self) -> str:
        return self.django_code or self.code.lower()


def _lang(code, b, en, native, script="Latn", direction="ltr", hyph=None, **kw) -> Language:
    return Language(code, b, en, native, script, direction, hyph, **kw)


M, P = {"magazine": True, "portal": True}, {"portal": True}

# Order matters where lists are shown: the magazine's languages first in the site's order, then
# the rest of the portal's picker (its order is in books' migration 0001: keep it).
_ENTRIES = [
    _lang("en", "eng", "English", "English", hyph="en_GB", **M),
    _lang("ur", "urd", "Urdu", "اردو", "Arab-Nastaliq", "rtl", line_height=2.3, heading_line_height=2.1, **M),
    _lang("ar", "ara", "Arabic", "العربية", "Arab", "rtl", line_height=1.75, heading_line_height=1.5, **M),
    _lang("fa", "per", "Persian", "فارسی", "Arab", "rtl", line_height=1.75,
          icu_locale="fa@calendar=gregorian", heading_line_height=1.5, **M),  # ICU's default for fa is the Solar Hijri calendar
    _lang("zh-Hans", "chi", "Chinese (Simplified)", "简体中文", "Hans", line_height=1.6,
          icu_locale="zh_Hans", django_code="zh-hans", **M),
    _lang("ru", "rus", "Russian", "Русский", "Cyrl", hyph="ru_RU", **M),
    _lang("fr", "fre", "French", "Français", hyph="fr", **M),
    _lang("es", "spa", "Spanish", "Español", hyph="es", **M),
    _lang("de", "ger", "German", "Deutsch", hyph="de_DE", **M),
    _lang("tr", "tur", "Turkish", "Türkçe", **M),
    _lang("hi", "hin", "Hindi", "हिन्दी", "Deva", line_height=1.6, heading_line_height=1.4, **M),
    # The rest of the portal's picker (KDP's European set, and the other KDP scripts).
    _lang("it", "ita", "Italian", "Italiano", hyph="it_IT", **P),
    _lang("pt", "por", "Portuguese", "Português", hyph="pt_PT", **P),
    _lang("nl", "dut", "Dutch", "Nederlands", hyph="nl_NL", **P),
    _lang("sv", "swe", "Swedish", "Svenska", hyph="sv", **P),
    _lang("da", "dan", "Danish", "Dansk", hyph="da_DK", **P),
    _lang("fi", "fin", "Finnish", "Suomi", **P),
    _lang("no", "nor", "Norwegian", "Norsk", hyph="nb_NO", **P),
    _lang("ca", "cat", "Catalan", "Català", hyph="ca", **P),
    _lang("ga", "gle", "Irish", "Gaeilge", **P),
    _lang("cy", "wel", "Welsh", "Cymraeg", **P),
    _lang("pl", "pol", "Polish", "Polski", hyph="pl_PL", **P),
    _lang("uk", "ukr", "Ukrainian", "Українська", "Cyrl", hyph="uk_UA", **P),
    _lang("ja", "jpn", "Japanese", "日本語", "Jpan", **P),
    _lang("zh-Hant", "chi", "Chinese (Traditional)", "繁體中文", "Hant", line_height=1.6,
          icu_locale="zh_Hant", django_code="zh-hant", **P),
    _lang("he", "heb", "Hebrew", "עברית", "Hebr", "rtl", **P),
    _lang("la", "lat", "Latin", "Latina", **P),
    # Known to the engine and KDP's lists, not offered in the picker.
    _lang("af", "afr", "Afrikaans", "Afrikaans"), _lang("gsw", "gsw", "Alsatian", "Elsässisch"),
    _lang("eu", "baq", "Basque", "Euskara"), _lang("br", "bre", "Breton", "Brezhoneg"),
    _lang("kw", "cor", "Cornish", "Kernewek"), _lang("co", "cos", "Corsican", "Corsu"),
    _lang("frr", "frr", "Northern Frisian", "Nordfriisk"), _lang("frs", "frs", "Eastern Frisian", "Seeltersk"),
    _lang("fy", "fry", "Frisian", "Frysk"), _lang("gl", "glg", "Galician", "Galego"),
    _lang("is", "ice", "Icelandic", "Íslenska"), _lang("lb", "ltz", "Luxembourgish", "Lëtzebuergesch"),
    _lang("gv", "glv", "Manx", "Gaelg"), _lang("nb", "nob", "Norwegian Bokmål", "Norsk bokmål", hyph="nb_NO"),
    _lang("nn", "nno", "Norwegian Nynorsk", "Norsk nynorsk", hyph="nn_NO"),
    _lang("oc", "oci", "Provençal", "Occitan"), _lang("rm", "roh", "Romansh", "Rumantsch"),
    _lang("sco", "sco", "Scots", "Scots"), _lang("gd", "gla", "Scottish Gaelic", "Gàidhlig"),
    _lang("gu", "guj", "Gujarati", "ગુજરાતી", "Gujr"), _lang("ml", "mal", "Malayalam", "മലയാളം", "Mlym"),
    _lang("mr", "mar", "Marathi", "मराठी", "Deva"), _lang("ta", "tam", "Tamil", "தமிழ்", "Taml"),
    _lang("yi", "yid", "Yiddish", "ייִדיש", "Hebr", "rtl"),
    _lang("bn", "ben", "Bengali", "বাংলা", "Beng"), _lang("kn", "kan", "Kannada", "ಕನ್ನಡ", "Knda"),
    _lang("te", "tel", "Telugu", "తెలుగు", "Telu"),
    _lang("ps", "pus", "Pashto", "پښتو", "Arab", "rtl", line_height=1.75, heading_line_height=1.5),
    _lang("sd", "snd", "Sindhi", "سنڌي", "Arab", "rtl", line_height=1.75),
    _lang("ckb", "kur", "Central Kurdish", "کوردی", "Arab", "rtl", line_height=1.75),
    _lang("ug", "uig", "Uyghur", "ئۇيغۇرچە", "Arab", "rtl", line_height=1.75),
    _lang("dv", "div", "Dhivehi", "ދިވެހި", "Thaa", "rtl"),
]
REGISTRY: dict[str, Language] = {entry.code: entry for entry in _ENTRIES}

# Names and legacy tags people type for a language.
_ALIASES = {
    "flemish": "nl", "farsi": "fa", "chinese": "zh-Hans", "zh": "zh-Hans", "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant",
    "simplified chinese": "zh-Hans", "traditional chinese": "zh-Hant", "iw": "he", "ji": "yi",
    "occitan": "oc",
}


class UnknownLanguage(ValueError):
    pass


@lru_cache(maxsize=None)
def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in _ENTRIES:
        for key in (entry.code, entry.english_name, entry.iso639_2b, entry.web_code):
            out.setdefault(key.lower(), entry.code)
    out.update(_ALIASES)
    return out


def lookup(value: str) -> Language:
    """The entry for a code, name or legacy tag ("tr", "Turkish", "tur", "zh-CN", "en-GB", "ur_PK").
    A region subtag falls back to the language ("en-GB" → en); Chinese keeps its script."""
    key = (value or "").strip().lower().replace("_", "-")
    if not key:
        raise UnknownLanguage("language is empty")
    index = _index()
    if key in index:
        return REGISTRY[index[key]]
    parts = key.split("-")
    if parts[0] == "zh":
        if "hant" in parts or any(p in ("tw", "hk", "mo") for p in parts):
            return REGISTRY["zh-Hant"]
        return REGISTRY["zh-Hans"]
    if parts[0] in index:
        return REGISTRY[index[parts[0]]]
    raise UnknownLanguage(f"unknown language {value!r}")


def get(value: str, default: str = "en") -> Language:
    """Like lookup() but falls back to `default` (writers must still produce a book)."""
    try:
        return lookup(value)
    except UnknownLanguage:
        return REGISTRY[default]


def code_for(value: str) -> str:
    return lookup(value).code


def magazine_languages() -> list[Language]:
    return [e for e in _ENTRIES if e.magazine]


# The picker's order is stored in books' migration 0001 (choices); entries marked `portal` that
# are not listed here follow in registry order (and need a books migration).
_PORTAL_ORDER = ("en fr es de it pt nl sv da fi no ca ga cy pl uk ja ar hi zh-Hant he la tr ur fa "
                 "zh-Hans ru").split()


def portal_languages() -> list[Language]:
    offered = [e for e in _ENTRIES if e.portal]
    rank = {code: i for i, code in enumerate(_PORTAL_ORDER)}
    return sorted(offered, key=lambda e: rank.get(e.code, len(rank)))


def rtl_primary_subtags() -> frozenset[str]:
    return frozenset(e.primary for e in _ENTRIES if e.is_rtl)


def direction_for(value: str) -> str:
    """'rtl' or 'ltr' for any BCP 47 tag (unknown languages are left to right)."""
    primary = (value or "en").split("-")[0].split("_")[0].lower()
    return "rtl" if primary in rtl_primary_subtags() else "ltr"


# ---- numbers, dates, collation (ICU through PyICU where installed) ---------------------------


def _icu():
    try:
        import icu  # PyICU (pyicu-wheels)
    except ImportError:  # pragma: no cover - the dependency is declared; kept for slim installs
        return None
    return icu


def format_number(value, language: str) -> str:
    """A number in the language's own digits and separators (ICU): 1234.5 → '1.234,5' in German."""
    icu = _icu()
    if icu is None:
        return f"{value:,}"
    fmt = icu.NumberFormat.createInstance(icu.Locale(get(language).locale))
    return fmt.format(value)


def format_date(value, language: str, style: str = "long") -> str:
    """A date written as the language writes it, always on the Gregorian calendar (Persian too)."""
    import datetime as _dt

    icu = _icu()
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    if icu is None:
        return value.isoformat()
    entry = get(language)
    locale = entry.locale if "calendar=" in entry.locale else entry.locale + "@calendar=gregorian"
    styles = {"long": icu.DateFormat.kLong, "medium": icu.DateFormat.kMedium, "short": icu.DateFormat.kShort}
    fmt = icu.DateFormat.createDateInstance(styles[style], icu.Locale(locale))
    moment = _dt.datetime(value.year, value.month, value.day, 12, tzinfo=_dt.timezone.utc)
    fmt.setTimeZone(icu.TimeZone.getGMT())
    return fmt.format(moment.timestamp())  # PyICU takes seconds since the epoch


def sort_key(language: str):
    """A key function sorting strings as readers of `language` expect (ICU collation)."""
    icu = _icu()
    if icu is None:
        return str.casefold
    collator = icu.Collator.createInstance(icu.Locale(get(language).locale))
    return collator.getSortKey


# ---- validating tags readers meet ----------------------------------------------------------


ISO_639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
    hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
    lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
    or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    """.split()
)
# Three-letter primary subtags with no two-letter equivalent that our authors use.
EXTRA_PRIMARY = frozenset({"ckb", "fil", "gsw", "haw", "yue", "sco", "frr", "frs", "nds", "ast", "hsb"})

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def normalise_language(tag: str) -> str:
    """Return `tag` in canonical case ("en-GB", "zh-Hant", "ur") or raise UnknownLanguage."""
    raw = (tag or "").strip()
    candidate = raw.replace("_", "-")
    if not _TAG.match(candidate):
        raise UnknownLanguage(f"Language {raw!r} is not a BCP 47 tag like 'en', 'en-GB' or 'ur'.")
    parts = candidate.split("-")
    primary = parts[0].lower()
    if primary not in ISO_639_1 and primary not in EXTRA_PRIMARY:
        raise UnknownLanguage(
            f"Unknown language code {raw!r}: {primary!r} is not an ISO 639-1 code (e.g. 'en', 'ar', 'ur', 'fr')."
        )
    out = [primary]
    for sub in parts[1:]:
        if len(sub) == 2 and sub.isalpha():
            out.append(sub.upper())
        elif len(sub) == 4 and sub.isalpha():
            out.append(sub.title())
        else:
            out.append(sub.lower())
    return "-".join(out)
