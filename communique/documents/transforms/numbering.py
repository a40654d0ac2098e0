"""Chapter numbers as the chapters' labels ("Chapter 3"), for every writer alike. Front and back
matter and parts are not numbered; a chapter that already has a label keeps it. The word comes
from options["label"] (default "Chapter"; a language's own word once the language registry
provides translated labels)."""
from __future__ import annotations

from communique.documents.model import Document


def number_chapters(document: Document, options: dict) -> Document:
    word = str(options.get("label") or "Chapter")
    n = 0
    for div in document.walk_divisions():
        if div.kind != "chapter":
            continue
        n += 1
        if div.section_label:
            continue
        div.section_label = f"{word} {n}"
    if n == 0:
        document.warn("", "no chapters to number")
    return document
