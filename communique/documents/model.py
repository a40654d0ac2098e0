"""The one document model every reader builds and every writer reads (after Pandoc's AST).

A Document is metadata plus an ordered tree of Divisions (front matter, parts, chapters or
articles, back matter); a Division holds Blocks; Blocks hold Inlines. Footnotes live in one
table on the Document and are referenced by id from the text, so writers can place them at the
foot of a page (PDF), as linked notes (EPUB) or at the end of an article (web)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from communique.documents.languages import direction_for, rtl_primary_subtags

RTL_LANGUAGES = set(rtl_primary_subtags())  # kept for callers; derived from the language registry


# ---- inlines -------------------------------------------------------------------------------


@dataclass
class Text:
    text: str


@dataclass
class Emph:
    children: list[Inline]


@dataclass
class Strong:
    children: list[Inline]


@dataclass
class Superscript:
    children: list[Inline]


@dataclass
class Subscript:
    children: list[Inline]


@dataclass
class Strikeout:
    children: list[Inline]


@dataclass
class SmallCaps:
    children: list[Inline]


@dataclass
class Cite:
    """The title of a cited work (HTML <cite>, a DOCX "Book Title" run): italic in most styles,
    but kept apart from emphasis so a style or an index can treat titles differently."""

    children: list[Inline]


@dataclass
class Code:
    text: str


@dataclass
class Link:
    href: str
    children: list[Inline]


@dataclass
class LineBreak:
    pass


@dataclass
class NoteRef:
    """A reference to Document.notes[note_id]."""

    note_id: str


Inline = Union[Text, Emph, Strong, Superscript, Subscript, Strikeout, SmallCaps, Cite, Code, Link, LineBreak, NoteRef]
INLINE_TYPES = (Text, Emph, Strong, Superscript, Subscript, Strikeout, SmallCaps, Cite, Code, Link, LineBreak, NoteRef)


# ---- blocks --------------------------------------------------------------------------------


@dataclass
class Paragraph:
    children: list[Inline]
    # A named paragraph style (Pandoc's custom-style), e.g. "subtitle", "author", "publisher",
    # "dedication", "epigraph", "attribution" on the pages the matter transform makes. Writers
    # map it to a class (HTML) or a Word style; "" is an ordinary paragraph.
    role: str = ""


@dataclass
class Heading:
    level: int  # 1 = a section inside a division; a division's own title is not a Heading
    children: list[Inline]
    id: str = ""


@dataclass
class BlockQuote:
    blocks: list[Block]


@dataclass
class PullQuote:
    text: str
    attribution: str = ""


@dataclass
class Image:
    """An image file on disk. Readers check it exists; writers check its format and size."""

    path: Path
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class TableCell:
    children: list[Inline]
    header: bool = False


@dataclass
class Table:
    rows: list[list[TableCell]]
    caption: str = ""


@dataclass
class ListBlock:
    ordered: bool
    items: list[list[Block]]


@dataclass
class CodeBlock:
    text: str


@dataclass
class ThematicBreak:
    pass


Block = Union[Paragraph, Heading, BlockQuote, PullQuote, Image, Table, ListBlock, CodeBlock, ThematicBreak]
BLOCK_TYPES = (Paragraph, Heading, BlockQuote, PullQuote, Image, Table, ListBlock, CodeBlock, ThematicBreak)


# ---- structure -----------------------------------------------------------------------------

# Division kinds follow the EPUB structural semantics vocabulary so writers can map them 1:1.
# "toc" marks where a writer puts the contents it generates from the structure (its title is the
# heading); "halftitlepage" is the title alone; "seriespage" lists the author's other books.
FRONT_KINDS = {"halftitlepage", "seriespage", "titlepage", "copyright-page", "dedication", "epigraph", "foreword",
               "preface", "introduction", "toc"}
BACK_KINDS = {"afterword", "acknowledgments", "appendix", "notes", "bibliography", "index", "about-the-author"}
# Pages with no visible heading of their own are still named (contents, landmarks, <title>) by
# Division.label.
BODY_KINDS = {"part", "chapter", "article"}


@dataclass
class Contributor:
    name: str
    role: str = "author"  # author, editor, foreword, introduction, preface, translator, illustrator, …
    role_line: str = ""  # "President, Institute of Peace and Diplomatic Studies"
    bio: str = ""


@dataclass
class Division:
    kind: str  # one of FRONT_KINDS | BODY_KINDS | BACK_KINDS
    title: str = ""
    blocks: list[Block] = field(default_factory=list)
    children: list[Division] = field(default_factory=list)  # chapters inside a part
    subtitle: str = ""
    contributors: list[Contributor] = field(default_factory=list)
    id: str = ""
    section_label: str = ""  # "OpEd" for an article in a magazine issue
    label: str = ""  # the division's name where its title is not shown ("Copyright", "Dedication")

    @property
    def matter(self) -> str:
        if self.kind in FRONT_KINDS:
            return "front"
        if self.kind in BACK_KINDS:
            return "back"
        return "body"


@dataclass
class Metadata:
    title: str
    subtitle: str = ""
    contributors: list[Contributor] = field(default_factory=list)
    language: str = "en"
    identifiers: dict[str, str] = field(default_factory=dict)  # {"isbn": "978…", "uuid": "…"}
    publisher: str = ""
    date: str = ""  # ISO 8601
    rights: str = ""
    subjects: list[str] = field(default_factory=list)
    description: str = ""
    cover_image: Path | None = None
    series: str = ""
    series_number: str = ""
    edition: str = ""
    # Added for the EPUB writer; readers fill what they know.
    modified: str = ""  # ISO 8601 timestamp for dcterms:modified; builds are reproducible when set
    accessibility_summary: str = ""  # overrides the summary the EPUB writer composes
    source_path: Path | None = None  # the manuscript file, for messages
    category: str = ""  # what the source files itself under (a DOCX's Category property): a magazine section

    @property
    def direction(self) -> str:
        return direction_for(self.language)

    @property
    def edition_statement(self) -> str:
        """'1' → 'First edition'; words the author wrote ('Revised edition') stay as they are."""
        value = self.edition.strip()
        ordinals = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"]
        if value.isdigit() and 1 <= int(value) <= len(ordinals):
            return f"{ordinals[int(value) - 1]} edition"
        if value and "edition" not in value.lower():
            return f"Edition {value}"
        return value

    @property
    def authors(self) -> list[Contributor]:
        return [c for c in self.contributors if c.role == "author"]


@dataclass
class Warning_:
    """Something a reader, transform or writer dropped or changed, reported to the user instead of
    hidden. The one warning type: readers put it on Document.warnings, writers on BuildReport.warnings,
    and the CLI, the kit and the portal print both (`Diagnostic` is the same class)."""

    where: str
    message: str
    stage: str = ""  # "reader", "transform" or "writer" when known


    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


Diagnostic = Warning_


@dataclass
class Document:
    meta: Metadata
    divisions: list[Division] = field(default_factory=list)
    notes: dict[str, list[Block]] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    # The source's front matter as read (communique.documents.frontmatter), for callers that map
    # keys the model has no place for (a kit's cover art, an article's section).
    front_matter: dict = field(default_factory=dict)

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Warning_(where, message))

    def walk_blocks(self):
        """(division, block) for every block of every division, in reading order, into quotes and lists."""

        def visit(div, blocks):
            for b in blocks:
                yield div, b
                if isinstance(b, BlockQuote):
                    yield from visit(div, b.blocks)
                elif isinstance(b, ListBlock):
                    for item in b.items:
                        yield from visit(div, item)

        for div in self.walk_divisions():
            yield from visit(div, div.blocks)

    def walk_divisions(self):
        """Every division in reading order, parts before their chapters."""

        def visit(divs):
            for d in divs:
                yield d
                yield from visit(d.children)

        yield from visit(self.divisions)


def plain_text(inlines: list[Inline]) -> str:
    out = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        elif hasattr(node, "children"):
            out.append(plain_text(node.children))
    return "".join(out)
