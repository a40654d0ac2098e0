"""Readers by source kind, mirroring the writer registry (communique/editions/registry.py).

`read(source)` recognises what a source is by its content, not its name, and reads it with the
kind's reader; every caller (the `render` and `import` commands, `python -m communique.editions.epub`,
the KDP kit, the author portal) goes through it. Adding a source kind is one module plus one line in
READERS (and a rule in `detect` when it can be told from its content).

A source is a path, a text (str), an lxml element (a WXR <item>), or a Wagtail page."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

from . import ReaderError

# kind → "module:function". Each function takes the source and keyword options.
READERS: dict[str, str] = {
    "markdown": "communique.documents.readers.markdown:read_markdown",
    "docx": "communique.documents.readers.docx:read_docx",
    "html": "communique.documents.readers.page:read_html_page",
    "text": "communique.documents.readers.page:read_text",
    "wxr-item": "communique.documents.readers.wxr:read_wxr_item",
    "wagtail-article": "communique.documents.readers.wagtail:read_article",
    "wagtail-issue": "communique.documents.readers.wagtail:read_issue",
}
# What a manuscript may be (render, the kit, the portal): plain text is read as Markdown.
MANUSCRIPT_KINDS = ("markdown", "docx")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc
SNIFF_BYTES = 65536
_MD_SIGNALS = re.compile(r"^(#{1,6} |[-*+] |\d+[.)] |> |```|~~~|\[\^[^\]]+\]:)|\]\([^)]*\)|\*\*\S|__\S", re.M)
_HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*<(!doctype html|html|head|body)\b", re.I | re.S)
_HTML_BLOCK = re.compile(r"<(p|div|article|section|h[1-6]|ul|ol|table|figure|blockquote)\b[^>]*>", re.I)


class UnknownSource(ReaderError):
    pass


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise ReaderError(f"{path}: no such file") from None
    except OSError as exc:
        raise ReaderError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def detect_text(text: str, name: str = "") -> str:
    """The kind of a text source, from what it holds."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("---"):
        return "markdown"  # YAML front matter
    if stripped.startswith("<?xml") or stripped.startswith("<rss"):
        if "wordpress.org/export/" in stripped[:SNIFF_BYTES]:
            if stripped.count("<item") > 1 or "<channel" in stripped[:SNIFF_BYTES]:
                raise UnknownSource(f"{name or 'the source'} is a whole WordPress export (many posts); "
                                    "import it with `communique import wordpress`")
            return "wxr-item"
    if stripped.startswith("<item"):
        return "wxr-item"
    if _HTML_START.match(stripped) or (stripped.startswith("<") and _HTML_BLOCK.search(stripped[:SNIFF_BYTES])):
        return "html"
    if name.lower().endswith((".md", ".markdown", ".mdown")) or _MD_SIGNALS.search(stripped[:SNIFF_BYTES]):
        return "markdown"
    return "text"


def detect(source) -> str:
    """The reader kind for `source`; ReaderError naming the problem when it is none of them."""
    if hasattr(source, "specific") and hasattr(source, "pk"):  # a Wagtail page (no Django import here)
        page = source.specific
        return "wagtail-issue" if hasattr(page, "articles") else "wagtail-article"
    if hasattr(source, "tag") and hasattr(source, "iter"):  # an lxml element
        tag = source.tag if isinstance(source.tag, str) else ""
        if tag.rsplit("}", 1)[-1] == "item":
            return "wxr-item"
        raise UnknownSource(f"an XML <{tag}> element is not a source this engine reads (a WXR <item> is)")
    if isinstance(source, str) and ("\n" in source or len(source) > 4096 or source.lstrip().startswith(("<", "---"))
                                    or not (Path(source).is_file() or re.search(r"\.\w{1,8}$", source))):
        return detect_text(source)
    path = Path(source)
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    head = _head(path)
    if head.startswith(ZIP_MAGIC):
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile as exc:
            raise ReaderError(f"{path.name}: a damaged zip archive ({exc})") from None
        if "word/document.xml" in names:
            return "docx"
        raise UnknownSource(f"{path.name}: a zip archive but not a Word document (no word/document.xml)")
    if path.suffix.lower() in {".docx", ".docm"}:
        what = "an old binary Word .doc file" if head.startswith(OLE_MAGIC) else "not a zip archive"
        raise UnknownSource(f"{path.name}: not a valid DOCX file: it is {what} (save it again as .docx)")
    if head.startswith(OLE_MAGIC):
        raise UnknownSource(f"{path.name}: an old binary Word .doc file; save it as .docx and try again")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnknownSource(f"{path.name}: neither a DOCX file nor UTF-8 text (invalid byte at position {exc.start})") from None
    return detect_text(text, path.name)


def get_reader(kind: str):
    try:
        target = READERS[kind]
    except KeyError:
        raise UnknownSource(f"No reader for {kind!r}; known kinds: {', '.join(sorted(READERS))}") from None
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def read(source, kind: str | None = None, *, accept=None, **options):
    """Read `source` into a Document with the reader its content calls for. `accept` limits the
    kinds (a manuscript is Markdown or DOCX); plain text counts as Markdown when Markdown is accepted."""
    kind = kind or detect(source)
    if accept is not None and kind not in accept:
        named_markdown = isinstance(source, (str, Path)) and str(source).lower().endswith(
            (".md", ".markdown", ".mdown", ".txt"))
        if "markdown" in accept and (kind == "text" or (kind == "html" and named_markdown)):
            kind = "markdown"  # plain text, or a Markdown file that opens with raw HTML
        else:
            raise UnknownSource(f"{_name(source)} is {_KIND_NAMES.get(kind, kind)}; expected "
                                + " or ".join(_KIND_NAMES.get(k, k) for k in accept))
    reader = get_reader(kind)
    if kind == "markdown" and isinstance(source, (str, Path)) and "base_dir" not in options:
        path = Path(source) if not isinstance(source, str) or "\n" not in source else None
        if path is not None and path.is_file():
            options["base_dir"] = path.parent
    document = reader(source, **options)
    for w in document.warnings:
        w.stage = w.stage or "reader"
    return document


_KIND_NAMES = {"markdown": "Markdown", "docx": "a Word document (DOCX)", "html": "an HTML page",
               "text": "plain text", "wxr-item": "a WordPress post", "wagtail-article": "a magazine article",
               "wagtail-issue": "a print issue"}


def _name(source) -> str:
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source and len(source) < 4096):
        return str(source)
    return "the source"
