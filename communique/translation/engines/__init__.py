"""Machine-translation engines: plugins behind one interface, chosen per language pair in settings.

An engine gets segments (text and protected codes) and gives back content in the same shape; it
protects the codes its own way (Apertium's wordbound blanks, placeholders for neural models). The
pipeline then checks every segment's codes, so an engine that loses or moves one cannot publish it.

Settings (all optional):

    COMMUNIQUE_TRANSLATION_ENGINES = {
        "en>es": {"engine": "apertium"},                       # Debian's apertium-eng-spa
        "en>de": {"engine": "ct2", "model": "/srv/models/opus-mt-en-de-ct2"},
        "en>fr": {"engine": "localize", "translator": "deepl", "options": {"AUTH_KEY": "…"}},
        "*": {"engine": "none"},                                # no machine draft for other pairs
    }
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from ..segments import Content, InlineCode

ENGINES: dict[str, str] = {
    "apertium": "communique.translation.engines.apertium:ApertiumEngine",
    "ct2": "communique.translation.engines.ct2:CTranslate2Engine",
    "localize": "communique.translation.engines.localize:LocalizeEngine",
    "none": "communique.translation.engines:NoEngine",
}

DEFAULT_PAIRS = {"en>es": {"engine": "apertium"}}


class EngineError(RuntimeError):
    """An engine could not run (missing program or model, bad configuration); the message says which."""


@dataclass
class MTItem:
    content: Content
    codes: dict[str, InlineCode]


@dataclass
class MTResult:
    content: Content | None  # None: the engine produced nothing for this segment
    notes: list[str] = field(default_factory=list)  # e.g. words the engine did not know


@runtime_checkable
class Engine(Protocol):
    name: str

    def translate(self, items: list[MTItem], source: str, target: str) -> list[MTResult]: ...


class NoEngine:
    """No machine draft: every segment waits for memory or a person."""

    name = "none"

    def __init__(self, **options):
        pass

    def translate(self, items, source, target):
        return [MTResult(None) for _ in items]


def pair_config(source: str, target: str) -> dict:
    from django.conf import settings

    configured = getattr(settings, "COMMUNIQUE_TRANSLATION_ENGINES", None) if settings.configured else None
    table = dict(DEFAULT_PAIRS if configured is None else configured)
    base_s, base_t = source.split("-")[0].lower(), target.split("-")[0].lower()
    for key in (f"{source}>{target}", f"{base_s}>{base_t}", "*"):
        if key in table:
            return dict(table[key])
    return {"engine": "none"}


def get_engine(name: str | None = None, source: str = "en", target: str = "", **options) -> Engine:
    """The engine `name` (or the one configured for source>target) with its options."""
    config = pair_config(source, target) if name is None else {"engine": name}
    if name is not None:
        # An explicitly named engine still takes the pair's options when they are for the same engine.
        pair = pair_config(source, target)
        if pair.get("engine") == name:
            config = pair
    config.update(options)
    engine_name = config.pop("engine", "none")
    try:
        target_path = ENGINES[engine_name]
    except KeyError:
        raise EngineError(f"unknown translation engine {engine_name!r}; known: {', '.join(sorted(ENGINES))}") from None
    module_name, _, attr = target_path.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls(**config)
