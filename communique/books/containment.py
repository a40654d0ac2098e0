"""An uploaded manuscript may only use files it brought with it.

Every image a reader hands on is a path the writers will open; a path is allowed only when it
resolves (symlinks followed) to a file inside the upload's own folder. Anything that looks like a
URL (a scheme such as ``https:`` or ``file:``, a protocol-relative ``//host/x``, a UNC ``\\\\host``) is
remote: it is never read from disk, so it is refused here rather than trusted as "not a path".
Before this, ``//any/path.png`` counted as remote yet was opened as ``/any/path.png``.
"""
from __future__ import annotations

import re
from pathlib import Path

from communique.documents import model as dm

# The front-matter keys a cover may come from: the Markdown reader and the kit each read some.
COVER_KEYS = ("cover", "cover-image", "cover_image")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)


def is_remote(ref: str) -> bool:
    return bool(_REMOTE.match(str(ref).strip()))


def _walk(blocks):
    for b in blocks:
        yield b
        if isinstance(b, dm.BlockQuote):
            yield from _walk(b.blocks)
        elif isinstance(b, dm.ListBlock):
            for item in b.items:
                yield from _walk(item)


def image_refs(document: dm.Document, front_matter: dict | None = None) -> list[tuple[str, Path]]:
    """(what the author wrote, the path a writer would open) for every image and cover."""
    refs = []
    for _, block in document.walk_blocks():
        if isinstance(block, dm.Image):
            refs.append((str(block.path), Path(block.path)))
    for blocks in document.notes.values():
        refs += [(str(b.path), Path(b.path)) for b in _walk(blocks) if isinstance(b, dm.Image)]
    if document.meta.cover_image:
        refs.append((str(document.meta.cover_image), Path(document.meta.cover_image)))
    base = document.meta.source_path.parent if getattr(document.meta, "source_path", None) else None
    for key in COVER_KEYS:
        value = (front_matter or {}).get(key)
        if isinstance(value, str) and value.strip():
            written = value.strip()
            refs.append((written, Path(written) if base is None else base / written))
    return refs


def inside(path: Path, root: Path) -> bool:
    """True when `path` (a local path, not a URL) resolves to somewhere inside `root`."""
    text = str(path)
    if is_remote(text) or text.startswith("//"):
        return False
    try:
        return Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError, ValueError):  # symlink loops, NUL bytes
        return False


def outside_refs(document: dm.Document, root: Path, front_matter: dict | None = None) -> list[str]:
    """What the author wrote for each image or cover that is not a file inside `root`."""
    root = Path(root).resolve()
    bad = []
    for written, path in image_refs(document, front_matter):
        if is_remote(written) or not inside(path, root):
            shown = written
            for prefix in (str(root) + "/",):
                shown = shown.replace(prefix, "")
            bad.append(shown)
    return sorted(set(bad))
