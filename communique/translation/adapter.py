"""The only place translation touches the document engine's public API (readers and the writer
registry), so the engine's coming reader registry and transform pipeline is a change here alone."""
from __future__ import annotations

from pathlib import Path

from communique.documents.model import Document


class ManuscriptError(ValueError):
    pass


def read_manuscript(path) -> Document:
    """A Markdown or DOCX manuscript, chosen by its content, as a Document; ManuscriptError names the problem."""
    from communique.documents.readers import ReaderError
    from communique.documents.readers.registry import MANUSCRIPT_KINDS, read

    path = Path(path).resolve()
    if not path.is_file():
        raise ManuscriptError(f"{path}: no such manuscript file")
    try:
        return read(path, accept=MANUSCRIPT_KINDS)
    except ReaderError as exc:
        raise ManuscriptError(str(exc)) from None


def write(fmt: str, document: Document, output_path, options: dict | None = None):
    from communique.documents import transforms
    from communique.editions.registry import write as registry_write

    # The front matter comes after the translation in the pipeline, so its labels are the
    # translation's language (the writers make no matter of their own).
    # The source's front-matter texts (a dedication) are not translated yet: none rather than the
    # source language's words in the translation.
    matter = {"medium": "print" if fmt == "pdf" else "ebook", "format": "EPUB" if fmt == "epub" else None,
              "fonts_line": fmt in ("epub", "pdf"), "texts": {}}
    document = transforms.run(document, ["matter"], {"matter": matter})
    return registry_write(fmt, document, output_path, options)
