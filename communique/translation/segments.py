"""A Document cut into translation units and put back together.

A unit is one paragraph-level piece of text (a paragraph, heading, table cell, list item's paragraph,
a title or caption) with a stable id that says where it lives ("d2.b5", "n:note-3.b0", "meta.title").
Its text is split into sentence segments. Inline marks (emphasis, links, …) are paired codes and note
references, line breaks and inline code are standalone codes, as XLIFF 2.0's `<pc>` and `<ph>`: a
segment's content is a list of text strings and `Tag`s, and the code's data (a link's address, the
note it points to) stays in the unit's code table so no translator or engine can change it.

Paired codes that span a sentence boundary keep the sentences together in one segment, because a
`<pc>` may not cross segments."""
from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Union

from communique.documents import model as m

from .sentences import split_sentences

# Inline node class ↔ code type. Paired codes wrap children; standalone codes stand alone.
PAIRED = {m.Emph: "emph", m.Strong: "strong", m.Superscript: "sup", m.Subscript: "sub",
          m.Strikeout: "strike", m.SmallCaps: "smallcaps", m.Link: "link"}
PAIRED_CLASS = {v: k for k, v in PAIRED.items()}
STANDALONE = {m.Code: "code", m.LineBreak: "br", m.NoteRef: "note"}


@dataclass(frozen=True)
class Tag:
    """A code's position in a segment: kind is 'open', 'close' (a paired code) or 'ph'."""

    kind: str
    id: str


Content = list[Union[str, Tag]]


@dataclass
class InlineCode:
    id: str
    type: str  # emph, strong, sup, sub, strike, smallcaps, link, code, br, note
    data: str = ""  # a link's href, inline code's text, a note's id

    @property
    def paired(self) -> bool:
        return self.type in PAIRED_CLASS


@dataclass
class Segment:
    id: str
    source: Content
    target: Content | None = None
    tail: str = ""  # whitespace after the segment (XLIFF's <ignorable>)
    state: str = "new"  # new, machine, memory, translated, reviewed, approved, stale
    origin: str = ""  # engine name, "memory 97%", a translator's name
    flags: list[str] = field(default_factory=list)  # QA or engine problems, for people to look at
    comments: list[str] = field(default_factory=list)  # translators' and reviewers' notes

    @property
    def source_text(self) -> str:
        return text_of(self.source)

    @property
    def target_text(self) -> str:
        return text_of(self.target or [])


@dataclass
class Unit:
    id: str
    kind: str  # "inline" (has codes) or "plain" (a title, caption, alt text)
    segments: list[Segment]
    codes: dict[str, InlineCode] = field(default_factory=dict)
    note: str = ""  # where it is, for people: "Chapter 2 'Beginnings', paragraph 5"
    _apply: Callable | None = field(default=None, repr=False, compare=False)

    @property
    def source(self) -> Content:
        return join_segments(self.segments, "source")

    def target(self, fallback_to_source: bool = True) -> Content | None:
        if not fallback_to_source and any(s.target is None for s in self.segments):
            return None
        return join_segments(self.segments, "target")

    @property
    def source_text(self) -> str:
        return text_of(self.source)


def text_of(content: Content) -> str:
    return "".join([x for x in content if isinstance(x, str)])  # a list joins faster than a generator


def join_segments(segments: list[Segment], which: str) -> Content:
    out: Content = []
    for s in segments:
        part = s.source if which == "source" or s.target is None else s.target
        out.extend(part)
        if s.tail:
            out.append(s.tail)
    return merge_text(out)


def merge_text(content: Content) -> Content:
    out: Content = []
    for x in content:
        if isinstance(x, str):
            if not x:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += x
                continue
        out.append(x)
    return out


def tag_sequence(content: Content) -> list[Tag]:
    return [x for x in content if isinstance(x, Tag)]


# ---- inlines ↔ content ---------------------------------------------------------------------


def inlines_to_content(inlines: list[m.Inline], codes: dict[str, InlineCode]) -> Content:
    out: Content = []

    def visit(nodes):
        for node in nodes:
            if type(node) is m.Text:
                out.append(node.text)
            elif type(node) in PAIRED:
                cid = str(len(codes) + 1)
                codes[cid] = InlineCode(cid, PAIRED[type(node)], node.href if type(node) is m.Link else "")
                out.append(Tag("open", cid))
                visit(node.children)
                out.append(Tag("close", cid))
            elif type(node) in STANDALONE:
                cid = str(len(codes) + 1)
                data = node.text if type(node) is m.Code else node.note_id if type(node) is m.NoteRef else ""
                codes[cid] = InlineCode(cid, STANDALONE[type(node)], data)
                out.append(Tag("ph", cid))
            else:  # a future inline kind: keep its text rather than lose it
                out.append(m.plain_text([node]))

    visit(inlines)
    return merge_text(out)


