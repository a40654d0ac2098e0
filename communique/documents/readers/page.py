"""A saved web page (HTML) or a scraped text of one → Document: one article.

These are the plain readers: the headline from og:title, the first <h1> or <title> (for text, the
first line), the body through the one HTML reader (documents/readers/html.py). The page importer
adds a site's own heuristics (bylines, breadcrumbs, chrome) on top of the same reader."""
from __future__ import annotations

import re
from pathlib import Path

from communique.documents.model import Contributor, Division, Document, Metadata, Paragraph, Text

from . import ReaderError
from .html import HtmlOptions, blocks

_WS = re.compile(r"\s+")
CHROME = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template")


def _load(path_or_text, base_dir):
    if isinstance(path_or_text, Path) or (
            isinstance(path_or_text, str) and "\n" not in path_or_text and len(path_or_text) < 4096
            and not path_or_text.lstrip().startswith("<")
            and (Path(path_or_text).is_file() or re.search(r"\.\w{1,8}$", path_or_text))):
        path = Path(path_or_text)
        try:
            return path.read_text(encoding="utf-8-sig"), Path(base_dir) if base_dir else path.parent, path
        except FileNotFoundError:
            raise ReaderError(f"file not found: {path}") from None
        except UnicodeDecodeError as exc:
            raise ReaderError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return str(path_or_text), Path(base_dir) if base_dir else None, None


def local_images(base_dir: Path | None):
    """Images saved next to the page; nothing is ever downloaded."""
    def resolve(src: str, alt: str):
        if base_dir is None or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("//"):
            return None
        candidate = (base_dir / src.split("?")[0].split("#")[0]).resolve()
        return candidate if candidate.is_file() and base_dir.resolve() in candidate.parents else None
    return resolve


def read_html_page(path_or_text, base_dir=None, *, options: HtmlOptions | None = None, language: str = "en") -> Document:
    import lxml.html

    text, base, path = _load(path_or_text, base_dir)
    where = path.name if path else "<html>"  # the file by name: messages reach people, paths need not
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError on an empty or hopeless document
        raise ReaderError(f"{where}: not an HTML page ({exc})") from None
    meta_tags = {(m.get("property") or m.get("name") or "").lower(): m.get("content") or ""
                 for m in root.iter("meta")}
    container = next(iter(root.xpath("//article") or root.xpath("//main") or root.xpath("//body")), root)
    h1 = container.find(".//h1") if container.find(".//h1") is not None else root.find(".//h1")
    title_el = root.find(".//title")
    title = meta_tags.get("og:title") or (h1.text_content() if h1 is not None else "") \
        or (title_el.text_content() if title_el is not None else "")
    title = _WS.sub(" ", title).strip()
    for el in list(container.iter(*CHROME)):
        if el is not container:
            el.drop_tree()
    if h1 is not None and h1.getparent() is not None:
        h1.drop_tree()
    doc = Document(meta=Metadata(title=title, language=(root.get("lang") or language).split("-")[0] or "en",
                                 description=meta_tags.get("description", ""), source_path=path,
                                 date=(meta_tags.get("article:published_time") or "")[:10]))
    author = meta_tags.get("author")
    if author:
        doc.meta.contributors = [Contributor(author.strip())]
    opts = options or HtmlOptions(resolve_image=local_images(base))
    user_warn = opts.warn
    opts.warn = lambda message: (doc.warn(where, message), user_warn(message))
    doc.divisions.append(Division(kind="article", title=title, blocks=blocks(container, opts)))
    if not title:
        doc.warn(where, "the page has no headline (no og:title, h1 or title)")
    return doc


def read_text(path_or_text, base_dir=None, language: str = "en") -> Document:
    """Plain text: the first line is the headline, blank lines separate paragraphs."""
    text, _, path = _load(path_or_text, base_dir)
    where = path.name if path else "<text>"
    paragraphs = [_WS.sub(" ", p).strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise ReaderError(f"{where}: the text is empty")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    title = lines[0]
    body = paragraphs[1:] if paragraphs[0] == title else [p[len(title):].strip() if p.startswith(title) else p
                                                         for p in paragraphs]
    if body and body[0] == title:
        body = body[1:]
    doc = Document(meta=Metadata(title=title, language=language, source_path=path))
    doc.divisions.append(Division(kind="article", title=title,
                                  blocks=[Paragraph([Text(p)]) for p in body if p]))
    return doc
