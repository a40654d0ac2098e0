"""ISBN-13 validation and normalisation (ISO 2108).

KDP needs a 13-digit ISBN for paperbacks and forbids reusing one across formats
(https://kdp.amazon.com/en_US/help/topic/G201834170, sheet §7.2); the checksum is ISO 2108.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-‐‑–]")


class ISBNError(ValueError):
    pass


def _digits(value: str) -> str:
    text = _SEPARATORS.sub("", str(value or "")).upper()
    if text.startswith("ISBN"):
        text = text[4:].lstrip(":")
    return text


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn10_check_digit(first9: str) -> str:
    total = sum(int(c) * (10 - i) for i, c in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn10_to_13(isbn10: str) -> str:
    """Convert an ISBN-10 to its 978- ISBN-13 (the check digit is recomputed)."""
    text = _digits(isbn10)
    if not re.fullmatch(r"\d{9}[\dX]", text):
        raise ISBNError(f"{isbn10!r} is not an ISBN-10")
    if isbn10_check_digit(text[:9]) != text[9]:
        raise ISBNError(f"{isbn10!r} has a wrong check digit")
    body = "978" + text[:9]
    return body + isbn13_check_digit(body)


def normalize_isbn(value: str) -> str:
    """Return the 13 bare digits of a valid ISBN-10 or ISBN-13, or raise ISBNError.

    Hyphens, spaces and an "ISBN" prefix are ignored.
    """
    text = _digits(value)
    if len(text) == 10:
        return isbn10_to_13(text)
    if not re.fullmatch(r"\d{13}", text):
        raise ISBNError(f"{value!r} is not 13 digits")
    if text[:3] not in ("978", "979"):
        raise ISBNError(f"{value!r} does not start with 978 or 979")
    if isbn13_check_digit(text[:12]) != text[12]:
        raise ISBNError(f"{value!r} has a wrong check digit (expected {isbn13_check_digit(text[:12])})")
    return text


def is_valid_isbn13(value: str) -> bool:
    try:
        return len(_digits(value)) == 13 and bool(normalize_isbn(value))
    except ISBNError:
        return False


def hyphenate_simple(isbn13: str) -> str:
    """Prefix-body-check form, e.g. 978-186197271-2.

    Real group/publisher hyphenation needs the ISBN range table, which is not shipped.
    """
    text = normalize_isbn(isbn13)
    return f"{text[:3]}-{text[3:12]}-{text[12]}"
