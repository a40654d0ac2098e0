"""Front and back matter kept outside the manuscript (the author portal's fields, front-matter keys
such as `dedication:`) become divisions, unless the manuscript already has one of that kind or
title. Front matter goes after the manuscript's own front matter, back matter at the end.

options["matter"] is a mapping of key → text (paragraphs separated by blank lines); without it the
document's own front matter is used. options["titles"] overrides the (English) division titles,
for a book in another language until the language registry supplies translated labels."""
from __future__ import annotations

from communique.documents.model import Division, Document, Paragraph, Text

SPEC = (  # key, division kind, default title, front or back
    ("dedication", "dedication", "", "front"),
    ("epigraph", "epigraph", "", "front"),
    ("foreword", "foreword", "Foreword", "front"),
    ("acknowledgements", "acknowledgments", "Acknowledgements", "back"),
    ("about_the_author", "about-the-author", "About the Author", "back"),
)


def _paragraphs(text: str) -> list:
    return [Paragraph([Text(" ".join(p.split()))]) for p in str(text).split("\n\n") if p.strip()]


def add_matter(document: Document, options: dict) -> Document:
    matter = options.get("matter")
    if matter is None:
        matter = document.front_matter or {}
    titles = options.get("titles") or {}
    have = {d.kind for d in document.walk_divisions()}
    have_titles = {(d.title or "").strip().lower() for d in document.walk_divisions()}
    front, back = [], []
    for key, kind, title, where in SPEC:
        value = matter.get(key)
        if value is not None and not isinstance(value, str):
            document.warn(key, f"'{key}' must be text; left out")
            continue
        text = value or ""
        title = titles.get(kind, title)
        if not text.strip():
            continue
        if kind in have or (title and title.lower() in have_titles):
            document.warn(key, f"the manuscript already has a {kind.replace('-', ' ')}; '{key}' left out")
            continue
        (front if where == "front" else back).append(Division(kind=kind, title=title, blocks=_paragraphs(text)))
    if front or back:
        first_body = next((i for i, d in enumerate(document.divisions) if d.matter != "front"),
                          len(document.divisions))
        document.divisions[first_body:first_body] = front
        document.divisions.extend(back)
    return document
