"""Every division and heading gets an id, unique in the document, so internal links and contents
entries resolve the same way in every writer. Ids the source gave are kept; a repeated one is
renamed (and links to it keep pointing at its first holder, as in HTML)."""
from __future__ import annotations

import re

from communique.documents.model import Document, Heading, plain_text

_BAD = re.compile(r"[^\w-]+")


def _slug(text: str, fallback: str) -> str:
    slug = _BAD.sub("-", text.lower()).strip("-")[:60].strip("-")
    return slug if slug and not slug[0].isdigit() else f"{fallback}-{slug}" if slug else fallback


def unique_ids(document: Document, options: dict) -> Document:
    used: set[str] = set()

    def claim(wanted: str, fallback: str, where: str, given: bool) -> str:
        candidate, n = wanted, 2
        while candidate in used:
            candidate, n = f"{wanted}-{n}", n + 1
        if given and candidate != wanted:
            document.warn(where, f"id {wanted!r} is used twice; the second is now {candidate!r}")
        used.add(candidate)
        return candidate

    for i, div in enumerate(document.walk_divisions(), start=1):
        div.id = claim(div.id or _slug(div.title, f"division-{i}"), f"division-{i}", div.title or div.kind, bool(div.id))
    for div, block in document.walk_blocks():
        if isinstance(block, Heading):
            given = bool(block.id)
            block.id = claim(block.id or _slug(plain_text(block.children), "section"), "section",
                             div.title or div.kind, given)
    return document
