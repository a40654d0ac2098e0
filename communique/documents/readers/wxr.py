"""One post of a WordPress export (a WXR <item>) → Document. The item comes as an lxml element (the
WordPress importer walks the export) or as the text of one <item>; its content goes through the one
HTML reader. Shortcodes and autop are WordPress's business: the importer expands them first and
passes `content=`."""
from __future__ import annotations

import re

from communique.documents.model import Contributor, Division, Document, Metadata

from . import ReaderError
from .html import HtmlOptions, read_fragment

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _item(source):
    if hasattr(source, "tag"):
        return source
    from lxml import etree

    text = str(source)
    if "<!ENTITY" in text[:4096].upper() or "<!DOCTYPE" in text[:4096].upper():
        raise ReaderError("a WordPress post may not declare entities or a DTD")
    wrapped = (f'<rss xmlns:content="{NS["content"]}" xmlns:excerpt="{NS["excerpt"]}" xmlns:dc="{NS["dc"]}" '
               f'xmlns:wp="http://wordpress.org/export/1.2/">{text}</rss>') if text.lstrip().startswith("<item") else text
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(wrapped.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"the WordPress post is not well-formed XML: {exc}") from None
    item = root if root.tag == "item" else root.find(".//item")
    if item is None:
        raise ReaderError("no <item> in the WordPress source")
    return item


def _child_text(item, local: str) -> str:
    for el in item:
        if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == local and el.tag.startswith(("{", local)):
            return (el.text or "").strip()
    return ""


def read_wxr_item(source, *, content: str | None = None, options: HtmlOptions | None = None) -> Document:
    item = _item(source)
    title = _child_text(item, "title")
    where = f"post {title!r}" if title else "post"
    encoded = item.find("content:encoded", NS)
    html = content if content is not None else (encoded.text or "" if encoded is not None else "")
    excerpt = item.find("excerpt:encoded", NS)
    date = ""
    for el in item:
        if isinstance(el.tag, str) and el.tag.endswith("}post_date") and el.text:
            date = el.text.strip()[:10]
    doc = Document(meta=Metadata(title=title, date=date, description=(excerpt.text or "").strip()
                                 if excerpt is not None and excerpt.text else ""))
    creator = item.find("dc:creator", NS)
    if creator is not None and creator.text and creator.text.strip():
        doc.meta.contributors = [Contributor(creator.text.strip())]
    doc.meta.subjects = [(c.text or "").strip() for c in item.findall("category") if c.get("domain") == "post_tag"]
    sections = [(c.text or "").strip() for c in item.findall("category") if c.get("domain") == "category"]
    opts = options or HtmlOptions()
    user_warn = opts.warn
    opts.warn = lambda message: (doc.warn(where, message), user_warn(message))
    blocks = read_fragment(re.sub(r"<!--.*?-->", "", html, flags=re.S), opts)
    doc.divisions.append(Division(kind="article", title=title, blocks=blocks,
                                  section_label=sections[0] if sections else ""))
    return doc
