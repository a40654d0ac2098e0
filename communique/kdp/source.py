"""Reading a kit's source: a manuscript path (Markdown or DOCX) or an already-read Document.

Kept small and alone so the swap to the documents reader registry (and its one front-matter
parser) is a few lines here."""
from __future__ import annotations

from pathlib import Path

from communique.documents import model as dm

from .kit_layout import KitError


def front_matter_of(path: Path) -> dict:
    """The YAML front matter of a Markdown file ({} when there is none)."""
    import yaml

    path = Path(path)
    if path.suffix.lower() not in (".md", ".markdown", ".txt"):
        return {}
    text = path.read_text(encoding="utf-8-sig")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError as exc:
        raise KitError(f"{path.name}: the front matter is not valid YAML ({exc})") from None
    return data if isinstance(data, dict) else {}


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
        if path.suffix.lower() == ".docx":
            return readers.read_docx(path), {}, path.parent
        return readers.read_markdown(path, base_dir=path.parent), front_matter_of(path), path.parent
    except readers.ReaderError as exc:
        raise KitError(str(exc)) from exc
