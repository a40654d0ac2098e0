"""Transforms: ordered steps between a reader and a writer, each Document → Document.

    from communique.documents import transforms
    document = transforms.run(document, ["matter", "ids", "number-chapters"])

A transform is a function `(document, options) -> Document` (it may change the document in place
and return it). It reports what it changed or could not do with `document.warn(...)`; `run` marks
those warnings as the transform's, so they reach every writer's report and the CLI like the
reader's. Writers never know which transforms ran: they see a Document.

Adding one is one module in this package plus one line in TRANSFORMS. Translation and the index
(later work) are transforms too; they keep this signature."""
from __future__ import annotations

import importlib

from communique.documents.model import Document

# name → "module:function", in the order `run` applies them when asked for several.
TRANSFORMS: dict[str, str] = {
    "translate": "communique.translation.transform:translate",  # first: the others work on the translation
    "matter": "communique.documents.transforms.matter:add_matter",
    "ids": "communique.documents.transforms.ids:unique_ids",
    "number-chapters": "communique.documents.transforms.numbering:number_chapters",
    "index": "communique.documents.transforms.index:add_index",  # last: it marks the final text
}


class UnknownTransform(LookupError):
    pass


def get(name: str):
    try:
        target = TRANSFORMS[name]
    except KeyError:
        raise UnknownTransform(f"No transform {name!r}; known: {', '.join(TRANSFORMS)}") from None
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def run(document: Document, names, options: dict | None = None) -> Document:
    """Apply the named transforms in registry order (each once), whatever order they were given in."""
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        get(name)  # unknown names fail before anything changes
    for name in [n for n in TRANSFORMS if n in wanted]:
        before = len(document.warnings)
        document = get(name)(document, dict(options or {}))
        for w in document.warnings[before:]:
            w.stage = w.stage or "transform"
            w.where = w.where or name
    return document
