"""Language tags a document may carry: a BCP 47 tag whose primary subtag is ISO 639-1 (two letters)
or one of a few ISO 639-3 codes used by the magazine's and KDP's languages. Checked by readers so a
typo ("eng", "urdu", "en_US") fails at reading time with a clear message, not inside EPUBCheck."""
from __future__ import annotations

import re

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


class UnknownLanguage(ValueError):
    pass


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
