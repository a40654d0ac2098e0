"""HTML fragments (mammoth's DOCX output, Wagtail rich text) → blocks and inlines.

Shared by the DOCX and Wagtail readers. Whatever has no place in the model is reported through
`HtmlContext.warn`, never silently dropped."""
from __future__ import annotations

import re
from collections.abc import Callable

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
    SmallCaps,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)

_WS = re.compile(r"\s+")
NOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
INLINE_WRAPPERS = {"em": Emph, "i": Emph, "strong": Strong, "b": Strong, "sup": Superscript, "sub": Subscript,
                   "s": Strikeout, "strike": Strikeout, "del": Strikeout}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "pre", "hr",
              "div", "section", "article", "img", "dl", "aside", "header", "footer"}


class HtmlContext:
    def __init__(self, warn: Callable[[str], None], *, note_ref: Callable | None = None,
                 image: Callable | None = None, label_notes: bool = False, heading_offset: int = 1):
        self.warn = warn
        self.note_ref = note_ref  # (a element) → NoteRef, False (drop it) or None (an ordinary link)
        self.image = image  # (img element) → Image | None
        self.label_notes = label_notes  # read "[^label]" in text as a NoteRef
        self.heading_offset = heading_offset  # <h2> → Heading(level=2 - offset)
        self.pending_images: list[Image] = []
        self.note_prefix = ""  # keeps labels unique when several articles share one document


def parse_fragment(html: str):
    from lxml import html as lxml_html

    if not html or not html.strip():
        return None
    return lxml_html.fragment_fromstring(html, create_parent="div")


def _text(ctx: HtmlContext, s: str, out: list) -> None:
    if not s:
        return
    s = _WS.sub(" ", s)
    if ctx.label_notes and "[^" in s:
        pos = 0
        for m in NOTE_LABEL.finditer(s):
            if m.start() > pos:
                _append_text(out, s[pos:m.start()])
            out.append(NoteRef(ctx.note_prefix + m.group(1)))
            pos = m.end()
        if pos < len(s):
            _append_text(out, s[pos:])
        return
    _append_text(out, s)


def _append_text(out: list, s: str) -> None:
    if out and type(out[-1]) is Text:
        out[-1].text += s
    else:
        out.append(Text(s))


def inlines(el, ctx: HtmlContext) -> list:
    out: list = []
    _text(ctx, el.text, out)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        tag = tag.lower()
        if tag in INLINE_WRAPPERS:
            kids = inlines(child, ctx)
            if tag == "sup" and len(kids) == 1 and type(kids[0]) is NoteRef:
                out.append(kids[0])  # the writer styles note references itself
            else:
                out.append(INLINE_WRAPPERS[tag](kids))
        elif tag == "a":
            ref = ctx.note_ref(child) if ctx.note_ref else None
            if ref is False:
                pass  # a back-link from a note to its reference: the writer makes its own
            elif ref is not None:
                out.append(ref)
            else:
                href = child.get("href") or ""
                kids = inlines(child, ctx)
                if href and not href.startswith("#"):
                    out.append(Link(href, kids))
                elif href.startswith("#") and len(href) > 1:
                    out.append(Link(href, kids))
                else:
                    out.extend(kids)  # a bare anchor (bookmark): keep its text
        elif tag == "br":
            out.append(LineBreak())
        elif tag == "code":
            out.append(Code(child.text_content()))
        elif tag == "img":
            img = ctx.image(child) if ctx.image else None
            if img is not None:
                ctx.pending_images.append(img)
        elif tag == "span" and "small-caps" in (child.get("style") or "").replace(" ", ""):
            out.append(SmallCaps(inlines(child, ctx)))
        elif tag in ("span", "u", "mark", "small", "abbr", "cite", "q", "font", "ins", "bdi", "bdo", "time", "kbd", "var", "dfn"):
            out.extend(inlines(child, ctx))
        elif tag:
            ctx.warn(f"<{tag}> inside a paragraph kept as plain text")
            _text(ctx, child.text_content(), out)
        _text(ctx, child.tail, out)
    return out


def _strip(children: list) -> list:
    if children and type(children[0]) is Text:
        children[0].text = children[0].text.lstrip()
        if not children[0].text:
            children.pop(0)
    if children and type(children[-1]) is Text:
        children[-1].text = children[-1].text.rstrip()
        if not children[-1].text:
            children.pop()
    return children


