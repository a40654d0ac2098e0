"""Document → print HTML for WeasyPrint.

The same builder makes one HTML file for the whole book (single-pass path) or one per
top-level division (the parallel path), so both paths print identical pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from communique.documents import model as m
from communique.editions.pdf.bidi import isolate_latin
from communique.documents.model import direction_for
from communique.documents.serialise.html import HtmlSerialiser

from .images import place_image



def font_face_css(language: str) -> str:
    """@font-face rules pointing at the fonts shipped in communique/editions/fonts, so the
    PDF embeds the same faces on every machine; fontconfig's Noto/DejaVu stand behind them."""
    from communique.documents.languages import get as get_language
    from communique.editions.fonts import body_family, fonts_for

    entry = get_language(language)
    rules = []
    for face in fonts_for(language):
        # heading faces (sans) are not used by the print stylesheets; loading costs time
        if face.role == "body" and face.path.exists():
            rules.append(f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
                         f"font-weight: {face.weight}; font-style: {face.style}; }}")
    # The leading is the registry's: Nastaliq needs tall lines for its ascenders and descenders.
    rules.append(f"html {{ font-family: {body_family(language)}, \"DejaVu Serif\"; }}\n"
                 f"body {{ line-height: {entry.line_height}; }}")
    if entry.heading_line_height:
        # Tall scripts: headline lines must not overlap one another or the rule above them.
        lh = entry.heading_line_height
        rules.append(f"h1, h2, h3, h4, h5, h6, .subtitle, .byline, .masthead, nav.toc li {{ line-height: {lh} !important; }}\n"
                     "section.article > header .label { padding-bottom: 0.5em; margin-bottom: 0.4em; line-height: 1.6; }\n"
                     "section.article > header h1 { margin-top: 0.3em; }")
    if entry.is_rtl:
        rules.append('bdi.latin { unicode-bidi: isolate; font-family: "Noto Serif", serif; }')
    if not entry.has_italic:
        # No italic tradition (Nastaliq, Naskh, Devanagari, CJK): a slanted face would be a
        # synthetic oblique. Emphasis is set bold instead; Latin runs keep their italics.
        margin_boxes = " ".join(f"@{box} {{ font-style: normal !important; }}"
                                for box in ("top-left", "top-right", "top-center", "bottom-center"))
        rules.append("html, body, body * { font-style: normal !important; }\n"
                     "em, i { font-weight: bold; }\n"
                     f"@page {{ {margin_boxes} }}")
    return "\n".join(rules)


# Pages set before the chapters, without folios (book.css: page "front").
FRONT_PAGE_KINDS = {"halftitlepage", "seriespage", "titlepage", "copyright-page", "dedication", "epigraph", "toc"}
_ID_RE = re.compile(r"[^A-Za-z0-9_-]+")
_INDEX_SLOT = re.compile(r"<!--ix:(\d+)-->.*?<!--/ix:\1-->", re.S)


@dataclass
class TocEntry:
    id: str
    title: str
    kind: str
    depth: int
    label: str = ""
    byline: str = ""


@dataclass
class Unit:
    """A top-level division as HTML: the unit the parallel path lays out on its own."""

    id: str
    title: str
    html: str
    words: int = 0
    kind: str = ""  # the division's kind ("index" is laid out after the pages it points at)


