"""KDP's limits on book metadata, as plain functions the model, the form and the kit share.

The figures come from communique.kdp.facts (kdp-facts.md §7.2: title 200, keywords 7 × 50,
3 categories, description 4,000 characters with tags counted)."""
from __future__ import annotations

import re

import nh3
from django.core.exceptions import ValidationError

from communique.kdp import facts, isbn

# Every KDP figure lives in communique.kdp.facts (with its source); these names are kept for callers.
TITLE_SUBTITLE_MAX = facts.TITLE_SUBTITLE_MAX.value
KEYWORDS_MAX = facts.KEYWORDS_MAX.value
KEYWORD_CHARS_MAX = facts.KEYWORD_MAX_CHARS.value
CATEGORIES_MAX = facts.CATEGORIES_MAX.value
DESCRIPTION_MAX = facts.DESCRIPTION_MAX.value
# The subset KDP keeps in a description; everything else (links, images, spans, style) it strips,
# so we strip it first and the author sees what will really be shown.
DESCRIPTION_TAGS = set(facts.DESCRIPTION_TAGS.value)


def sanitize_description(html: str) -> str:
    return nh3.clean(html or "", tags=DESCRIPTION_TAGS, attributes={}, link_rel=None).strip()


def normalize_isbn(value: str) -> str:
    return re.sub(r"[\s\-‐‑–]", "", value or "")


def isbn13_is_valid(value: str) -> bool:
    digits = normalize_isbn(value)
    return bool(re.fullmatch(r"\d{13}", digits)) and isbn.is_valid_isbn13(digits)


def validate_isbn13(value: str) -> None:
    digits = normalize_isbn(value)
    if not digits:
        return
    if not re.fullmatch(r"\d{13}", digits):
        raise ValidationError("An ISBN-13 has exactly 13 digits (hyphens and spaces are ignored); this has %(n)s.",
                              params={"n": len(re.sub(r'\D', '', digits))}, code="isbn_length")
    if not digits.startswith(("978", "979")):
        raise ValidationError("An ISBN-13 starts with 978 or 979.", code="isbn_prefix")
    if isbn.isbn13_check_digit(digits[:12]) != digits[12]:
        raise ValidationError("The check digit (the last digit) is wrong: this is not a valid ISBN-13. "
                              "Check it against the number your ISBN agency gave you.", code="isbn_checksum")


def split_list(value) -> list[str]:
    """Keywords and categories arrive as one per line (form) or as a list (front matter)."""
    if value is None:
        return []
    if isinstance(value, str):
        items = re.split(r"[\n;]", value)
    else:
        items = list(value)
    return [str(i).strip() for i in items if str(i).strip()]


def validate_keywords(items: list[str]) -> None:
    errors = []
    if len(items) > KEYWORDS_MAX:
        errors.append(f"KDP allows at most {KEYWORDS_MAX} keywords; you gave {len(items)}.")
    for kw in items:
        if len(kw) > KEYWORD_CHARS_MAX:
            errors.append(f"“{kw[:60]}” is {len(kw)} characters; each keyword may have at most {KEYWORD_CHARS_MAX}.")
    if errors:
        raise ValidationError(errors, code="keywords")


def validate_categories(items: list[str]) -> None:
    if len(items) > CATEGORIES_MAX:
        raise ValidationError(f"KDP allows at most {CATEGORIES_MAX} categories per format; you gave {len(items)}.",
                              code="categories")


def validate_title_length(title: str, subtitle: str) -> None:
    n = len(title or "") + len(subtitle or "")
    if n > TITLE_SUBTITLE_MAX:
        raise ValidationError(
            f"Title and subtitle together have {n} characters; KDP allows {TITLE_SUBTITLE_MAX}.", code="title_length")


def validate_description(html: str) -> str:
    clean = sanitize_description(html)
    if len(clean) > DESCRIPTION_MAX:
        raise ValidationError(
            f"The description has {len(clean)} characters (HTML tags count); KDP allows {DESCRIPTION_MAX}.",
            code="description_length")
    return clean
