"""DOCX → Document through mammoth: Heading 1 starts a chapter (or front/back matter recognised by
its title), Heading 2 and 3 become sections, footnotes and endnotes become notes, images are
extracted to a work directory. Everything mammoth reports (unknown styles, dropped content) is
copied into document.warnings."""
from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

from communique.documents.languages import UnknownLanguage, normalise_language
from communique.documents.model import BlockQuote, Contributor, Document, Image, ListBlock, Metadata, NoteRef, Table

from . import ReaderError
from .docx_props import header_rows, section_from_properties
from .html import HtmlContext, blocks, parse_fragment

STYLE_MAP = r"""
p[style-name='Title'] => p.doc-title:fresh
p[style-name='Subtitle'] => p.doc-subtitle:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Caption'] => p.caption:fresh
r[style-name='Strong'] => strong
r[style-name='Book Title'] => cite
p[style-name='Source Code'] => pre:separator('\n')
"""
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/bmp": "bmp",
              "image/tiff": "tif", "image/x-emf": "emf", "image/x-wmf": "wmf", "image/svg+xml": "svg",
              "image/webp": "webp"}
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def _core_properties(z: zipfile.ZipFile) -> dict[str, str]:
    from lxml import etree

    try:
        root = etree.fromstring(z.read("docProps/core.xml"))
    except (KeyError, etree.XMLSyntaxError):
        return {}
    out = {}
    for key, xpath in (("title", "dc:title"), ("creator", "dc:creator"), ("language", "dc:language"),
                       ("subject", "dc:subject"), ("description", "dc:description"), ("keywords", "cp:keywords"),
                       ("created", "dcterms:created")):
        el = root.find(xpath, _NS)
        if el is not None and el.text and el.text.strip():
            out[key] = el.text.strip()
    return out


def _unsupported_parts(z: zipfile.ZipFile) -> list[str]:
    """What mammoth drops without a message, found by looking at the package itself."""
    names = set(z.namelist())
    out = []
    try:
        body = z.read("word/document.xml").decode("utf-8", "replace")
    except KeyError:
        body = ""
    if "word/comments.xml" in names:
        out.append("comments are not carried into editions")
    if "<w:ins " in body or "<w:del " in body:
        out.append("tracked changes found: insertions are kept and deletions dropped, as if all were accepted")
    if "<w:smallCaps" in body:
        out.append("small caps are read as ordinary letters (mammoth does not keep them)")
    if "<m:oMath" in body:
        out.append("equations (Office Math) are dropped; insert them as images")
    if "<c:chart" in body or any(n.startswith("word/charts/") for n in names):
        out.append("charts are dropped; paste them as pictures")
    if any(n.startswith("word/diagrams/") for n in names):
        out.append("SmartArt diagrams are dropped; paste them as pictures")
    if "<w:object" in body:
        out.append("embedded objects (OLE) are dropped")
    return out