@dataclass
class HtmlBuilder:
    document: m.Document
    kind: str  # "book" | "magazine"
    image_width_in: float
    image_height_in: float
    warn: callable
    toc: list[TocEntry] = field(default_factory=list)
    _ids: set = field(default_factory=set)
    _serialiser: "PrintSerialiser | None" = None
    # The back-of-book index: ids of the marks in the text, and per entry the marks it locates
    # (filled in with page numbers once the text is laid out: fill_index).
    index_marks: dict = field(default_factory=dict)  # mark id in the document → id in the HTML
    index_slots: list = field(default_factory=list)  # [(mark ids in the HTML, range style)]

    @property
    def meta(self) -> m.Metadata:
        return self.document.meta

    # ---- inlines and blocks: the shared serialiser, configured for print ----

    @property
    def serialiser(self) -> "PrintSerialiser":
        if self._serialiser is None:
            self._serialiser = PrintSerialiser(self)
        return self._serialiser

    def text(self, value: str) -> str:
        """Escaped text; in a right-to-left book each Latin run is bidi-isolated."""
        escaped = escape(value, quote=False)
        return isolate_latin(escaped) if self.meta.direction == "rtl" else escaped

    def inlines(self, nodes) -> str:
        return self.serialiser.inlines(nodes)

    def footnote(self, note_id: str) -> str:
        return self.serialiser.note_node(m.NoteRef(note_id))

    def blocks(self, blocks) -> str:
        return self.serialiser.blocks(blocks)

    def block(self, b) -> str:
        return self.serialiser.blocks([b])

    def image(self, b: m.Image) -> str:
        return self.serialiser.figure(b)

    # ---- structure ----

    def unique_id(self, wanted: str, fallback: str = "d") -> str:
        base = _ID_RE.sub("-", wanted or "").strip("-") or fallback
        if base[0].isdigit():
            base = f"{fallback}-{base}"
        candidate, n = base, 2
        while candidate in self._ids:
            candidate, n = f"{base}-{n}", n + 1
        self._ids.add(candidate)
        return candidate

    def units(self) -> tuple[list[m.Division], list[Unit]]:
        """(the opening pages printed with the contents, body units in reading order).

        The opening is the leading run of divisions of FRONT_PAGE_KINDS (the title pages, copyright,
        dedication, epigraph and the contents' place): unnumbered pages laid out together, once the
        chapters' page numbers are known. Everything after it is a unit."""
        front_special, units = [], []
        divisions = self.document.divisions
        lead = 0
        while lead < len(divisions) and divisions[lead].kind in FRONT_PAGE_KINDS:
            front_special.append(divisions[lead])
            lead += 1
        for i, div in enumerate(divisions[lead:], start=lead):
            units.append(self.division(div, depth=0, index=i))
        return front_special, units

    def division(self, div: m.Division, depth: int, index: int) -> Unit:
        did = self.unique_id(div.id or f"div-{index + 1}", "div")
        byline = ", ".join(c.name for c in div.contributors if c.role == "author")
        title = div.title or div.label or div.kind.replace("-", " ").title()
        self.toc.append(TocEntry(did, title, div.kind, depth, div.section_label, byline))
        kind_class = "part" if div.kind == "part" else ("article" if self.kind == "magazine" else "chapter")
        parts = [f'<section class="{kind_class} {escape(div.kind)}" id="{did}">', "<header>"]
        if div.section_label:
            parts.append(f'<div class="label">{escape(div.section_label)}</div>')
        if div.title or not div.label:  # a labelled page without a title (a dedication) shows none
            parts.append(f"<h1>{self.text(title)}</h1>")
        if div.subtitle:
            parts.append(f'<div class="subtitle">{self.text(div.subtitle)}</div>')
        if byline:
            parts.append(f'<div class="byline">{self.text(byline)}</div>')
        parts.append("</header>")
        body = _mark_initial(self.blocks(div.blocks)) if self.kind == "book" else self.blocks(div.blocks)
        if self.kind == "magazine" and div.kind != "part":
            # Two columns help long text on A4; a short piece reads better in one measure.
            cols = " columns" if _word_count(div.blocks) > 350 else ""
            parts.append(f'<div class="article-body{cols}">{body}</div>')
        else:
            parts.append(body)
        bios = [c for c in div.contributors if c.bio]
        if bios:
            parts.append('<aside class="bios">' + "".join(
                f"<p><strong>{escape(c.name)}</strong>"
                f"{', ' + escape(c.role_line) if c.role_line else ''} — {escape(c.bio)}</p>" for c in bios)
                + "</aside>")
        words = _word_count(div.blocks)
        for j, child in enumerate(div.children):
            u = self.division(child, depth + 1, index * 1000 + j)
            parts.append(u.html)
            words += u.words
        parts.append("</section>")
        return Unit(did, title, "\n".join(parts), words, div.kind)

    # ---- the back-of-book index ----

    def fill_index(self, html: str, pages: dict[str, int]) -> str:
        """The index's locators as the page numbers the marks landed on (pages: HTML id → page),
        consecutive pages joined or given "f."/"ff." as the index's house style says."""
        from communique.documents.index_nodes import format_run, page_runs

        def replace(m):
            marks, style = self.index_slots[int(m.group(1))]
            first_mark = {}
            for mark in marks:
                if mark in pages:
                    first_mark.setdefault(pages[mark], mark)
            runs = page_runs(first_mark)
            if self.kind == "magazine":  # an issue's links stay links: each run goes to its first mark
                return ", ".join(f'<a class="ix-page" href="#{first_mark[a]}">{format_run(a, b, style)}</a>'
                                 for a, b in runs)
            return ", ".join(f'<span class="ix-page">{format_run(a, b, style)}</span>' for a, b in runs)

        return _INDEX_SLOT.sub(replace, html)

    @property
    def index_anchor_ids(self) -> set[str]:
        return set(self.index_marks.values())

    # ---- front matter ----

    def front(self, special: list[m.Division], page_numbers: dict[str, int] | None) -> str:
        """The opening pages, as the document gives them; the contents where its division stands."""
        out = []
        for div in special:
            if div.kind == "toc":
                out.append(self.contents(page_numbers, div.title))
                continue
            parts = [f'<section class="front {escape(div.kind)}">']
            if div.kind == "copyright-page":
                parts.append('<div class="spacer"></div>')
            if div.title:
                parts.append(f"<h1>{self.text(div.title)}</h1>")
            parts.append(self.blocks(div.blocks))
            parts.append("</section>")
            out.append("".join(parts))
        return "\n".join(out)

    def contents(self, page_numbers: dict[str, int] | None, title: str = "") -> str:
        """Contents; with page_numbers=None the numbers come from target-counter()."""
        heading = f"<h1>{self.text(title)}</h1>" if title else ""
        items = []
        for e in self.toc:
            cls = "part" if e.kind == "part" else ("child" if e.depth else "")
            label = f'<span class="toc-label">{escape(e.label)}</span>' if (e.label and self.kind == "magazine") else ""
            by = f'<span class="toc-by">{escape(e.byline)}</span>' if (e.byline and self.kind == "magazine") else ""
            if page_numbers is None:
                # target-counter() reads attr() of the element that owns the ::after
                number, ref = "", f' data-ref="#{e.id}"'
            else:
                number, ref = str(page_numbers[e.id]), ""
            # Magazine contents are clickable; a print book's are not (KDP: no annotations).
            tag, href = ("a", f' href="#{e.id}"') if self.kind == "magazine" else ("span", "")
            items.append(f'<li class="{cls}"><{tag} class="toc-link"{href}>'
                         f'<span class="toc-title">{label}{escape(e.title)}{by}</span>'
                         f'<span class="toc-page"{ref}>{number}</span></{tag}></li>')
        return (f'<nav class="front toc" id="contents">{heading}<ol>'
                + "".join(items) + "</ol></nav>")

    def cover(self) -> str:
        meta = self.meta
        parts = ['<section class="cover">', f'<div class="masthead">{escape(meta.title)}</div>']
        issue = " · ".join(x for x in (meta.subtitle, meta.date) if x)
        if issue:
            parts.append(f'<div class="issue">{escape(issue)}</div>')
        if meta.cover_image:
            placed = place_image(Path(meta.cover_image), 6.9, 4.7, self.warn)
            if placed is not None:
                parts.append(f'<img src="{placed.path.resolve().as_uri()}" alt="" '
                             f'style="width: {placed.width_in}in; height: {placed.height_in}in">')
        parts.append("<ul>")
        for e in [e for e in self.toc if e.depth == 0][:5]:
            label = f'<span class="label">{escape(e.label)}</span>' if e.label else ""
            parts.append(f"<li>{label}{escape(e.title)}</li>")
        parts.append("</ul></section>")
        return "\n".join(parts)

    # ---- the page ----

    def page(self, body: str) -> str:
        meta = self.meta
        lang = escape(meta.language or "en")
        head = [f"<title>{escape(meta.title)}</title>",
                '<meta name="generator" content="Communiqué">']
        for c in meta.authors:
            head.append(f'<meta name="author" content="{escape(c.name)}">')
        subject = meta.description or meta.subtitle
        if subject:
            head.append(f'<meta name="description" content="{escape(subject)}">')
        if meta.subjects:
            head.append(f'<meta name="keywords" content="{escape(", ".join(meta.subjects))}">')
        if meta.date and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", meta.date):
            # The document's own date, never "now", so two builds give the same bytes.
            head.append(f'<meta name="dcterms.created" content="{meta.date}">')
            head.append(f'<meta name="dcterms.modified" content="{meta.date}">')
        return (f'<!DOCTYPE html><html lang="{lang}" dir="{meta.direction}"><head><meta charset="utf-8">'
                + "".join(head) + f'</head><body class="{self.kind}" data-title="{escape(meta.title)}">\n{body}</body></html>')