def content_to_inlines(content: Content, codes: dict[str, InlineCode]) -> list[m.Inline]:
    """Build the inline tree. Unknown ids and unmatched closes are ignored and unclosed codes closed at
    the end: the code check flags such content before anything is published."""
    root: list = []
    stack: list[tuple[str, list]] = [("", root)]
    for x in content:
        cur = stack[-1][1]
        if isinstance(x, str):
            if cur and type(cur[-1]) is m.Text:
                cur[-1].text += x
            elif x:
                cur.append(m.Text(x))
            continue
        code = codes.get(x.id)
        if code is None:
            continue
        if x.kind == "open" and code.paired:
            cls = PAIRED_CLASS[code.type]
            node = cls(code.data, []) if cls is m.Link else cls([])
            cur.append(node)
            stack.append((x.id, node.children))
        elif x.kind == "close":
            if any(cid == x.id for cid, _ in stack[1:]):
                while stack[-1][0] != x.id:
                    stack.pop()
                stack.pop()
        elif x.kind == "ph" and not code.paired:
            if code.type == "code":
                cur.append(m.Code(code.data))
            elif code.type == "br":
                cur.append(m.LineBreak())
            else:
                cur.append(m.NoteRef(code.data))
    return root


# ---- sentence segments ---------------------------------------------------------------------


def split_content(content: Content) -> list[tuple[Content, str]]:
    """[(sentence content, trailing whitespace)], cutting only where no paired code is open."""
    pieces: list[tuple[Content, str]] = []
    current: Content = []
    depth = 0
    for x in content:
        if isinstance(x, Tag):
            depth += 1 if x.kind == "open" else -1 if x.kind == "close" else 0
            current.append(x)
            continue
        if depth > 0:
            current.append(x)
            continue
        lead = _BOUNDARY_AFTER_CODE.match(x)
        if lead and current and _ends_sentence(current):
            # "*One. Two.* Three.": the full stop was inside the closed code.
            pieces.append((merge_text(current), lead.group(0)))
            current = []
            x = x[lead.end():]
        spans = split_sentences(x)
        for i, (a, b) in enumerate(spans):
            piece = x[a:b]
            if i < len(spans) - 1:
                stripped = piece.rstrip()
                current.append(stripped)
                pieces.append((merge_text(current), piece[len(stripped):]))
                current = []
            else:
                current.append(piece)
    if current or not pieces:
        pieces.append((merge_text(current), ""))
    out = []
    for body, tail in pieces:
        # Trailing whitespace belongs between segments, not inside one.
        if body and isinstance(body[-1], str) and body[-1] != body[-1].rstrip():
            stripped = body[-1].rstrip()
            tail = body[-1][len(stripped):] + tail
            body = body[:-1] + ([stripped] if stripped else [])
        out.append((body, tail))
    return out


_BOUNDARY_AFTER_CODE = re.compile(r"\s+(?=[\"'“‘«(\[]?\w)")


def _ends_sentence(content: Content) -> bool:
    text = text_of(content).rstrip("\"'”’»)] ")
    return bool(text) and text[-1] in ".!?…؟۔।。！？" and text_of(content)[-1:] not in (" ",)


def _unit(uid: str, content: Content, codes, kind: str, note: str, apply) -> Unit:
    segs = [Segment(f"{uid}/s{i + 1}", body, tail=tail) for i, (body, tail) in enumerate(split_content(content))]
    return Unit(uid, kind, segs, codes, note, apply)


# ---- the document walk ---------------------------------------------------------------------


def _plain(uid, obj, attr, note) -> Iterator[Unit]:
    value = getattr(obj, attr)
    if isinstance(value, str) and value.strip():
        def apply(content, obj=obj, attr=attr):
            setattr(obj, attr, text_of(content))
        yield _unit(uid, [value], {}, "plain", note, apply)


_HTML_TAG = re.compile(r"<[^<>]+>")


def _html(uid, obj, attr, note) -> Iterator[Unit]:
    """A string field holding HTML (a book's description): tags are standalone codes."""
    value = getattr(obj, attr)
    if not isinstance(value, str) or not value.strip():
        return
    if not _HTML_TAG.search(value):
        yield from _plain(uid, obj, attr, note)
        return
    codes: dict[str, InlineCode] = {}
    content: Content = []
    pos = 0
    for mt in _HTML_TAG.finditer(value):
        content.append(value[pos:mt.start()])
        cid = str(len(codes) + 1)
        codes[cid] = InlineCode(cid, "tag", mt.group(0))
        content.append(Tag("ph", cid))
        pos = mt.end()
    content.append(value[pos:])

    def apply(new_content, obj=obj, attr=attr, codes=codes):
        setattr(obj, attr, "".join(x if isinstance(x, str) else codes[x.id].data if x.id in codes else ""
                                   for x in new_content))
    yield _unit(uid, merge_text(content), codes, "inline", note, apply)