def _paragraph(el, ctx, out):
    kids = _strip(inlines(el, ctx))
    if kids:
        out.append(Paragraph(kids))
    if ctx.pending_images:
        out.extend(ctx.pending_images)
        ctx.pending_images = []


def blocks(container, ctx: HtmlContext) -> list:
    out: list = []
    loose: list = []  # inline content directly in a container

    def flush_loose():
        if loose:
            kids = _strip(loose[:])
            if kids:
                out.append(Paragraph(kids))
            loose.clear()

    if container.text and container.text.strip():
        _text(ctx, container.text, loose)
    for el in container:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag not in BLOCK_TAGS:
            if tag:
                wrapper = container.makeelement("span")
                wrapper.append(_copy(el))
                loose.extend(inlines(wrapper, ctx))
            _text(ctx, el.tail, loose)
            continue
        flush_loose()
        if tag == "p":
            _paragraph(el, ctx, out)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            kids = _strip(inlines(el, ctx))
            if kids:
                out.append(Heading(level=max(1, int(tag[1]) - ctx.heading_offset), children=kids, id=el.get("id") or ""))
        elif tag in ("ul", "ol"):
            items = []
            for li in el:
                if isinstance(li.tag, str) and li.tag.lower() == "li":
                    has_blocks = any(isinstance(c.tag, str) and c.tag.lower() in BLOCK_TAGS for c in li)
                    if has_blocks:
                        items.append(blocks(li, ctx))
                    else:
                        kids = _strip(inlines(li, ctx))
                        items.append([Paragraph(kids)] if kids else [])
            out.append(ListBlock(ordered=tag == "ol", items=items))
        elif tag == "blockquote":
            out.append(BlockQuote(blocks(el, ctx)))
        elif tag == "table":
            out.append(table(el, ctx))
        elif tag == "pre":
            out.append(CodeBlock(el.text_content()))
        elif tag == "hr":
            out.append(ThematicBreak())
        elif tag == "img":
            img = ctx.image(el) if ctx.image else None
            if img is not None:
                out.append(img)
        elif tag == "figure":
            img_el = el.find(".//img")
            cap = el.find(".//figcaption")
            img = ctx.image(img_el) if (ctx.image and img_el is not None) else None
            if img is not None:
                if cap is not None:
                    img.caption = _WS.sub(" ", cap.text_content()).strip()
                out.append(img)
        elif tag == "dl":
            ctx.warn("definition list flattened to paragraphs")
            for child in el:
                _paragraph(child, ctx, out)
        else:  # div, section, article, aside, header, footer
            out.extend(blocks(el, ctx))
        if el.tail and el.tail.strip():
            _text(ctx, el.tail, loose)
    flush_loose()
    if ctx.pending_images:
        out.extend(ctx.pending_images)
        ctx.pending_images = []
    return out


def _copy(el):
    import copy

    c = copy.deepcopy(el)
    c.tail = None
    return c


def table(el, ctx: HtmlContext) -> Table:
    rows = []
    caption = ""
    for node in el.iter():
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag == "caption":
            caption = _WS.sub(" ", node.text_content()).strip()
        elif tag == "tr":
            row = []
            in_head = node.getparent() is not None and str(node.getparent().tag).lower() == "thead"
            for cell in node:
                ctag = cell.tag.lower() if isinstance(cell.tag, str) else ""
                if ctag in ("td", "th"):
                    if cell.get("colspan") or cell.get("rowspan"):
                        ctx.warn("merged table cells split into single cells")
                    if any(isinstance(c.tag, str) and c.tag.lower() in ("p", "ul", "ol", "div") for c in cell):
                        parts = []
                        for b in blocks(cell, ctx):
                            if isinstance(b, Paragraph):
                                if parts:
                                    parts.append(LineBreak())
                                parts.extend(b.children)
                            elif isinstance(b, ListBlock):  # a cell holds lines: keep items as "• …" lines
                                for n, item in enumerate(b.items, start=1):
                                    if parts:
                                        parts.append(LineBreak())
                                    parts.append(Text(f"{n}. " if b.ordered else "• "))
                                    for sub in item:
                                        parts.extend(getattr(sub, "children", []))
                        kids = parts
                    else:
                        kids = _strip(inlines(cell, ctx))
                    row.append(TableCell(kids, header=ctag == "th" or in_head))
            rows.append(row)
    return Table(rows=rows, caption=caption)