class PrintSerialiser(HtmlSerialiser):
    """The shared serialiser for a print interior: notes float to the foot of the page (CSS GCPM
    `float: footnote` on span.fn), a book's links are text (KDP wants no annotations in a print
    interior; a magazine keeps them), images are placed at print size, ids are unique in the book."""

    def __init__(self, builder: "HtmlBuilder"):
        super().__init__(warn=builder.warn, notes="inline", links="keep" if builder.kind == "magazine" else "text",
                         heading_offset=1, max_heading=4, notes_table=builder.document.notes)
        self.builder = builder
        self.where = "pdf"

    def warn(self, message: str) -> None:
        self._warn(self.where, message)

    def text(self, n: m.Text) -> str:
        return self.builder.text(n.text)  # bidi-isolated Latin runs in right-to-left books

    def note_node(self, n: m.NoteRef) -> str:
        if n.note_id not in self.notes:
            self._warn(f"note {n.note_id}", "referenced but not defined; reference dropped")
            return ""
        return self.inline_note(n.note_id)

    def heading(self, b: m.Heading) -> str:
        level = min(max(b.level, 1), 3) + 1  # a division's own title is the <h1>
        hid = f' id="{self.builder.unique_id(b.id)}"' if b.id else ""
        return f"<h{level}{hid}>{self.inlines(b.children)}</h{level}>"

    def index_mark(self, n) -> str:
        html_id = self.builder.unique_id(n.id, "ix")
        self.builder.index_marks[n.id] = html_id
        return f'<span id="{html_id}">{self.inlines(n.children)}</span>'

    def index_block(self, b) -> str:
        self._index_style = b.ranges
        return super().index_block(b)

    def _xref(self, kind: str, heading: str) -> str:
        if self.links == "text":  # a print book carries no links (KDP)
            return f'<span class="link">{escape(heading)}</span>'
        return super()._xref(kind, heading)

    def index_locators(self, entry) -> str:
        # Laid out first with target-counter() on the first mark of each division (a valid index on
        # its own); fill_index() then puts the real pages in, ranges joined.
        marks = [self.builder.index_marks[loc.mark] for loc in entry.locators if loc.mark in self.builder.index_marks]
        slot = len(self.builder.index_slots)
        self.builder.index_slots.append((marks, getattr(self, "_index_style", "join")))
        seen_div, refs = set(), []
        for loc in entry.locators:
            if loc.division not in seen_div and loc.mark in self.builder.index_marks:
                seen_div.add(loc.division)
                refs.append(self.builder.index_marks[loc.mark])
        inner = ", ".join(f'<span class="ix-page" data-ref="#{r}"></span>' for r in refs)
        return f"<!--ix:{slot}-->{inner}<!--/ix:{slot}-->"

    def pullquote(self, b: m.PullQuote) -> str:
        cite = f"<cite>{escape(b.attribution)}</cite>" if b.attribution else ""
        return f'<aside class="pullquote"><p>{escape(b.text)}</p>{cite}</aside>'

    def code_block(self, b: m.CodeBlock) -> str:
        return f"<pre>{escape(b.text, quote=False)}</pre>"

    def figure(self, b: m.Image) -> str:
        placed = place_image(Path(b.path), self.builder.image_width_in, self.builder.image_height_in, self._warn)
        caption = escape(b.caption) if b.caption else ""
        credit = f' <span class="credit">{escape(b.credit)}</span>' if b.credit else ""
        if placed is None:
            text = caption or escape(b.alt) or "image"
            return f'<div class="missing-image">[{text}]</div>'
        cap = f"<figcaption>{caption}{credit}</figcaption>" if (caption or credit) else ""
        return (f'<figure><img src="{placed.path.resolve().as_uri()}" alt="{escape(b.alt)}" '
                f'style="width: {placed.width_in}in; height: {placed.height_in}in">{cap}</figure>')


_INITIAL = re.compile(r"^<p>([“\"‘'(«]?\w)")


def _mark_initial(body: str) -> str:
    """The first letter (with an opening quote) of a division's first paragraph in span.initial,
    for a theme's drop cap (editions/themes.py); unstyled, it changes nothing."""
    return _INITIAL.sub(lambda m_: f'<p><span class="initial">{m_.group(1)}</span>', body, count=1)


def _block_text(b) -> str:
    if isinstance(b, m.Paragraph):
        return m.plain_text(b.children)
    if isinstance(b, m.Heading):
        return m.plain_text(b.children)
    if isinstance(b, (m.CodeBlock,)):
        return b.text
    if isinstance(b, m.PullQuote):
        return b.text
    if isinstance(b, m.BlockQuote):
        return " ".join(_block_text(x) for x in b.blocks)
    if isinstance(b, m.ListBlock):
        return " ".join(_block_text(x) for item in b.items for x in item)
    return ""


def _word_count(blocks) -> int:
    return sum(len(_block_text(b).split()) for b in blocks)
