"""The only place translation touches the document engine's public API (readers and the writer
registry), so the engine's coming reader registry and transform pipeline is a change here alone."""
from __future__ import annotations

from pathlib import Path

from communique.documents.model import Document


class ManuscriptError(ValueError):
    pass


def read_manuscript(path) -> Document:
    """A Markdown or DOCX manuscript, chosen by its content, as a Document; ManuscriptError names the problem."""
    from communique.documents.readers import ReaderError, read_docx, read_markdown
    from communique.editions.management.commands.render import sniff
    from django.core.management.base import CommandError

    path = Path(path).resolve()
    if not path.is_file():
        raise ManuscriptError(f"{path}: no such manuscript file")
    try:
        kind = sniff(path)
        return read_docx(path) if kind == "docx" else read_markdown(path)
    except (ReaderError, CommandError) as exc:
        raise ManuscriptError(str(exc)) from None


def write(fmt: str, document: Document, output_path, options: dict | None = None):
    from communique.editions.registry import write as registry_write

    return registry_write(fmt, document, output_path, options)
