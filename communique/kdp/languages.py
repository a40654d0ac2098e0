"""KDP's view of the language registry (`communique.documents.languages`): names and ONIX codes
come from the registry, support per format from `facts.LANGUAGE_SUPPORT` (a KDP figure with a
source). No language table lives here."""

from __future__ import annotations

from communique.documents import languages as registry

from . import facts


def normalize_language(value: str) -> str:
    """Return the code used across the engine for a name or code; ValueError if unknown."""
    return registry.code_for(value)


def language_name(code: str) -> str:
    return registry.lookup(code).english_name


def iso639_2b(code: str) -> str:
    return registry.lookup(code).iso639_2b


def support(code: str) -> "facts.LanguageSupport | None":
    """KDP's eBook/paperback support for a registry language (None: in no list we found)."""
    return facts.LANGUAGE_SUPPORT.get(registry.code_for(code))