def _inline(uid, obj, attr, note) -> Iterator[Unit]:
    inlines = getattr(obj, attr)
    if not m.plain_text(inlines).strip() and not any(type(n) in STANDALONE for n in inlines):
        return
    codes: dict[str, InlineCode] = {}
    content = inlines_to_content(inlines, codes)

    def apply(new_content, obj=obj, attr=attr, codes=codes):
        setattr(obj, attr, content_to_inlines(new_content, codes))
    yield _unit(uid, content, codes, "inline", note, apply)


def _blocks(prefix, blocks, note) -> Iterator[Unit]:
    for k, b in enumerate(blocks):
        uid = f"{prefix}.b{k}"
        where = f"{note}, block {k + 1}"
        t = type(b)
        if t is m.Paragraph:
            yield from _inline(uid, b, "children", where)
        elif t is m.Heading:
            yield from _inline(uid, b, "children", f"{note}, heading {k + 1}")
        elif t is m.BlockQuote:
            yield from _blocks(uid, b.blocks, f"{where} (quotation)")
        elif t is m.PullQuote:
            yield from _plain(f"{uid}.text", b, "text", f"{where} (pull quote)")
            yield from _plain(f"{uid}.attribution", b, "attribution", f"{where} (pull quote attribution)")
        elif t is m.Image:
            for attr in ("alt", "caption", "credit"):
                yield from _plain(f"{uid}.{attr}", b, attr, f"{where} (image {attr})")
        elif t is m.Table:
            yield from _plain(f"{uid}.caption", b, "caption", f"{where} (table caption)")
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    yield from _inline(f"{uid}.r{r}c{c}", cell, "children", f"{where} (table row {r + 1}, cell {c + 1})")
        elif t is m.ListBlock:
            for i, item in enumerate(b.items):
                yield from _blocks(f"{uid}.i{i}", item, f"{where} (list item {i + 1})")
        # CodeBlock and ThematicBreak carry nothing to translate.


def _contributors(prefix, contributors, note) -> Iterator[Unit]:
    for i, c in enumerate(contributors):
        yield from _plain(f"{prefix}.c{i}.role_line", c, "role_line", f"{note}, {c.name} (role line)")
        yield from _plain(f"{prefix}.c{i}.bio", c, "bio", f"{note}, {c.name} (biography)")


def _division(prefix, div: m.Division) -> Iterator[Unit]:
    label = f"{div.kind} {div.title!r}" if div.title else div.kind
    for attr in ("title", "subtitle", "section_label"):
        yield from _plain(f"{prefix}.{attr}", div, attr, f"{label} ({attr.replace('_', ' ')})")
    yield from _contributors(prefix, div.contributors, label)
    yield from _blocks(prefix, div.blocks, label)
    for j, child in enumerate(div.children):
        yield from _division(f"{prefix}.{j}", child)


def iter_units(doc: m.Document) -> Iterator[Unit]:
    for attr in ("title", "subtitle"):
        yield from _plain(f"meta.{attr}", doc.meta, attr, f"book {attr}")
    yield from _html("meta.description", doc.meta, "description", "book description")
    yield from _contributors("meta", doc.meta.contributors, "contributors")
    for i, div in enumerate(doc.divisions):
        yield from _division(f"d{i}", div)
    for note_id, blocks in doc.notes.items():
        yield from _blocks(f"n:{note_id}", blocks, f"note {note_id}")


def segment_document(doc: m.Document) -> list[Unit]:
    """The document's units in reading order (metadata, divisions, then notes)."""
    return list(iter_units(doc))


def source_version(units: list[Unit]) -> str:
    """A fingerprint of everything translatable: a file made from another version is refused."""
    h = hashlib.sha256()
    for u in units:
        h.update(json.dumps([u.id, [content_json(s.source) for s in u.segments],
                             {k: [c.type, c.data] for k, c in u.codes.items()}], ensure_ascii=False).encode())
    return h.hexdigest()[:16]


def content_json(content: Content) -> list:
    return [x if isinstance(x, str) else [x.kind, x.id] for x in content]


def content_from_json(data: list) -> Content:
    return [x if isinstance(x, str) else Tag(x[0], x[1]) for x in data]


def reassemble(doc: m.Document, units: list[Unit], language: str, *, fallback_to_source: bool = True) -> m.Document:
    """A translated copy of `doc`: each unit's target replaces its source text (units without a target
    keep the source when `fallback_to_source`, else the call fails naming them). `doc` is unchanged."""
    by_id = {u.id: u for u in units}
    out = copy.deepcopy(doc)
    missing = []
    for fresh in iter_units(out):
        unit = by_id.get(fresh.id)
        if unit is None:
            continue
        target = unit.target(fallback_to_source)
        if target is None:
            missing.append(unit.id)
            continue
        fresh._apply(target)
    if missing:
        raise ValueError(f"{len(missing)} unit(s) have no translation: {', '.join(missing[:5])}")
    out.meta.language = language
    return out
