"""HTML → blocks and inlines: the one HTML reader, for every HTML source (mammoth's DOCX output,
Wagtail rich text, WordPress post content, a saved page's article body).

`read_fragment(html, options)` takes a fragment string; `blocks(element, options)` an lxml element.
`HtmlOptions` (also called `HtmlContext`) is the surface callers configure: `warn`, `base_url` (relative
links resolved against it), `resolve_image(src, alt) -> Path | None` or `image(element) -> Image | None`,
`missing_image(src)`, `note_ref(a) -> NoteRef | False | None`, `label_notes` ("[^label]" in text),
heading levels, and `sanitise(html) -> html` run on a fragment string before it is parsed.

Everything the model holds is kept: internal (#id), relative, mailto: and tel: links, small caps,
strikeout, <cite> (a Cite inline), tables, figures. What has no place in the model is reported
through `warn`, never silently dropped; only non-content (script, style, templates) is skipped."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from communique.documents.model import (
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
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)

_WS = re.compile(r"\s+")
NOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
INLINE_WRAPPERS = {"em": Emph, "i": Emph, "strong": Strong, "b": Strong, "sup": Superscript, "sub": Subscript,
                   "s": Strikeout, "strike": Strikeout, "del": Strikeout, "cite": Cite}
# Inline markup the model has no node for: the words stay, the markup goes (as Pandoc does).
TRANSPARENT = {"span", "u", "mark", "small", "abbr", "font", "ins", "bdi", "bdo", "time", "kbd", "var", "dfn",
               "label", "data", "nobr", "wbr", "acronym", "big", "tt", "samp", "ruby", "rb", "rt", "rp"}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "pre", "hr",
              "div", "section", "article", "main", "img", "dl", "aside", "header", "footer", "address",
              "figcaption", "center", "nav"}
# Not content: skipped without a word.
SKIP_TAGS = {"script", "style", "noscript", "template", "link", "meta", "head", "title"}
# Content the model cannot hold: skipped with a warning.
DROPPED_TAGS = {"iframe", "form", "button", "input", "select", "textarea", "svg", "canvas", "video", "audio",
                "object", "embed", "math", "map"}
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
SMALL_CAPS_CLASSES = {"smallcaps", "small-caps", "sc"}


class HtmlOptions:
    """How a caller's HTML is read. Every hook is optional."""

    def __init__(self, warn: Callable[[str], None] | None = None, *, note_ref: Callable | None = None,
                 image: Callable | None = None, label_notes: bool = False, heading_offset: int = 1,
                 heading_level: Callable[[int], int] | None = None, base_url: str = "",
                 resolve_image: Callable[[str, str], Path | None] | None = None,
                 missing_image: Callable[[str], None] | None = None,
                 sanitise: Callable[[str], str] | None = None, note_prefix: str = ""):
        self.warn = warn or (lambda message: None)
        self.note_ref = note_ref  # (a element) → NoteRef, False (drop it) or None (an ordinary link)
        self.image = image  # (img element) → Image | None; overrides resolve_image
        self.resolve_image = resolve_image  # (src, alt) → a local file, or None when not available
        self.missing_image = missing_image  # (src) → None; default: warn
        self.label_notes = label_notes  # read "[^label]" in text as a NoteRef
        self.heading_offset = heading_offset  # <h2> → Heading(level=2 - offset)
        self.heading_level = heading_level  # (n of <hn>) → level; overrides heading_offset
        self.base_url = base_url
        self.sanitise = sanitise
        self.pending_images: list[Image] = []
        self.note_prefix = note_prefix  # keeps labels unique when several articles share one document

    def level(self, n: int) -> int:
        if self.heading_level is not None:
            return max(1, self.heading_level(n))
        return max(1, n - self.heading_offset)


HtmlContext = HtmlOptions  # the name the DOCX and Wagtail readers have always used


def parse_fragment(html: str):
    from lxml import html as lxml_html

    if not html or not html.strip():
        return None
    return lxml_html.fragment_fromstring(html, create_parent="div")


