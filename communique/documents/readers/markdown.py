"""Markdown (CommonMark + tables, strikethrough, footnotes, YAML front matter, Pandoc's
`[small caps]{.smallcaps}` spans) → Document.

Structure: `# Title` starts a division (a chapter unless recognised as front or back matter by its
title, a `{.dedication}`-style class after the heading, or the front matter's `front_matter:` /
`back_matter:` lists; `{.part}` starts a part holding the chapters after it); `##` and deeper become
section headings inside it. A trailing `{#id .class}` on a heading is read pandoc-style."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from communique.documents.languages import UnknownLanguage, normalise_language
from communique.documents.model import (
    BACK_KINDS,
    FRONT_KINDS,
    BlockQuote,
    Code,
    CodeBlock,
    Contributor,
    Division,
    Document,
    Emph,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    Metadata,
    NoteRef,
    Paragraph,
    SmallCaps,
    Strikeout,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)

from communique.documents import frontmatter

from . import ReaderError

_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
# Titles that mark front or back matter when no class says otherwise (English and a few others).
TITLE_KINDS = {
    "dedication": "dedication",
    "epigraph": "epigraph",
    "foreword": "foreword",
    "preface": "preface",
    "introduction": "introduction",
    "contents": "toc",
    "table of contents": "toc",
    "acknowledgments": "acknowledgments",
    "acknowledgements": "acknowledgments",
    "afterword": "afterword",
    "notes": "notes",
    "endnotes": "notes",
    "bibliography": "bibliography",
    "references": "bibliography",
    "index": "index",
    "about the author": "about-the-author",
    "about the authors": "about-the-author",
    "copyright": "copyright-page",
}
CLASS_KINDS = {k: k for k in FRONT_KINDS | BACK_KINDS | {"part", "chapter"}}
CLASS_KINDS.update({"acknowledgements": "acknowledgments", "about": "about-the-author", "endnotes": "notes",
                    "frontmatter": "preface", "unnumbered": "chapter"})
CONTRIBUTOR_KEYS = ("author", "authors", "editor", "editors", "translator", "translators", "illustrator",
                    "foreword", "introduction", "contributors")

_md = None


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.attrs import attrs_plugin
        from mdit_py_plugins.footnote import footnote_plugin

        _md = (
            MarkdownIt("commonmark")
            .enable(["table", "strikethrough"])
            .use(footnote_plugin)
            # Pandoc's bracketed spans: [Nato]{.smallcaps}; nothing else takes {attributes} inline.
            .use(attrs_plugin, spans=True, after=("span_close",))
        )
    return _md


def _load_source(path_or_text, base_dir):
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and len(path_or_text) < 4096
        and path_or_text.lower().endswith((".md", ".markdown", ".txt", ".mdown"))
    ):
        path = Path(path_or_text)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ReaderError(f"Markdown file not found: {path}") from None
        except UnicodeDecodeError as exc:
            raise ReaderError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
        except OSError as exc:
            raise ReaderError(f"cannot read {path}: {exc.strerror}") from None
        return text, Path(base_dir) if base_dir else path.parent, path
    if not isinstance(path_or_text, str):
        raise ReaderError(f"read_markdown expects a path or Markdown text, not {type(path_or_text).__name__}")
    return path_or_text, Path(base_dir) if base_dir else Path.cwd(), None


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str) and "," in value and "\n" not in value:
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]


def _contributors(fm: dict, where: str) -> list[Contributor]:
    out = []
    for key in CONTRIBUTOR_KEYS:
        default_role = {"authors": "author", "editors": "editor", "translators": "translator",
                        "contributors": "contributor"}.get(key, key)
        value = fm.get(key)
        # Names are never split on commas: "Khan, Amina" is one person.
        for item in [value] if isinstance(value, str) else _as_list(value):
            if isinstance(item, str):
                out.append(Contributor(name=item.strip(), role=default_role))
            elif isinstance(item, dict) and item.get("name"):
                out.append(Contributor(
                    name=str(item["name"]).strip(),
                    role=str(item.get("role") or default_role).strip().lower(),
                    role_line=str(item.get("role_line") or item.get("affiliation") or "").strip(),
                    bio=str(item.get("bio") or "").strip(),
                ))
            else:
                raise ReaderError(f"{where}: front matter '{key}' entries must be names or mappings with a 'name'")
    return out


def _metadata(fm: dict, where: str, base_dir: Path) -> Metadata:
    def s(*keys):
        for k in keys:
            v = fm.get(k)
            if v not in (None, ""):
                if isinstance(v, (dt.date, dt.datetime)):
                    return v.isoformat()
                return str(v).strip()
        return ""

    language = s("language", "lang") or "en"
    try:
        language = normalise_language(language)
    except UnknownLanguage as exc:
        raise ReaderError(f"{where}: {exc}") from None
    identifiers = {}
    if s("isbn"):
        identifiers["isbn"] = s("isbn")
    if s("uuid"):
        identifiers["uuid"] = s("uuid")
    ident = fm.get("identifier")
    if isinstance(ident, str) and ident.strip():
        identifiers.setdefault("uuid" if re.match(r"^(urn:uuid:)?[0-9a-f-]{36}$", ident.strip(), re.I) else "other",
                               ident.strip().removeprefix("urn:uuid:"))
    series = fm.get("series")
    series_number = s("series_number", "series-number")
    if isinstance(series, dict):
        series_number = str(series.get("number", series_number) or "")
        series = series.get("name", "")
    cover = s("cover", "cover-image", "cover_image")
    cover_path = None
    if cover:
        cover_path = (base_dir / cover) if not Path(cover).is_absolute() else Path(cover)
    subjects = [str(x).strip() for x in _as_list(fm.get("keywords")) + _as_list(fm.get("subjects") or fm.get("subject"))]
    return Metadata(
        title=s("title"),
        subtitle=s("subtitle"),
        contributors=_contributors(fm, where),
        language=language,
        identifiers=identifiers,
        publisher=s("publisher"),
        date=s("date"),
        rights=s("rights", "copyright"),
        subjects=[x for x in subjects if x],
        description=s("description", "abstract"),
        cover_image=cover_path,
        series=str(series or "").strip(),
        series_number=series_number,
        edition=s("edition"),
        modified=s("modified"),
        accessibility_summary=s("accessibility_summary", "accessibility-summary"),
    )


def _split_attrs(text: str):
    """'Title {#id .class}' → ('Title', 'id', ['class'])."""
    m = _ATTRS.search(text)
    if not m:
        return text, "", []
    ident, classes = "", []
    for part in m.group(1).split():
        if part.startswith("#"):
            ident = part[1:]
        elif part.startswith("."):
            classes.append(part[1:])
        elif part == "-":
            classes.append("unnumbered")
    return text[: m.start()], ident, classes


class _Reader:
    def __init__(self, doc: Document, base_dir: Path, where: str):
        self.doc = doc
        self.base_dir = base_dir
        self.where = where
        self.note_keys: dict[int, str] = {}
        self.checked_images: dict[str, bool] = {}

    def note_key(self, meta) -> str:
        nid = meta.get("id")
        label = meta.get("label")
        key = label if label else f"note-{nid + 1}"
        self.note_keys[nid] = key
        return key

    # inline tokens → Inline nodes
    def inlines(self, tokens, images_out):
        root: list = []
        stack = [root]
        for t in tokens:
            typ = t.type
            cur = stack[-1]
            if typ == "text":
                if cur and type(cur[-1]) is Text:
                    cur[-1].text += t.content
                else:
                    cur.append(Text(t.content))
            elif typ == "softbreak":
                if cur and type(cur[-1]) is Text:
                    cur[-1].text += " "
                else:
                    cur.append(Text(" "))
            elif typ == "hardbreak":
                cur.append(LineBreak())
            elif typ == "em_open":
                node = Emph([])
                cur.append(node)
                stack.append(node.children)
            elif typ == "strong_open":
                node = Strong([])
                cur.append(node)
                stack.append(node.children)
            elif typ == "s_open":
                node = Strikeout([])
                cur.append(node)
                stack.append(node.children)
            elif typ == "link_open":
                node = Link(str(t.attrs.get("href", "")), [])
                cur.append(node)
                stack.append(node.children)
            elif typ == "span_open":
                classes = set(str(t.attrs.get("class", "")).split())
                if classes & {"smallcaps", "small-caps", "sc"}:
                    node = SmallCaps([])
                    cur.append(node)
                    stack.append(node.children)
                else:
                    stack.append(cur)  # a span the model has no node for: its words stay in place
            elif typ in ("em_close", "strong_close", "s_close", "link_close", "span_close"):
                if len(stack) > 1:
                    stack.pop()
            elif typ == "code_inline":
                cur.append(Code(t.content))
            elif typ == "footnote_ref":
                cur.append(NoteRef(self.note_key(t.meta)))
            elif typ == "image":
                img = self.image(t)
                if img is not None:
                    images_out.append(img)
            elif typ == "html_inline":
                self.doc.warn(self.where, f"raw HTML {t.content.strip()[:40]!r} dropped")
            elif t.content:
                cur.append(Text(t.content))
        return root

    def image(self, t):
        src = str(t.attrs.get("src", ""))
        alt = t.content or ""
        title = str(t.attrs.get("title") or "")
        if src.startswith(("http://", "https://", "//")):
            self.doc.warn(self.where, f"remote image {src} dropped: images must be files next to the manuscript")
            # Never an Image: its path would be opened by the writers, and "//host/x.png" is the
            # local file /host/x.png (issue 8, break 1). The caption survives as text.
            return Paragraph([Text(title)]) if title else None
        path = Path(src)
        if not path.is_absolute():
            path = self.base_dir / path
        if src not in self.checked_images:
            self.checked_images[src] = path.is_file()
            if not self.checked_images[src]:
                self.doc.warn(self.where, f"image file not found: {path}")
        return Image(path=path, alt=alt, caption=title)

    # block tokens → Blocks (returns blocks and the index after the consumed range)
    def blocks(self, tokens, i, end_type=None):
        out = []
        n = len(tokens)
        while i < n:
            t = tokens[i]
            typ = t.type
            if end_type and typ == end_type:
                return out, i + 1
            if typ == "paragraph_open":
                images = []
                children = self.inlines(tokens[i + 1].children or [], images)
                if children and not (len(children) == 1 and type(children[0]) is Text and not children[0].text.strip()):
                    out.append(Paragraph(children))
                out.extend(images)
                i += 3
            elif typ == "heading_open":
                text, ident, classes = _split_attrs(tokens[i + 1].content)
                level = int(t.tag[1])
                inl = self.inlines(tokens[i + 1].children or [], [])
                if inl and type(inl[-1]) is Text and _ATTRS.search(inl[-1].text):
                    inl[-1].text = _split_attrs(inl[-1].text)[0]
                out.append(Heading(level=level, children=inl, id=ident))
                out[-1]._classes = classes  # read by the division splitter, then ignored
                i += 3
            elif typ in ("bullet_list_open", "ordered_list_open"):
                close = typ.replace("_open", "_close")
                items = []
                i += 1
                while tokens[i].type != close:
                    if tokens[i].type == "list_item_open":
                        item, i = self.blocks(tokens, i + 1, "list_item_close")
                        items.append(item)
                    else:
                        i += 1
                out.append(ListBlock(ordered=typ.startswith("ordered"), items=items))
                i += 1
            elif typ == "blockquote_open":
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(BlockQuote(inner))
            elif typ in ("fence", "code_block"):
                out.append(CodeBlock(t.content.rstrip("\n")))
                i += 1
            elif typ == "hr":
                out.append(ThematicBreak())
                i += 1
            elif typ == "table_open":
                table, i = self.table(tokens, i + 1)
                out.append(table)
            elif typ == "html_block":
                self.doc.warn(self.where, f"raw HTML block {t.content.strip()[:40]!r} dropped")
                i += 1
            elif typ == "footnote_block_open":
                i = self.footnotes(tokens, i + 1)
            else:
                i += 1
        return out, i

    def table(self, tokens, i):
        rows, row, header = [], None, False
        while tokens[i].type != "table_close":
            typ = tokens[i].type
            if typ == "tr_open":
                row = []
            elif typ == "tr_close":
                rows.append(row)
            elif typ in ("th_open", "td_open"):
                header = typ == "th_open"
            elif typ == "inline":
                row.append(TableCell(self.inlines(tokens[i].children or [], []), header=header))
            i += 1
        return Table(rows=rows), i + 1

    def footnotes(self, tokens, i):
        while tokens[i].type != "footnote_block_close":
            t = tokens[i]
            if t.type == "footnote_open":
                key = self.note_key(t.meta)
                body, i = self.blocks(tokens, i + 1, "footnote_close")
                self.doc.notes[key] = body
            else:
                i += 1
        return i + 1


def read_markdown(path_or_text, base_dir=None) -> Document:
    text, base, path = _load_source(path_or_text, base_dir)
    where = str(path) if path else "<markdown>"
    # Front matter is split off and parsed by the one safe parser (no YAML aliases, bounded size).
    front = frontmatter.split(text, where)
    fm = front.data
    tokens = _parser().parse(front.body)
    meta = _metadata(fm, where, base)
    meta.source_path = path
    doc = Document(meta=meta, front_matter=fm)
    reader = _Reader(doc, base, where)
    blocks, _ = reader.blocks(tokens, 0)
    front_titles = {str(x).strip().lower() for x in _as_list(fm.get("front_matter") or fm.get("front-matter"))}
    back_titles = {str(x).strip().lower() for x in _as_list(fm.get("back_matter") or fm.get("back-matter"))}
    _split_divisions(doc, blocks, front_titles, back_titles)
    if not meta.title:
        first = next((d.title for d in doc.walk_divisions() if d.title), "")
        meta.title = first or (path.stem if path else "Untitled")
        doc.warn(where, f"no title in the front matter; using {meta.title!r}")
    return doc


def _division_kind(title: str, classes: list[str], front_titles, back_titles) -> str:
    for c in classes:
        if c.lower() in CLASS_KINDS:
            return CLASS_KINDS[c.lower()]
    key = title.strip().lower()
    if key in front_titles:
        return TITLE_KINDS.get(key) if TITLE_KINDS.get(key) in FRONT_KINDS else "preface"
    if key in back_titles:
        return TITLE_KINDS.get(key) if TITLE_KINDS.get(key) in BACK_KINDS else "appendix"
    if key in TITLE_KINDS:
        return TITLE_KINDS[key]
    if key.startswith(("appendix", "annex")):
        return "appendix"
    return "chapter"


def _split_divisions(doc: Document, blocks, front_titles, back_titles) -> None:
    current: Division | None = None
    part: Division | None = None
    for b in blocks:
        if type(b) is Heading and b.level == 1:
            title = plain_text(b.children).strip()
            kind = _division_kind(title, getattr(b, "_classes", []), front_titles, back_titles)
            current = Division(kind=kind, title=title, id=b.id)
            if kind == "part":
                part = current
                doc.divisions.append(current)
            elif part is not None and kind == "chapter":
                part.children.append(current)
            else:
                if kind != "chapter":
                    part = None
                doc.divisions.append(current)
            continue
        if current is None:
            current = Division(kind="chapter", title="")
            doc.divisions.append(current)
        if type(b) is Heading:
            b.level -= 1  # `##` is a level-1 section inside the division
            if hasattr(b, "_classes"):
                del b._classes
        current.blocks.append(b)
    for d in doc.walk_divisions():
        for b in d.blocks:
            if hasattr(b, "_classes"):
                del b._classes
