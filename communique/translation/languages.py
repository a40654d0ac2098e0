"""What translation needs to know about a language, in one place until the language registry lands.

The registry (langkdp's `communique.core` languages) will own names, scripts and directions; this
module then only keeps what is translation-specific (Apertium's codes, number words) and asks the
registry for the rest through `language()`."""
from __future__ import annotations

from dataclasses import dataclass, field

from communique.documents.model import direction_for


@dataclass(frozen=True)
class TranslationLanguage:
    code: str
    name: str
    iso639_3: str
    script: str  # ISO 15924
    digits: str = "0123456789"
    decimal: str = "."
    group: str = ","
    # Scale words as they appear in running text, longest first when matched.
    scales: dict[str, float] = field(default_factory=dict)
    sentence_end: str = ".!?"

    @property
    def direction(self) -> str:
        return direction_for(self.code)


_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DEVANAGARI = "०१२३४५६७८९"

LANGUAGES: dict[str, TranslationLanguage] = {
    lang.code: lang
    for lang in [
        TranslationLanguage("en", "English", "eng", "Latn", scales={
            "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6,
            "per cent": 1, "percent": 1}),
        TranslationLanguage("ur", "Urdu", "urd", "Arab", digits=_PERSIAN_DIGITS, decimal="٫", group="٬",
                            scales={"ہزار": 1e3, "لاکھ": 1e5, "ملین": 1e6, "کروڑ": 1e7, "ارب": 1e9, "بلین": 1e9,
                                    "کھرب": 1e11, "ٹریلین": 1e12}, sentence_end="۔؟!"),
        TranslationLanguage("ar", "Arabic", "ara", "Arab", digits=_ARABIC_DIGITS, decimal="٫", group="٬",
                            scales={"ألف": 1e3, "آلاف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9,
                                    "مليارات": 1e9, "تريليون": 1e12}, sentence_end=".؟!"),
        TranslationLanguage("fa", "Persian", "fas", "Arab", digits=_PERSIAN_DIGITS, decimal="٫", group="٬",
                            scales={"هزار": 1e3, "میلیون": 1e6, "میلیارد": 1e9, "بیلیون": 1e9, "تریلیون": 1e12},
                            sentence_end=".؟!"),
        TranslationLanguage("ps", "Pashto", "pus", "Arab", digits=_PERSIAN_DIGITS, decimal="٫", group="٬",
                            scales={"زره": 1e3, "ميليون": 1e6, "میلیون": 1e6, "میلیارده": 1e9, "میلیارد": 1e9},
                            sentence_end=".؟!۔"),
        TranslationLanguage("zh-Hans", "Chinese (Simplified)", "zho", "Hans",
                            scales={"千": 1e3, "万": 1e4, "亿": 1e8, "万亿": 1e12}, sentence_end="。！？"),
        TranslationLanguage("ru", "Russian", "rus", "Cyrl", decimal=",", group="\u00a0",
                            scales={"тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "тыс.": 1e3, "миллион": 1e6,
                                    "миллиона": 1e6, "миллионов": 1e6, "млн": 1e6, "миллиард": 1e9,
                                    "миллиарда": 1e9, "миллиардов": 1e9, "млрд": 1e9, "триллион": 1e12}),
        TranslationLanguage("fr", "French", "fra", "Latn", decimal=",", group="\u202f",
                            scales={"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9,
                                    "milliards": 1e9, "billion": 1e12, "billions": 1e12, "pour cent": 1}),
        TranslationLanguage("es", "Spanish", "spa", "Latn", decimal=",", group=".",
                            scales={"mil millones": 1e9, "miles de millones": 1e9, "millardo": 1e9,
                                    "millardos": 1e9, "mil": 1e3, "millón": 1e6, "millones": 1e6,
                                    "billón": 1e12, "billones": 1e12, "por ciento": 1}, sentence_end=".!?¡¿"),
        TranslationLanguage("de", "German", "deu", "Latn", decimal=",", group=".",
                            scales={"Tausend": 1e3, "Million": 1e6, "Millionen": 1e6, "Mio.": 1e6,
                                    "Milliarde": 1e9, "Milliarden": 1e9, "Mrd.": 1e9, "Billion": 1e12,
                                    "Prozent": 1}),
        TranslationLanguage("tr", "Turkish", "tur", "Latn", decimal=",", group=".",
                            scales={"bin": 1e3, "milyon": 1e6, "milyar": 1e9, "trilyon": 1e12}),
        TranslationLanguage("hi", "Hindi", "hin", "Deva", digits=_DEVANAGARI,
                            scales={"हज़ार": 1e3, "हजार": 1e3, "लाख": 1e5, "करोड़": 1e7, "करोड": 1e7,
                                    "अरब": 1e9, "खरब": 1e11}, sentence_end="।?!"),
    ]
}
DEFAULT_TARGETS = tuple(code for code in LANGUAGES if code != "en")


class UnknownTargetLanguage(ValueError):
    pass


def canonical(code: str) -> str:
    raw = (code or "").strip().replace("_", "-")
    low = raw.lower()
    if low in ("zh", "zh-hans", "zh-cn"):
        return "zh-Hans"
    for key in LANGUAGES:
        if key.lower() == low:
            return key
    base = low.split("-")[0]
    if base in LANGUAGES:
        return base
    raise UnknownTargetLanguage(
        f"unknown language {code!r}; translation knows: {', '.join(LANGUAGES)}")


def language(code: str) -> TranslationLanguage:
    return LANGUAGES[canonical(code)]


def apertium_code(code: str) -> str:
    try:
        return language(code).iso639_3
    except UnknownTargetLanguage:
        return code.split("-")[0].lower()
