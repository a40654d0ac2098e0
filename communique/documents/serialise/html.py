"""The one Document → HTML serialiser. Blocks and inlines become HTML by string building (a DOM per
chapter would dominate build time).

Writers configure it (`xhtml`, `tags`, `notes`, `links`, `heading_offset`, `max_heading`, `epub`,
`sanitise` for `fragment()`) and
override its hooks where their format differs: `link(node)`, `noteref(note_id)`, `figure(image)`,
`heading_id(heading)`, `small_caps(html)`, `pullquote(block)`. Every node type of the model has a
method here; a node a writer's target cannot hold is reported once through `warn` (see `flatten`),
never silently lost.

Notes, by `notes=`:
  "linked"  numbered references linking to asides collected by `flush_notes()` (EPUB, HTML)
  "inline"  the note's text in a <span class="fn"> at the reference (CSS GCPM footnotes, PDF)
  "marker"  "[^label]" in the text; the caller writes the notes (the Wagtail body)
"""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from communique.documents.model import (
    BLOCK_TYPES,
    INLINE_TYPES,
    BlockQuote,
    Cite,
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
from communique.documents.index_nodes import IndexBlock, IndexEntry, IndexMark, index_text

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_URL = ":/?#[]@!$&'()*+,;=%~-._"
EXTERNAL_SCHEMES = ("http://", "https://", "mailto:", "tel:")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def url(href: str) -> str:
    return attr(quote(href, safe=_SAFE_URL))


DEFAULT_TAGS = {Emph: "em", Strong: "strong", Superscript: "sup", Subscript: "sub", Strikeout: "s", Cite: "cite"}


class HtmlSerialiser:
    def __init__(self, *, warn: Callable[[str, str], None] | None = None, xhtml: bool = False,
                 tags: dict | None = None, notes: str = "linked", links: str = "keep", epub: bool = False,
                 heading_offset: int = 1, max_heading: int = 6, notes_table: dict | None = None,
                 sanitise: Callable[[str], str] | None = None):
        self._warn = warn or (lambda where, message: None)
        self.xhtml = xhtml
        self.tags = {**DEFAULT_TAGS, **(tags or {})}
        self.notes_mode = notes
        self.links = links  # "keep" or "text" (a print interior: no annotations)
        self.epub = epub
        self.heading_offset = heading_offset
        self.max_heading = max_heading
        self.notes = notes_table if notes_table is not None else {}
        self.sanitise = sanitise  # (html) → html, applied by fragment(): a target's allow-list (nh3)
        self.where = ""
        self._index_ids: dict[str, str] = {}
        self._reported: set[tuple[str, str]] = set()
        # linked notes
        self.file = ""
        self.note_number: dict[str, int] = {}
        self.note_home: dict[str, str] = {}  # note id → file holding its aside
        self.note_refs: dict[str, int] = {}
        self.pending_notes: list[str] = []
        self._inline = {Text: self.text, Emph: self.mark, Strong: self.mark, Superscript: self.mark,
                        Subscript: self.mark, Strikeout: self.mark, Cite: self.mark, SmallCaps: self.small_caps_node,
                        Code: self.code, Link: self.link, LineBreak: self.line_break, NoteRef: self.note_node,
                        IndexMark: self.index_mark}
        self._block = {Paragraph: self.paragraph, Heading: self.heading, BlockQuote: self.blockquote,
                       PullQuote: self.pullquote, Image: self.figure, Table: self.table, ListBlock: self.list_block,
                       CodeBlock: self.code_block, ThematicBreak: self.thematic_break, IndexBlock: self.index_block}
        assert set(self._inline) >= set(INLINE_TYPES) and set(self._block) >= set(BLOCK_TYPES)

    # ---- reporting ---------------------------------------------------------------------
    def warn(self, message: str) -> None:
        self._warn(self.where, message)

    def report_once(self, message: str) -> None:
        """A loss that repeats for every node of a kind is reported once per place."""
        key = (self.where, message)
        if key not in self._reported:
            self._reported.add(key)
            self._warn(self.where, message)

    def flatten(self, node, why: str) -> str:
        """The node's words without its markup, reported."""
        self.report_once(f"{type(node).__name__} {why}; its text kept")
        return self.inlines(node.children)

    # ---- inlines -----------------------------------------------------------------------
    def inlines(self, nodes) -> str:
        out = []
        for n in nodes:
            fn = self._inline.get(type(n))
            if fn is None:
                self.report_once(f"unsupported inline {type(n).__name__} dropped")
                continue
            out.append(fn(n))
        return "".join(out)

    def text(self, n: Text) -> str:
        return esc(n.text)

    def mark(self, n) -> str:
        tag = self.tags.get(type(n))
        if not tag:
            return self.flatten(n, "has no equivalent here")
        return f"<{tag}>{self.inlines(n.children)}</{tag.split()[0]}>"

    def small_caps_node(self, n: SmallCaps) -> str:
        return self.small_caps(self.inlines(n.children))

    def small_caps(self, inner: str) -> str:
        return f'<span class="smallcaps">{inner}</span>'

    def code(self, n: Code) -> str:
        return f"<code>{esc(n.text)}</code>"

    def line_break(self, n) -> str:
        return "<br/>" if self.xhtml else "<br>"

    def link(self, n: Link) -> str:
        inner = self.inlines(n.children)
        href = (n.href or "").strip()
        if self.links == "text":
            return f'<span class="link">{inner}</span>'
        if not href:
            return inner
        if href.lower().startswith(UNSAFE_SCHEMES):
            self.warn(f"link to {href[:40]!r} removed (unsafe scheme); its text kept")
            return inner
        return f'<a href="{url(href)}">{inner}</a>'

    def note_node(self, n: NoteRef) -> str:
        if n.note_id not in self.notes:
            self.warn(f"reference to undefined note {n.note_id!r} dropped")
            return ""
        if self.notes_mode == "inline":
            return self.inline_note(n.note_id)
        if self.notes_mode == "marker":
            return self.note_marker(n.note_id)
        return self.noteref(n.note_id)

    def note_marker(self, note_id: str) -> str:
        return f"[^{esc(note_id)}]"

    def inline_note(self, note_id: str) -> str:
        # A footnote floats out of its paragraph, so it must be inline content: paragraphs are
        # joined with line breaks, and other blocks keep their words.
        parts = []
        for b in self.notes[note_id]:
            if isinstance(b, (Paragraph, Heading)):
                parts.append(self.inlines(b.children))
            else:
                self.report_once(f"{type(b).__name__} inside a footnote written as plain text")
                parts.append(esc(block_text(b)))
        return f'<span class="fn">{self.line_break(None).join(parts)}</span>'

    def noteref(self, note_id: str) -> str:
        n = self.note_number.get(note_id)
        if n is None:
            n = self.note_number[note_id] = len(self.note_number) + 1
            self.note_home[note_id] = self.file
            self.pending_notes.append(note_id)
        count = self.note_refs[note_id] = self.note_refs.get(note_id, 0) + 1
        ref_id = f"fnref-{n}" if count == 1 else f"fnref-{n}-{count}"
        home = self.note_home[note_id]
        href = f"#fn-{n}" if home == self.file else f"{home}#fn-{n}"
        epub = ' epub:type="noteref"' if self.epub else ""
        return f'<a class="noteref"{epub} role="doc-noteref" id="{ref_id}" href="{href}">{n}</a>'

    def flush_notes(self) -> str:
        """The asides for notes first referenced since the last flush (and notes they reference)."""
        if not self.pending_notes:
            return ""
        epub_section = ' epub:type="footnotes"' if self.epub else ""
        epub_note = ' epub:type="footnote"' if self.epub else ""
        out = [f'<section class="footnotes"{epub_section}>']
        while self.pending_notes:
            note_id = self.pending_notes.pop(0)
            n = self.note_number[note_id]
            back = f'<a class="backlink" role="doc-backlink" href="#fnref-{n}">{n}.</a> '
            body = self.blocks(self.notes[note_id], heading_offset=3)
            body = "<p>" + back + body[3:] if body.startswith("<p>") else "<p>" + back + "</p>" + body
            out.append(f'<aside class="footnote"{epub_note} role="doc-footnote" id="fn-{n}">{body}</aside>')
        out.append("</section>")
        return "\n".join(out)

    def index_mark(self, n: IndexMark) -> str:
        # The id is what the index's locators point at (a link target, a page anchor).
        return f'<span id="{attr(n.id)}">{self.inlines(n.children)}</span>'

    # ---- blocks ------------------------------------------------------------------------
    def fragment(self, blocks) -> str:
        """Blocks as HTML, through the target's sanitiser when one is configured."""
        html = self.blocks(blocks)
        return self.sanitise(html) if self.sanitise is not None and html else html

    def blocks(self, blocks, heading_offset: int | None = None) -> str:
        saved = self.heading_offset
        if heading_offset is not None:
            self.heading_offset = heading_offset
        try:
            out = []
            for b in blocks:
                fn = self._block.get(type(b))
                if fn is None:
                    self.report_once(f"unsupported block {type(b).__name__} dropped")
                    continue
                html = fn(b)
                if html:
                    out.append(html)
            return "\n".join(out)
        finally:
            self.heading_offset = saved

    def paragraph(self, b: Paragraph) -> str:
        inner = self.inlines(b.children)
        if not inner.strip():
            return ""
        return f'<p class="{attr(b.role)}">{inner}</p>' if b.role else f"<p>{inner}</p>"

    def heading_id(self, b: Heading) -> str:
        return b.id

    def heading(self, b: Heading) -> str:
        level = min(self.max_heading, max(1, b.level) + self.heading_offset)
        inner = self.inlines(b.children)
        if not inner.strip():
            return ""  # an empty heading is noise to a screen reader
        hid = self.heading_id(b)
        id_attr = f' id="{attr(hid)}"' if hid else ""
        return f"<h{level}{id_attr}>{inner}</h{level}>"

    def blockquote(self, b: BlockQuote) -> str:
        return "<blockquote>" + self.blocks(b.blocks) + "</blockquote>"

    def pullquote(self, b: PullQuote) -> str:
        attribution = f'<p class="attribution">— {esc(b.attribution)}</p>' if b.attribution else ""
        epub = ' epub:type="pullquote"' if self.epub else ""
        return f'<aside class="pullquote"{epub}><p>{esc(b.text)}</p>{attribution}</aside>'

    def code_block(self, b: CodeBlock) -> str:
        return "<pre><code>" + esc(b.text) + "</code></pre>"

    def thematic_break(self, b) -> str:
        return '<hr class="break"/>' if self.xhtml else '<hr class="break">'

    def list_block(self, b: ListBlock) -> str:
        tag = "ol" if b.ordered else "ul"
        items = []
        for item in b.items:
            if len(item) == 1 and type(item[0]) is Paragraph:
                items.append("<li>" + self.inlines(item[0].children) + "</li>")
            else:
                items.append("<li>" + self.blocks(item) + "</li>")
        return f"<{tag}>" + "".join(items) + f"</{tag}>" if items else ""

    def table(self, b: Table) -> str:
        if not b.rows:
            return ""
        out = ["<table>"]
        if b.caption:
            out.append("<caption>" + esc(b.caption) + "</caption>")
        rows = b.rows
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

    def image_src(self, b: Image) -> str | None:
        """Where the image is, for src=; None when it cannot be used (the words around it stay)."""
        return b.path.resolve().as_uri() if b.path and b.path.exists() else None

    def figcaption(self, b: Image) -> str:
        caption = esc(b.caption) if b.caption else ""
        if b.credit:
            caption += (" " if caption else "") + f'<span class="credit">{esc(b.credit)}</span>'
        return f"<figcaption>{caption}</figcaption>" if caption else ""

    def figure(self, b: Image) -> str:
        src = self.image_src(b)
        figcaption = self.figcaption(b)
        if src is None:
            self.warn(f"image {b.path} not available; its caption and alt text kept")
            if not figcaption:
                return f'<p class="missing-image">[{esc(b.alt)}]</p>' if b.alt else ""
            return f'<figure class="missing-image">{figcaption}</figure>'
        close = "/>" if self.xhtml else ">"
        return f'<figure><img src="{attr(src)}" alt="{attr(b.alt.strip())}"{close}{figcaption}</figure>'


    # ---- the back-of-book index (documents/index_nodes.py) -----------------------------
    # EPUB Indexes 1.0 markup when `epub`; the same structure with classes elsewhere. Writers
    # override `index_locators` (a print interior prints page numbers) and `locator_href`.
    def _ix(self, epub_type: str) -> str:
        return f' epub:type="{epub_type}"' if self.epub else ""

    def locator_href(self, mark_id: str) -> str:
        return f"#{mark_id}"

    def index_locators(self, entry: IndexEntry) -> str:
        """Reflowable locators: one link per division the entry appears in, to its first mark there."""
        out, seen = [], set()
        for loc in entry.locators:
            if loc.division in seen:
                continue
            seen.add(loc.division)
            out.append(f'<a{self._ix("index-locator")} href="{attr(self.locator_href(loc.mark))}">'
                       f"{esc(loc.division_title or str(loc.division + 1))}</a>")
        return "; ".join(out)

    def _xref(self, kind: str, heading: str) -> str:
        target = self._index_ids.get(heading)
        term = f'<span{self._ix("index-term")}>{esc(heading)}</span>'
        if target:
            return f'<a{self._ix(kind)} href="#{attr(target)}">{term}</a>'
        return f"<span{self._ix(kind)}>{term}</span>"

    def index_entry(self, e: IndexEntry, block: IndexBlock) -> str:
        parts = [f'<span class="index-term"{self._ix("index-term")}>{esc(e.heading)}</span>']
        if e.see:
            parts.append(f". <em>{esc(block.see_label.capitalize())}</em> {self._xref('index-xref-preferred', e.see)}")
        elif e.locators:
            parts.append(", " + self.index_locators(e))
        if e.see_also and not e.see:
            refs = "; ".join(self._xref("index-xref-related", h) for h in e.see_also)
            parts.append(f". <em>{esc(block.see_also_label.capitalize())}</em> {refs}")
        if e.subentries:
            parts.append(f'<ul class="index-subentries"{self._ix("index-entry-list")}>'
                         + "".join(self.index_entry(s, block) for s in e.subentries) + "</ul>")
        return f'<li id="{attr(e.id)}"{self._ix("index-entry")}>' + "".join(parts) + "</li>"

    def index_block(self, b: IndexBlock) -> str:
        self._index_ids = b.entry_ids()
        level = min(self.max_heading, 1 + self.heading_offset)
        groups = []
        for label, entries in b.groups:
            items = "".join(self.index_entry(e, b) for e in entries)
            groups.append(f'<section class="index-group"{self._ix("index-group")}><h{level}>{esc(label)}</h{level}>'
                          f'<ul class="index-entries"{self._ix("index-entry-list")}>{items}</ul></section>')
        return '<div class="index-groups">' + "".join(groups) + "</div>"


def block_text(b) -> str:
    """A block's words, for places that can hold only text."""
    if isinstance(b, (Paragraph, Heading)):
        return plain_text(b.children)
    if isinstance(b, (CodeBlock, PullQuote)):
        return b.text
    if isinstance(b, BlockQuote):
        return " ".join(block_text(x) for x in b.blocks)
    if isinstance(b, ListBlock):
        return " ".join(block_text(x) for item in b.items for x in item)
    if isinstance(b, Table):
        return " ".join(plain_text(c.children) for row in b.rows for c in row)
    if isinstance(b, Image):
        return b.caption or b.alt
    if isinstance(b, IndexBlock):
        return index_text(b)
    return ""