def read_docx(path, work_dir=None) -> Document:
    import mammoth

    path = Path(path)
    if not path.is_file():
        raise ReaderError(f"DOCX file not found: {path}")
    if not zipfile.is_zipfile(path):
        raise ReaderError(f"{path} is not a DOCX file: it is not a zip archive (an old .doc, or a damaged upload?)")
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                raise ReaderError(f"{path} is a zip archive but not a Word document (no word/document.xml)")
            core = _core_properties(z)
            dropped = _unsupported_parts(z)
    except zipfile.BadZipFile as exc:
        raise ReaderError(f"{path} is a damaged DOCX file: {exc}") from None

    work = Path(work_dir) if work_dir else Path(tempfile.mkdtemp(prefix="communique-docx-"))
    work.mkdir(parents=True, exist_ok=True)
    counter = [0]
    where = str(path)

    def save_image(image):
        counter[0] += 1
        ext = EXTENSIONS.get(image.content_type, "bin")
        target = work / f"image{counter[0]:03d}.{ext}"
        with image.open() as src:
            target.write_bytes(src.read())
        attrs = {"src": str(target)}
        if image.alt_text:
            attrs["alt"] = image.alt_text
        return attrs

    try:
        with path.open("rb") as fh:
            result = mammoth.convert_to_html(fh, convert_image=mammoth.images.img_element(save_image),
                                             style_map=STYLE_MAP)
    except Exception as exc:  # mammoth raises KeyError/ValueError etc. on malformed parts
        raise ReaderError(f"{path}: could not read the Word document ({type(exc).__name__}: {exc})") from None

    language = core.get("language") or "en"
    try:
        language = normalise_language(language)
    except UnknownLanguage as exc:
        raise ReaderError(f"{path}: {exc}") from None
    meta = Metadata(
        title=core.get("title", ""),
        language=language,
        description=core.get("description", ""),
        subjects=[k.strip() for k in re.split(r"[,;]", core.get("keywords", "")) if k.strip()],
        date=core.get("created", "")[:10],
        source_path=path,
    )
    if core.get("creator"):
        meta.contributors = [Contributor(name=n.strip()) for n in re.split(r";", core["creator"]) if n.strip()]
    doc = Document(meta=meta)
    for m in result.messages:
        doc.warn(f"{where} (mammoth)", f"{m.type}: {m.message}")
    for message in dropped:
        doc.warn(where, message)

    root = parse_fragment(result.value)
    if root is None:
        doc.warn(where, "the document has no text")
        if not meta.title:
            meta.title = path.stem
        return doc

    for cls, attr_name in (("doc-title", "title"), ("doc-subtitle", "subtitle")):
        for p in root.xpath(f"//p[@class='{cls}']"):
            text = " ".join(p.text_content().split())
            if text and not getattr(meta, attr_name):
                setattr(meta, attr_name, text)
            p.drop_tree()

    def warn(message):
        doc.warn(where, message)

    # A "Caption" paragraph right after a picture becomes the picture's caption.
    for cap in root.xpath("//p[@class='caption']"):
        prev = cap.getprevious()
        imgs = prev.xpath(".//img") if prev is not None else []
        text = " ".join(cap.text_content().split())
        if len(imgs) == 1 and text:
            imgs[0].set("data-caption", text)
            cap.drop_tree()
        else:
            cap.attrib.pop("class", None)

    def note_ref(a):
        href = a.get("href") or ""
        if re.match(r"^#(footnote|endnote)-ref-", href):
            return False
        m = re.match(r"^#((?:footnote|endnote)-[\w-]+)$", href)
        return NoteRef(m.group(1)) if m else None

    def image(img):
        src = img.get("src") or ""
        p = Path(src)
        if not p.is_file():
            warn(f"image {src[:60]!r} not extracted")
            return None
        if p.suffix in (".emf", ".wmf"):
            warn(f"{p.suffix[1:].upper()} image {p.name} cannot be shown in e-books; convert it to PNG in Word")
        return Image(path=p, alt=img.get("alt") or "", caption=img.get("data-caption") or "")

    ctx = HtmlContext(warn, note_ref=note_ref, image=image, heading_offset=0)
    # Notes come last in mammoth's output as <ol><li id="footnote-1">…</li></ol>.
    for li in root.xpath("//li[starts-with(@id, 'footnote-') or starts-with(@id, 'endnote-')]"):
        doc.notes[li.get("id")] = blocks(li, ctx)
    for ol in root.xpath("//ol[li[starts-with(@id, 'footnote-') or starts-with(@id, 'endnote-')]]"):
        ol.drop_tree()

    body = blocks(root, ctx)
    from .markdown import _split_divisions

    _split_divisions(doc, body, set(), set())
    _mark_header_rows(doc, path)
    doc.meta.category = section_from_properties(path)
    if not meta.title:
        first = next((d.title for d in doc.walk_divisions() if d.title), "")
        meta.title = first or path.stem
        doc.warn(where, f"no title in the document properties or a Title paragraph; using {meta.title!r}")
    return doc


def _tables_in_order(blocks: list):
    for b in blocks:
        if isinstance(b, Table):
            yield b
        elif isinstance(b, BlockQuote):
            yield from _tables_in_order(b.blocks)
        elif isinstance(b, ListBlock):
            for item in b.items:
                yield from _tables_in_order(item)


def _mark_header_rows(doc: Document, path: Path) -> None:
    """mammoth knows only Word's "Repeat as header row"; a bold first row (direct or by the table's
    style) heads the table too, so tables are not left headerless (and flagged inaccessible)."""
    flags = header_rows(path)
    tables = [t for d in doc.walk_divisions() for t in _tables_in_order(d.blocks)]
    if len(flags) != len(tables):
        return  # mammoth merged or dropped a table; better no guess than a wrong header
    for table, is_header in zip(tables, flags):
        if is_header and table.rows:
            for cell in table.rows[0]:
                cell.header = True
