"""The back-of-book index in the document model: marks in the text and the index node at the back.

The index transform (documents/transforms/index.py) wraps each indexed word in an `IndexMark`
(an inline with an id, so a writer can point at it) and appends a Division of kind "index" holding
one `IndexBlock`. Writers turn the block into what their format can hold: page numbers read from
the layout in the print PDF, EPUB Indexes 1.0 markup linking to the marks in an EPUB, a linked
list in HTML. Writers that cannot point at a place keep the marked words (IndexMark has children,
so `plain_text` and every flattening path keep them).

They live here rather than in `model.INLINE_TYPES`/`BLOCK_TYPES` because only the index
transform makes them; the shared HTML serialiser handles both."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IndexMark:
    """An indexed word or phrase in the text; `id` is unique in the document ("ix-12")."""

    id: str
    children: list  # inlines


@dataclass
class IndexLocator:
    mark: str  # IndexMark.id
    division: int  # the division's place in reading order
    division_title: str  # what a reflowable locator says ("Summits")


@dataclass
class IndexEntry:
    heading: str
    id: str  # for "see" links to this entry
    locators: list[IndexLocator] = field(default_factory=list)
    subentries: list[IndexEntry] = field(default_factory=list)
    see: str = ""  # heading of the preferred entry
    see_also: list[str] = field(default_factory=list)


@dataclass
class IndexBlock:
    """The index: letter groups of entries, sorted for `language`. `ranges` is the house style for
    consecutive pages: "join" prints 12–14, "ff" prints 12f. for two pages and 12ff. for more."""

    language: str
    groups: list[tuple[str, list[IndexEntry]]]
    ranges: str = "join"
    see_label: str = "see"
    see_also_label: str = "see also"

    def entry_ids(self) -> dict[str, str]:
        """heading → entry id, for cross-references (sub-entries are not targets)."""
        return {e.heading: e.id for _label, entries in self.groups for e in entries}


RANGE_STYLES = ("join", "ff")


def page_runs(pages) -> list[tuple[int, int]]:
    """Distinct pages in order as runs of consecutive numbers: [3, 4, 5, 9] → [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for p in sorted(set(pages)):
        if runs and p == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    return runs


def format_run(first: int, last: int, style: str = "join") -> str:
    if first == last:
        return str(first)
    if style == "ff":
        return f"{first}f." if last == first + 1 else f"{first}ff."
    return f"{first}–{last}"


def format_pages(pages, style: str = "join") -> str:
    """Page numbers as an index prints them: "3–5, 9" (join) or "3ff., 9" (ff)."""
    if style not in RANGE_STYLES:
        raise ValueError(f"index ranges must be one of {', '.join(RANGE_STYLES)}, not {style!r}")
    return ", ".join(format_run(a, b, style) for a, b in page_runs(pages))


def iter_entries(block: IndexBlock):
    for _label, entries in block.groups:
        for e in entries:
            yield e
            yield from e.subentries


def index_text(block: IndexBlock) -> str:
    """The index's words, for places that hold only text."""
    return " ".join(e.heading for e in iter_entries(block))


def iter_marks(blocks):
    """Every IndexMark in these blocks, in reading order."""
    def inlines(nodes):
        for n in nodes:
            if isinstance(n, IndexMark):
                yield n
            children = getattr(n, "children", None)
            if children:
                yield from inlines(children)

    for b in blocks:
        children = getattr(b, "children", None)
        if isinstance(children, list):
            yield from inlines(children)
        for sub in getattr(b, "blocks", None) or ():
            yield from iter_marks([sub])
        for item in getattr(b, "items", None) or ():
            yield from iter_marks(item)
        for row in getattr(b, "rows", None) or ():
            for cell in row:
                yield from inlines(cell.children)
