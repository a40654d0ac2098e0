"""Reading a kit's source: a manuscript path (Markdown or DOCX) or an already-read Document.

Through the documents reader registry and its one safe front-matter parser."""
from __future__ import annotations

from pathlib import Path

from communique.documents import model as dm

from .kit_layout import KitError


def front_matter_of(path: Path) -> dict:
    """The YAML front matter of a Markdown file ({} when there is none), through the one safe
    parser in communique.documents.frontmatter."""
    from communique.documents import frontmatter

    path = Path(path)
    if path.suffix.lower() not in (".md", ".markdown", ".txt"):
        return {}
    try:
        return frontmatter.read_file(path)
    except frontmatter.ReaderError as exc:
        raise KitError(str(exc)) from None


def read_source(source) -> tuple[dm.Document, dict, Path | None]:
    """(document, front matter, manuscript folder) from a path or an already-read Document."""
    if isinstance(source, dm.Document):
        base = source.meta.source_path.parent if getattr(source.meta, "source_path", None) else None
        return source, {}, base
    from communique.documents import readers

    path = Path(source)
    if not path.is_file():
        raise KitError(f"The manuscript {path} does not exist.")
    try:
        document = readers.read(path, accept=("markdown", "docx"))
        return document, document.front_matter, path.parent
    except readers.ReaderError as exc:
        raise KitError(str(exc)) from exc
