"""Any source the desk can read, as one Document, and the plain text of each paragraph.

Markdown and DOCX go through the document readers; saved HTML pages and scraped texts through the
page importer's extraction (which ends as a Document too), so the research desk sees the same
article text the magazine stores, whatever the format."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from communique.documents import model as dm


class SourceError(Exception):
    """A source could not be read; the message names the file and the problem."""


@dataclass
class Passage:
    """One paragraph (or heading, quote, list item, table row, note) of a division."""

    division: int  # index in reading order over doc.walk_divisions()
    division_title: str
    text: str


def read_source(path) -> dm.Document:
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"research: '{path}' is not a file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".md", ".markdown"):
            from communique.documents.readers import read_markdown

            return read_markdown(path)
        if suffix == ".docx":
            from communique.documents.readers import read_docx

            return read_docx(path)
        from communique.importers.page import extract

        warnings: list[str] = []
        doc = extract(path, warnings.append).to_document()
        for w in warnings:
            doc.warn(path.name, w)
        return doc
    except SourceError:
        raise
    except Exception as exc:  # the readers' own errors already name the file and the problem
        raise SourceError(f"research: cannot read '{path.name}': {exc}") from exc


def _block_texts(block) -> list[str]:
    if isinstance(block, (dm.Paragraph, dm.Heading)):
        return [dm.plain_text(block.children)]
    if isinstance(block, dm.PullQuote):
        return [block.text]
    if isinstance(block, dm.Table):
        return [" | ".join(dm.plain_text(c.children) for c in row) for row in block.rows]
    if isinstance(block, dm.Image):
        return [t for t in (block.caption,) if t]
    return []  # quotes and lists: walk_blocks visits their children


def passages(doc: dm.Document) -> list[Passage]:
    out: list[Passage] = []
    index = {id(d): i for i, d in enumerate(doc.walk_divisions())}
    for div, block in doc.walk_blocks():
        for text in _block_texts(block):
            text = " ".join(text.split())
            if text:
                out.append(Passage(index[id(div)], div.title, text))
    for note_blocks in doc.notes.values():
        for block in note_blocks:
            for text in _block_texts(block):
                text = " ".join(text.split())
                if text:
                    out.append(Passage(-1, "notes", text))
    return out


def word_count(doc: dm.Document) -> int:
    return sum(len(p.text.split()) for p in passages(doc))
