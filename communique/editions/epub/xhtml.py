"""Blocks and inlines to XHTML by string building (a DOM per chapter would dominate build time)."""
from __future__ import annotations

import re

from communique.documents.model import Heading, Image, Link, Table, plain_text
from communique.documents.serialise.html import (  # noqa: F401  (esc, attr: the EPUB writer's names)
    EXTERNAL_SCHEMES,
    XML_INVALID,
    HtmlSerialiser,
    attr,
    esc,
    url,
)

_ID_BAD = re.compile(r"[^\w.-]+")



def make_id(raw: str, fallback: str) -> str:
    """An XML NCName from `raw` (heading ids, division ids), or `fallback`."""
    ident = _ID_BAD.sub("-", raw or "").strip("-")
    if not ident:
        return fallback
    if not (ident[0].isalpha() or ident[0] == "_"):
        ident = "id-" + ident
    return ident



HTML_DOC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
    'lang="{lang}" xml:lang="{lang}" dir="{dir}">\n<head>\n<meta charset="utf-8"/>\n<title>{title}</title>\n'
    '<link rel="stylesheet" type="text/css" href="{css}"/>\n</head>\n<body{body_attrs}>\n{body}\n</body>\n</html>\n'
)


def html_document(*, lang, direction, title, body, css="../styles/book.css", body_attrs="") -> str:
    doc = HTML_DOC.format(
        lang=attr(lang), dir=direction, title=esc(title), css=css, body_attrs=body_attrs, body=body
    )
    return XML_INVALID.sub("", doc)


class Renderer(HtmlSerialiser):
    """Renders one book's blocks through the shared serialiser (communique.documents.serialise.html).
    Holds the state that crosses files: note numbers and homes, the id → file map for internal
    links, prepared images, and what the writer must report."""

    def __init__(self, document, images, anchors, report):
        super().__init__(warn=report.warn, xhtml=True, epub=True, notes="linked", notes_table=document.notes)
        self.document = document
        self.images = images  # {source path: (href or None, PreparedImage or None)}
        self.anchors = anchors  # {source id: "file.xhtml#xmlid"}
        self.report = report
        self.alt_missing = 0
        self.tables_without_headers = 0
        self.images_rendered = 0
        self.heading_ids: dict[int, str] = {}  # id(Heading) → XML id, assigned by the writer's first pass

    def link(self, node: Link) -> str:
        inner = self.inlines(node.children)
        href = (node.href or "").strip()
        if href.startswith(EXTERNAL_SCHEMES):
            return f'<a href="{url(href)}">{inner}</a>'
        if href.startswith("#"):
            target = self.anchors.get(href[1:])
            if target:
                if target.startswith(self.file + "#"):
                    target = target[len(self.file):]
                return f'<a href="{attr(target)}">{inner}</a>'
        self.report.warn(self.where, f"link to {href!r} dropped (not a web address or a known anchor); its text kept")
        return inner

    def heading_id(self, b: Heading) -> str:
        return self.heading_ids.get(id(b), "")

    def locator_href(self, mark_id: str) -> str:
        # Index locators point at marks in other files (EPUB Indexes 1.0).
        target = self.anchors.get(mark_id, f"#{mark_id}")
        return target[len(self.file):] if target.startswith(self.file + "#") else target

    def table(self, b: Table) -> str:
        if b.rows and not any(c.header for row in b.rows for c in row):
            self.tables_without_headers += 1
        return super().table(b)

    def figure(self, b: Image) -> str:
        href, prepared = self.images.get(str(b.path), (None, None))
        figcaption = self.figcaption(b)
        if href is None:
            # The image could not be used (reported when it was prepared); keep the words around it.
            if not figcaption:
                if b.alt:
                    return f'<p class="missing-image">[{esc(b.alt)}]</p>'
                return ""
            return f'<figure class="missing-image">{figcaption}</figure>'
        alt = b.alt.strip()
        if not alt:
            self.alt_missing += 1
        elif len(alt) >= 140:
            self.report.warn(self.where, f"alt text of {b.path.name} is {len(alt)} characters; KDP asks for fewer than 140")
        self.images_rendered += 1
        return (
            f'<figure><img src="../{href}" alt="{attr(alt)}" width="{prepared.width}" height="{prepared.height}"/>'
            f"{figcaption}</figure>"
        )


def heading_text(h: Heading) -> str:
    return plain_text(h.children)
