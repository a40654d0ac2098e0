"""Language names and codes, so metadata can say "English", "en" or "eng" alike.

The codes are ISO 639-1 (with zh-Hans / zh-Hant for the two Chinese scripts, because KDP's
lists treat them differently) and ISO 639-2/B, which ONIX 3.0 uses (code list 74).
These are standards, not KDP figures, so they live here rather than in facts.py.
"""

from __future__ import annotations

# code -> (English name, ISO 639-2/B)
LANGUAGES: dict[str, tuple[str, str]] = {
    "en": ("English", "eng"), "af": ("Afrikaans", "afr"), "gsw": ("Alsatian", "gsw"),
    "eu": ("Basque", "baq"), "br": ("Breton", "bre"), "ca": ("Catalan", "cat"),
    "kw": ("Cornish", "cor"), "co": ("Corsican", "cos"), "da": ("Danish", "dan"),
    "nl": ("Dutch", "dut"), "frr": ("Northern Frisian", "frr"), "frs": ("Eastern Frisian", "frs"),
    "fy": ("Frisian", "fry"), "fi": ("Finnish", "fin"), "fr": ("French", "fre"),
    "gl": ("Galician", "glg"), "de": ("German", "ger"), "is": ("Icelandic", "ice"),
    "ga": ("Irish", "gle"), "it": ("Italian", "ita"), "lb": ("Luxembourgish", "ltz"),
    "gv": ("Manx", "glv"), "nb": ("Norwegian Bokmål", "nob"), "nn": ("Norwegian Nynorsk", "nno"),
    "no": ("Norwegian", "nor"), "pt": ("Portuguese", "por"), "oc": ("Provençal", "oci"),
    "rm": ("Romansh", "roh"), "sco": ("Scots", "sco"), "gd": ("Scottish Gaelic", "gla"),
    "es": ("Spanish", "spa"), "sv": ("Swedish", "swe"), "cy": ("Welsh", "wel"),
    "ja": ("Japanese", "jpn"), "ar": ("Arabic", "ara"),
    "zh-Hant": ("Chinese (Traditional)", "chi"), "zh-Hans": ("Chinese (Simplified)", "chi"),
    "hi": ("Hindi", "hin"), "gu": ("Gujarati", "guj"), "ml": ("Malayalam", "mal"),
    "mr": ("Marathi", "mar"), "ta": ("Tamil", "tam"), "he": ("Hebrew", "heb"),
    "yi": ("Yiddish", "yid"), "la": ("Latin", "lat"), "pl": ("Polish", "pol"),
    "uk": ("Ukrainian", "ukr"), "ru": ("Russian", "rus"), "ur": ("Urdu", "urd"),
    "fa": ("Persian", "per"), "bn": ("Bengali", "ben"), "kn": ("Kannada", "kan"),
    "te": ("Telugu", "tel"),
}

_ALIASES = {
    "flemish": "nl", "farsi": "fa", "chinese": "zh-Hans", "zh": "zh-Hans", "zh-cn": "zh-Hans",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "simplified chinese": "zh-Hans",
    "traditional chinese": "zh-Hant", "iw": "he", "ji": "yi", "nob": "nb", "occitan": "oc",
}


def normalize_language(value: str) -> str:
    """Return the code used across the engine for a name or code; ValueError if unknown."""
    key = (value or "").strip()
    if not key:
        raise ValueError("language is empty")
    low = key.lower().replace("_", "-")
    for code, (name, b) in LANGUAGES.items():
        if low in (code.lower(), name.lower(), b):
            return code
    if low.split("-")[0] in LANGUAGES and low.split("-")[0] != "zh":
        return low.split("-")[0]  # en-GB, pt-BR: KDP picks the language, not the region
    if low in _ALIASES:
        return _ALIASES[low]
    raise ValueError(f"unknown language {value!r}")


def language_name(code: str) -> str:
    return LANGUAGES[code][0]


def iso639_2b(code: str) -> str:
    return LANGUAGES[code][1]