def read_fragment(html: str, options: HtmlOptions | None = None) -> list:
    """A fragment string → blocks."""
    options = options or HtmlOptions()
    if options.sanitise is not None:
        html = options.sanitise(html or "")
    root = parse_fragment(html or "")
    return blocks(root, options) if root is not None else []


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _classes(el) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _text(ctx: HtmlOptions, s: str, out: list) -> None:
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


def _is_small_caps(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "font-variant:small-caps" in style or bool(_classes(el) & SMALL_CAPS_CLASSES)


def _href(ctx: HtmlOptions, raw: str) -> str | None:
    """The link target to keep, or None for one that must not be followed (javascript: …)."""
    href = (raw or "").strip()
    if not href:
        return None
    if href.lower().startswith(UNSAFE_SCHEMES):
        ctx.warn(f"link to {href[:40]!r} removed (unsafe scheme); its text kept")
        return None
    if ctx.base_url and not href.startswith("#") and not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
        return urljoin(ctx.base_url, href)
    return href


def _image(ctx: HtmlOptions, img, caption: str = "") -> Image | None:
    if ctx.image is not None:
        found = ctx.image(img)
        if found is not None and caption and not found.caption:
            found.caption = caption
        return found
    src = (img.get("src") or img.get("data-src") or "").strip()
    alt = _WS.sub(" ", img.get("alt") or "").strip()
    if not src:
        return None
    path = ctx.resolve_image(src, alt) if ctx.resolve_image else None
    if path is None:
        if ctx.missing_image is not None:
            ctx.missing_image(src)
        else:
            ctx.warn(f"image {src[:80]!r} is not available locally; left out")
        return None
    return Image(Path(path), alt=alt, caption=caption)


def inlines(el, ctx: HtmlOptions) -> list:
    out: list = []
    _text(ctx, el.text, out)
    for child in el:
        tag = _tag(child)
        if not tag:  # a comment or processing instruction
            pass
        elif tag in SKIP_TAGS:
            pass
        elif tag in DROPPED_TAGS:
            ctx.warn(f"<{tag}> dropped (no place for it in a document)")
        elif tag in INLINE_WRAPPERS:
            kids = inlines(child, ctx)
            if tag == "sup" and len(kids) == 1 and type(kids[0]) is NoteRef:
                out.append(kids[0])  # the writer styles note references itself
            elif kids:
                out.append(INLINE_WRAPPERS[tag](kids))
        elif tag == "a":
            ref = ctx.note_ref(child) if ctx.note_ref else None
            if ref is False:
                pass  # a back-link from a note to its reference: the writer makes its own
            elif ref is not None:
                out.append(ref)
            else:
                href = _href(ctx, child.get("href"))
                kids = inlines(child, ctx)
                if href and href != "#" and kids:
                    out.append(Link(href, kids))
                else:
                    out.extend(kids)  # a bare anchor (bookmark) or an unsafe link: keep its text
        elif tag == "br":
            out.append(LineBreak())
        elif tag == "code":
            out.append(Code(child.text_content()))
        elif tag == "img":
            img = _image(ctx, child)
            if img is not None:
                ctx.pending_images.append(img)
        elif tag == "q":
            out.append(Text("“"))
            out.extend(inlines(child, ctx))
            out.append(Text("”"))
        elif tag == "span" and _is_small_caps(child):
            out.append(SmallCaps(inlines(child, ctx)))
        elif tag in TRANSPARENT:
            out.extend(inlines(child, ctx))
        else:
            if tag not in BLOCK_TAGS and tag not in ("li", "td", "th", "tr", "tbody", "thead", "caption"):
                ctx.warn(f"<{tag}> inside a paragraph kept as plain text")
            _text(ctx, child.text_content(), out)
        _text(ctx, child.tail, out)
    return _merge(out)


def _merge(out: list) -> list:
    merged: list = []
    for node in out:
        if type(node) is Text:
            if not node.text:
                continue
            if merged and type(merged[-1]) is Text:
                merged[-1] = Text(merged[-1].text + node.text)
                continue
        merged.append(node)
    return merged


def _strip(children: list) -> list:
    while children and type(children[-1]) is LineBreak:
        children.pop()
    if children and type(children[0]) is Text:
        children[0] = Text(children[0].text.lstrip())
        if not children[0].text:
            children.pop(0)
    if children and type(children[-1]) is Text:
        children[-1] = Text(children[-1].text.rstrip())
        if not children[-1].text:
            children.pop()
    return children


def _has_block_child(el) -> bool:
    return any(_tag(c) in BLOCK_TAGS for c in el.iter() if c is not el)


def _paragraph(el, ctx, out):
    kids = _strip(inlines(el, ctx))
    if kids:
        out.append(Paragraph(kids))
    if ctx.pending_images:
        out.extend(ctx.pending_images)
        ctx.pending_images = []


def _is_pullquote(el) -> bool:
    names = _classes(el) | {c for a in el.iterancestors() for c in _classes(a)}
    return bool(names & {"wp-block-pullquote", "pullquote", "pull-quote"})


def _pullquote(el, ctx) -> PullQuote | None:
    cite = el.find(".//cite")
    attribution = ""
    if cite is not None:
        attribution = _WS.sub(" ", cite.text_content()).strip()
        cite.drop_tree()
    inner = blocks(el, ctx)
    text = " ".join(plain_text(b.children) for b in inner if hasattr(b, "children")).strip()
    return PullQuote(text, attribution) if text else None


def blocks(container, ctx: HtmlOptions) -> list:
    out: list = []
    loose: list = []  # inline content directly in a container

    def flush_loose():
        if loose:
            kids = _strip(_merge(loose[:]))
            if kids:
                out.append(Paragraph(kids))
            loose.clear()
        if ctx.pending_images:
            out.extend(ctx.pending_images)
            ctx.pending_images = []

    if container.text and container.text.strip():
        _text(ctx, container.text, loose)
    for el in container:
        tag = _tag(el)
        if tag in SKIP_TAGS or not tag:
            if el.tail and (el.tail.strip() or loose):
                _text(ctx, el.tail, loose)
            continue
        if tag not in BLOCK_TAGS and not (tag not in DROPPED_TAGS and _has_block_child(el)):
            wrapper = container.makeelement("span")
            wrapper.append(_copy(el))
            loose.extend(inlines(wrapper, ctx))
            if el.tail and (el.tail.strip() or loose):
                _text(ctx, el.tail, loose)
            continue
        flush_loose()
        block(el, tag, ctx, out)
        if el.tail and el.tail.strip():
            _text(ctx, el.tail, loose)
    flush_loose()
    return out


def block(el, tag: str, ctx: HtmlOptions, out: list) -> None:
    if tag == "p":
        if _has_block_child(el):  # <p><img></p> from WordPress, or broken nesting
            out.extend(blocks(el, ctx))
        else:
            _paragraph(el, ctx, out)
    elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        kids = _strip(inlines(el, ctx))
        if kids:
            out.append(Heading(level=ctx.level(int(tag[1])), children=kids, id=el.get("id") or ""))
    elif tag in ("ul", "ol"):
        items = []
        for li in el:
            if _tag(li) == "li":
                if _has_block_child(li):
                    items.append(blocks(li, ctx))
                else:
                    kids = _strip(inlines(li, ctx))
                    items.append([Paragraph(kids)] if kids else [])
            elif _tag(li) in ("ul", "ol") and items:  # a list nested directly in a list (old editors)
                block(li, _tag(li), ctx, items[-1])
        items = [item for item in items if item]
        if items:
            out.append(ListBlock(ordered=tag == "ol", items=items))
    elif tag == "blockquote":
        if _is_pullquote(el):
            quote = _pullquote(el, ctx)
            if quote is not None:
                out.append(quote)
            return
        inner = blocks(el, ctx)
        if inner:
            out.append(BlockQuote(inner))
    elif tag == "table":
        t = table(el, ctx)
        if t.rows:
            out.append(t)
    elif tag == "pre":
        for br in el.iter("br"):  # mammoth writes a code paragraph's line breaks as <br>
            br.tail = "\n" + (br.tail or "")
        out.append(CodeBlock(el.text_content()))
    elif tag == "hr":
        out.append(ThematicBreak())
    elif tag == "img":
        img = _image(ctx, el)
        if img is not None:
            out.append(img)
    elif tag == "figure":
        figure(el, ctx, out)
    elif tag == "figcaption":
        _paragraph(el, ctx, out)
    elif tag == "dl":
        ctx.warn("definition list flattened to paragraphs")
        for child in el:
            if _tag(child) in ("dt", "dd"):
                _paragraph(child, ctx, out)
    elif tag in DROPPED_TAGS:
        ctx.warn(f"<{tag}> dropped (no place for it in a document)")
    else:  # div, section, article, aside, header, footer, and inline wrappers holding blocks
        out.extend(blocks(el, ctx))


def figure(el, ctx: HtmlOptions, out: list) -> None:
    capel = el.find(".//figcaption")
    caption = _WS.sub(" ", capel.text_content()).strip() if capel is not None else ""
    if "wp-block-embed" in (el.get("class") or ""):
        # Embeds stay links: readers' pages make no third-party requests.
        if capel is not None:
            capel.drop_tree()
        links = el.xpath(".//a/@href")
        url = (links[0] if links else _WS.sub(" ", el.text_content())).strip()
        if re.match(r"^https?://\S+$", url):
            out.append(Paragraph([Link(url, [Text(caption or url)])]))
        else:
            ctx.warn("an embed without a web address was dropped")
        return
    tbl = el.find(".//table")
    if tbl is not None:
        t = table(tbl, ctx)
        t.caption = t.caption or caption
        if t.rows:
            out.append(t)
        return
    quote = el.find(".//blockquote")
    if quote is not None:
        q = _pullquote(quote, ctx)
        if q is not None:
            out.append(q)
        return
    img_el = el.find(".//img")
    if img_el is not None:
        img = _image(ctx, img_el, caption)
        if img is not None:
            if caption:
                img.caption = caption
            out.append(img)
        elif caption:
            out.append(Paragraph([Text(caption)]))
        return
    out.extend(blocks(el, ctx))


def _copy(el):
    import copy

    c = copy.deepcopy(el)
    c.tail = None
    return c


def table(el, ctx: HtmlOptions) -> Table:
    rows = []
    caption = ""
    for node in el.iter():
        tag = _tag(node)
        if tag == "caption":
            caption = _WS.sub(" ", node.text_content()).strip()
        elif tag == "tr":
            row = []
            in_head = node.getparent() is not None and _tag(node.getparent()) == "thead"
            for cell in node:
                ctag = _tag(cell)
                if ctag in ("td", "th"):
                    if cell.get("colspan") or cell.get("rowspan"):
                        ctx.warn("merged table cells split into single cells")
                    if any(_tag(c) in ("p", "ul", "ol", "div") for c in cell):
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
                            else:
                                ctx.warn(f"{type(b).__name__} inside a table cell kept as text")
                                text = _block_text(b)
                                if text:
                                    if parts:
                                        parts.append(LineBreak())
                                    parts.append(Text(text))
                        kids = parts
                    else:
                        kids = _strip(inlines(cell, ctx))
                    row.append(TableCell(kids, header=ctag == "th" or in_head))
            if row:
                rows.append(row)
    return Table(rows=rows, caption=caption)


def _block_text(b) -> str:
    if hasattr(b, "children"):
        return plain_text(b.children)
    if isinstance(b, ListBlock):
        return " ".join(_block_text(x) for item in b.items for x in item)
    if isinstance(b, BlockQuote):
        return " ".join(_block_text(x) for x in b.blocks)
    return getattr(b, "text", "")


# ---- the importers' names, kept so they can switch with a one-line import change ----------


def _importer_levels(n: int) -> int:
    return 1 if n <= 2 else 2  # h1/h2 → a section, h3 and below → a subsection (the body has two)


def html_to_blocks(html: str, resolve_image=None, warn=None, **options) -> list:
    return read_fragment(html, HtmlOptions(warn, resolve_image=resolve_image,
                                           heading_level=options.pop("heading_level", _importer_levels), **options))


def element_to_blocks(el, resolve_image=None, warn=None, **options) -> list:
    return blocks(el, HtmlOptions(warn, resolve_image=resolve_image,
                                  heading_level=options.pop("heading_level", _importer_levels), **options))
