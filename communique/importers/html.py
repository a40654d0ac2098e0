"""HTML fragments (WordPress post content, a saved page's article body) → document model blocks.

Unknown wrappers (div, section, span…) are walked through; their text is kept, their markup is not.
Images are resolved through a callback that never touches the network."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import lxml.html
from lxml import etree

from communique.documents import model as dm

BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "figure", "img",
    "pre", "hr", "div", "section", "article", "main", "header", "footer", "aside", "dl", "address",
    "figcaption", "center",
}
SKIP_TAGS = {"script", "style", "noscript", "iframe", "form", "button", "input", "select", "textarea",
             "svg", "canvas", "video", "audio", "object", "embed", "template", "link", "meta"}

ImageResolver = Callable[[str, str], "Path | None"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text or "")


def parse_fragment(html: str):
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


class HtmlConverter:
    def __init__(self, resolve_image: ImageResolver | None = None, warn=None):
        self.resolve_image = resolve_image
        self.warn = warn or (lambda m: None)

    # ---- inlines -------------------------------------------------------------------------

    def inlines(self, el, include_tail=False) -> list:
        out: list = []
        if el.text:
            out.append(dm.Text(_norm(el.text)))
        for child in el:
            if not isinstance(child.tag, str):  # comment or processing instruction
                if child.tail:
                    out.append(dm.Text(_norm(child.tail)))
                continue
            out.extend(self.inline(child))
            if child.tail:
                out.append(dm.Text(_norm(child.tail)))
        return _merge(out)

    def inline(self, el) -> list:
        tag = el.tag.lower()
        if tag in SKIP_TAGS or tag == "img":
            return []
        kids = self.inlines(el)
        if tag in ("em", "i", "cite", "dfn"):
            return [dm.Emph(kids)] if kids else []
        if tag in ("strong", "b"):
            return [dm.Strong(kids)] if kids else []
        if tag == "sup":
            return [dm.Superscript(kids)] if kids else []
        if tag == "sub":
            return [dm.Subscript(kids)] if kids else []
        if tag == "code":
            return [dm.Code(el.text_content())]
        if tag == "br":
            return [dm.LineBreak()]
        if tag == "a":
            href = (el.get("href") or "").strip()
            if href and re.match(r"^(https?:|mailto:)", href, re.I):
                return [dm.Link(href, kids)] if kids else []
            return kids
        return kids

    # ---- blocks --------------------------------------------------------------------------

    def blocks(self, container) -> list:
        out: list = []
        pending: list = []  # loose inline content between blocks

        def flush():
            nonlocal pending
            inl = _strip(_merge(pending))
            if inl:
                out.append(dm.Paragraph(inl))
            pending = []

        if container.text and container.text.strip():
            pending.append(dm.Text(_norm(container.text)))
        for child in container:
            if not isinstance(child.tag, str):
                if child.tail and (child.tail.strip() or pending):
                    pending.append(dm.Text(_norm(child.tail)))
                continue
            tag = child.tag.lower()
            if tag in SKIP_TAGS:
                pass
            elif tag in BLOCK_TAGS or self._has_block_child(child):
                flush()
                out.extend(self.block(child))
            else:
                pending.extend(self.inline(child))
            # Whitespace between inline elements separates words; between blocks it means nothing.
            if child.tail and (child.tail.strip() or pending):
                pending.append(dm.Text(_norm(child.tail)))
        flush()
        return out

    def _has_block_child(self, el) -> bool:
        return any(isinstance(c.tag, str) and c.tag.lower() in BLOCK_TAGS for c in el.iter() if c is not el)

    def block(self, el) -> list:
        tag = el.tag.lower()
        if tag == "p":
            if self._has_block_child(el):  # <p><img></p> from WordPress, or broken nesting
                return self.blocks(el)
            inl = _strip(self.inlines(el))
            return [dm.Paragraph(inl)] if inl else []
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            inl = _strip(self.inlines(el))
            level = 1 if tag in ("h1", "h2") else 2
            return [dm.Heading(level, inl)] if inl else []
        if tag == "blockquote":
            cite = el.find(".//cite")
            attribution = ""
            if cite is not None and "wp-block-pullquote" in " ".join(
                a.get("class", "") for a in el.iterancestors()
            ) + " " + (el.get("class") or ""):
                attribution = _norm(cite.text_content()).strip()
                cite.drop_tree()
            inner = self.blocks(el)
            if not inner:
                return []
            if attribution:
                return [dm.PullQuote(" ".join(dm.plain_text(b.children) for b in inner if hasattr(b, "children")).strip(), attribution)]
            return [dm.BlockQuote(inner)]
        if tag in ("ul", "ol"):
            items = []
            for li in el:
                if isinstance(li.tag, str) and li.tag.lower() == "li":
                    bl = self.blocks(li)
                    if bl:
                        items.append(bl)
            return [dm.ListBlock(tag == "ol", items)] if items else []
        if tag == "table":
            return self.table(el)
        if tag == "figure":
            return self.figure(el)
        if tag == "img":
            img = self.image(el, "")
            return [img] if img else []
        if tag == "pre":
            return [dm.CodeBlock(el.text_content())]
        if tag == "hr":
            return [dm.ThematicBreak()]
        if tag == "figcaption":
            inl = _strip(self.inlines(el))
            return [dm.Paragraph(inl)] if inl else []
        return self.blocks(el)

    def table(self, el, caption: str = "") -> list:
        cap = el.find("caption")
        if cap is not None:
            caption = caption or _norm(cap.text_content()).strip()
        rows = []
        for tr in el.iter("tr"):
            cells = []
            for cell in tr:
                if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th"):
                    cells.append(dm.TableCell(_strip(self.inlines(cell)), header=cell.tag.lower() == "th"))
            if cells:
                rows.append(cells)
        return [dm.Table(rows, caption)] if rows else []

    def figure(self, el) -> list:
        capel = el.find(".//figcaption")
        caption = _norm(capel.text_content()).strip() if capel is not None else ""
        if "wp-block-embed" in (el.get("class") or ""):
            # Embeds stay links: readers' pages make no third-party requests.
            if capel is not None:
                capel.drop_tree()
            links = el.xpath(".//a/@href")
            url = (links[0] if links else _norm(el.text_content())).strip()
            if re.match(r"^https?://\S+$", url):
                return [dm.Paragraph([dm.Link(url, [dm.Text(caption or url)])])]
            return []
        table = el.find(".//table")
        if table is not None:
            return self.table(table, caption)
        quote = el.find(".//blockquote")
        if quote is not None:
            cite = quote.find(".//cite")
            attribution = _norm(cite.text_content()).strip() if cite is not None else ""
            if cite is not None:
                cite.drop_tree()
            return [dm.PullQuote(_norm(quote.text_content()).strip(), attribution)]
        img = el.find(".//img")
        if img is not None:
            found = self.image(img, caption)
            return [found] if found else []
        return self.blocks(el)

    def image(self, img, caption: str):
        src = (img.get("src") or img.get("data-src") or "").strip()
        alt = _norm(img.get("alt") or "").strip()
        if not src:
            return None
        path = self.resolve_image(src, alt) if self.resolve_image else None
        if path is None:
            self.warn(f"image '{src}' is not available locally; left out")
            return None
        return dm.Image(Path(path), alt=alt, caption=caption)


def _merge(inlines: list) -> list:
    out: list = []
    for node in inlines:
        if isinstance(node, dm.Text) and out and isinstance(out[-1], dm.Text):
            out[-1] = dm.Text(out[-1].text + node.text)
        elif isinstance(node, dm.Text) and not node.text:
            continue
        else:
            out.append(node)
    return out


def _strip(inlines: list) -> list:
    inlines = list(inlines)
    while inlines and isinstance(inlines[0], dm.Text) and not inlines[0].text.strip():
        inlines.pop(0)
    while inlines and isinstance(inlines[-1], (dm.Text, dm.LineBreak)) and not getattr(inlines[-1], "text", "").strip():
        inlines.pop()
    if inlines and isinstance(inlines[0], dm.Text):
        inlines[0] = dm.Text(inlines[0].text.lstrip())
    if inlines and isinstance(inlines[-1], dm.Text):
        inlines[-1] = dm.Text(inlines[-1].text.rstrip())
    return inlines


def html_to_blocks(html: str, resolve_image: ImageResolver | None = None, warn=None) -> list:
    return HtmlConverter(resolve_image, warn).blocks(parse_fragment(html))


def element_to_blocks(el, resolve_image: ImageResolver | None = None, warn=None) -> list:
    return HtmlConverter(resolve_image, warn).blocks(el)


__all__ = ["HtmlConverter", "html_to_blocks", "element_to_blocks", "parse_fragment", "etree"]
