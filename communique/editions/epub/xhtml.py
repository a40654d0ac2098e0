"""Blocks and inlines to XHTML by string building (a DOM per chapter would dominate build time)."""
from __future__ import annotations

import re
from urllib.parse import quote

from communique.documents.model import (
    BlockQuote,
    Code,
    CodeBlock,
    Emph,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    PullQuote,
    SmallCaps,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_BAD = re.compile(r"[^\w.-]+")


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def make_id(raw: str, fallback: str) -> str:
    """An XML NCName from `raw` (heading ids, division ids), or `fallback`."""
    ident = _ID_BAD.sub("-", raw or "").strip("-")
    if not ident:
        return fallback
    if not (ident[0].isalpha() or ident[0] == "_"):
        ident = "id-" + ident
    return ident


_SAFE_URL = ":/?#[]@!$&'()*+,;=%~-._"
EXTERNAL_SCHEMES = ("http://", "https://", "mailto:", "tel:")

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


class Renderer:
    """Renders one book's blocks. Holds the state that crosses files: note numbers and homes,
    the id → file map for internal links, prepared images, and what the writer must report."""

    def __init__(self, document, images, anchors, report):
        self.document = document
        self.notes = document.notes
        self.images = images  # {source path: (href or None, PreparedImage or None)}
        self.anchors = anchors  # {source id: "file.xhtml#xmlid"}
        self.report = report
        self.note_number: dict[str, int] = {}
        self.note_home: dict[str, str] = {}  # note id → file holding its aside
        self.note_refs: dict[str, int] = {}  # how many times each note is referenced
        self.file = ""
        self.pending_notes: list[str] = []
        self.where = ""
        self.alt_missing = 0
        self.tables_without_headers = 0
        self.images_rendered = 0
        self.heading_ids: dict[int, str] = {}  # id(Heading) → XML id, assigned by the writer's first pass

    # ---- inlines -----------------------------------------------------------------------
    def inlines(self, nodes) -> str:
        out = []
        append = out.append
        for n in nodes:
            t = type(n)
            if t is Text:
                append(esc(n.text))
            elif t is Emph:
                append("<em>" + self.inlines(n.children) + "</em>")
            elif t is Strong:
                append("<strong>" + self.inlines(n.children) + "</strong>")
            elif t is NoteRef:
                append(self.noteref(n.note_id))
            elif t is Link:
                append(self.link(n))
            elif t is Superscript:
                append("<sup>" + self.inlines(n.children) + "</sup>")
            elif t is Subscript:
                append("<sub>" + self.inlines(n.children) + "</sub>")
            elif t is Code:
                append("<code>" + esc(n.text) + "</code>")
            elif t is LineBreak:
                append("<br/>")
            elif t is Strikeout:
                append("<s>" + self.inlines(n.children) + "</s>")
            elif t is SmallCaps:
                append('<span class="smallcaps">' + self.inlines(n.children) + "</span>")
            elif hasattr(n, "children"):
                append(self.inlines(n.children))
            elif hasattr(n, "text"):
                append(esc(n.text))
        return "".join(out)

    def link(self, node: Link) -> str:
        inner = self.inlines(node.children)
        href = (node.href or "").strip()
        if href.startswith(EXTERNAL_SCHEMES):
            return f'<a href="{attr(quote(href, safe=_SAFE_URL))}">{inner}</a>'
        if href.startswith("#"):
            target = self.anchors.get(href[1:])
            if target:
                if target.startswith(self.file + "#"):
                    target = target[len(self.file):]
                return f'<a href="{attr(target)}">{inner}</a>'
        self.report.warn(self.where, f"link to {href!r} dropped (not a web address or a known anchor); its text kept")
        return inner

    def noteref(self, note_id: str) -> str:
        if note_id not in self.notes:
            self.report.warn(self.where, f"reference to undefined note {note_id!r} dropped")
            return ""
        n = self.note_number.get(note_id)
        if n is None:
            n = self.note_number[note_id] = len(self.note_number) + 1
            self.note_home[note_id] = self.file
            self.pending_notes.append(note_id)
        count = self.note_refs[note_id] = self.note_refs.get(note_id, 0) + 1
        ref_id = f"fnref-{n}" if count == 1 else f"fnref-{n}-{count}"
        home = self.note_home[note_id]
        href = f"#fn-{n}" if home == self.file else f"{home}#fn-{n}"
        return f'<a class="noteref" epub:type="noteref" role="doc-noteref" id="{ref_id}" href="{href}">{n}</a>'

    # ---- blocks ------------------------------------------------------------------------
    def blocks(self, blocks, heading_offset=1) -> str:
        out = []
        append = out.append
        for b in blocks:
            t = type(b)
            if t is Paragraph:
                inner = self.inlines(b.children)
                if inner.strip():
                    append("<p>" + inner + "</p>")
            elif t is Heading:
                level = min(6, max(1, b.level) + heading_offset)
                inner = self.inlines(b.children)
                if not inner.strip():
                    continue  # an empty heading is noise to a screen reader
                hid = self.heading_ids.get(id(b))
                id_attr = f' id="{hid}"' if hid else ""
                append(f"<h{level}{id_attr}>{inner}</h{level}>")
            elif t is Image:
                append(self.figure(b))
            elif t is BlockQuote:
                append("<blockquote>" + self.blocks(b.blocks, heading_offset) + "</blockquote>")
            elif t is ListBlock:
                append(self.list_block(b, heading_offset))
            elif t is Table:
                append(self.table(b))
            elif t is PullQuote:
                attribution = f'<p class="attribution">— {esc(b.attribution)}</p>' if b.attribution else ""
                append(f'<aside class="pullquote" epub:type="pullquote"><p>{esc(b.text)}</p>{attribution}</aside>')
            elif t is CodeBlock:
                append("<pre><code>" + esc(b.text) + "</code></pre>")
            elif t is ThematicBreak:
                append('<hr class="break"/>')
            else:
                self.report.warn(self.where, f"unsupported block {t.__name__} dropped")
        return "\n".join(out)

    def list_block(self, b: ListBlock, heading_offset) -> str:
        tag = "ol" if b.ordered else "ul"
        items = []
        for item in b.items:
            if len(item) == 1 and type(item[0]) is Paragraph:
                items.append("<li>" + self.inlines(item[0].children) + "</li>")
            else:
                items.append("<li>" + self.blocks(item, heading_offset) + "</li>")
        if not items:
            return ""
        return f"<{tag}>" + "".join(items) + f"</{tag}>"

    def table(self, b: Table) -> str:
        if not b.rows:
            return ""
        out = ["<table>"]
        if b.caption:
            out.append("<caption>" + esc(b.caption) + "</caption>")
        rows = b.rows
        has_header = any(c.header for row in rows for c in row)
        if not has_header:
            self.tables_without_headers += 1
        head_rows = []
        while rows and rows[0] and all(c.header for c in rows[0]):
            head_rows.append(rows[0])
            rows = rows[1:]
        if head_rows:
            out.append("<thead>")
            for row in head_rows:
                out.append("<tr>" + "".join(f'<th scope="col">{self.inlines(c.children)}</th>' for c in row) + "</tr>")
            out.append("</thead>")
        if rows:
            out.append("<tbody>")
            for row in rows:
                cells = []
                for c in row:
                    if c.header:
                        cells.append(f'<th scope="row">{self.inlines(c.children)}</th>')
                    else:
                        cells.append(f"<td>{self.inlines(c.children)}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody>")
        out.append("</table>")
        return "".join(out)

    def figure(self, b: Image) -> str:
        href, prepared = self.images.get(str(b.path), (None, None))
        caption = esc(b.caption) if b.caption else ""
        if b.credit:
            caption += (" " if caption else "") + f'<span class="credit">{esc(b.credit)}</span>'
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
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

    # ---- notes -------------------------------------------------------------------------
    def flush_notes(self) -> str:
        """The asides for notes first referenced in the current file (and notes they reference)."""
        if not self.pending_notes:
            return ""
        out = ['<section class="footnotes" epub:type="footnotes">']
        while self.pending_notes:
            note_id = self.pending_notes.pop(0)
            n = self.note_number[note_id]
            back = f'<a class="backlink" role="doc-backlink" href="#fnref-{n}">{n}.</a> '
            body = self.blocks(self.notes[note_id], heading_offset=3)
            if body.startswith("<p>"):
                body = "<p>" + back + body[3:]
            else:
                body = "<p>" + back + "</p>" + body
            out.append(f'<aside class="footnote" epub:type="footnote" role="doc-footnote" id="fn-{n}">{body}</aside>')
        out.append("</section>")
        return "\n".join(out)


def heading_text(h: Heading) -> str:
    return plain_text(h.children)
