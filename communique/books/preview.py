"""The book in the browser before a kit is built: the latest manuscript, with the book's details
and front and back matter exactly as the kit would merge them, written by the single-file HTML
writer (its own CSS, images inline), and shown in the portal at phone, tablet and Kindle sizes.

The reading runs in the same limited child process as an upload (books/parsing.run_limited), and
the page is written once per manuscript and set of details (a hash in the file name), so a
preview costs one read however often it is opened."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings

from .models import Book, Manuscript

# Frame sizes in CSS pixels: a common phone, a 7–8 inch tablet and a 6-inch Kindle Paperwhite.
SIZES = {
    "phone": {"label": "Phone", "width": 390, "height": 760},
    "tablet": {"label": "Tablet", "width": 768, "height": 1000},
    "kindle": {"label": "Kindle", "width": 600, "height": 800},
}


def _theme_options(book: Book) -> dict:
    """The author's interior theme, when the book and the HTML writer both know of one."""
    from communique.editions import html_edition

    theme = getattr(book, "interior_theme", "") or ""
    return {"theme": theme} if theme and "theme" in getattr(html_edition, "OPTIONS", ()) else {}


def _key(book: Book, ms: Manuscript, overrides: dict, matter: dict, options: dict) -> str:
    data = json.dumps({"ms": str(ms.public_id), "o": overrides, "m": matter, "r": book.rights, "x": options},
                      sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _render(path: str, kind: str, overrides: dict, matter: dict, rights: str, out: str, options: dict) -> list[str]:
    """In the limited child: read, merge as the kit does, write the HTML; the warnings come back."""
    import tempfile

    from communique.editions import registry
    from communique.kdp.merge import add_matter, apply_metadata, metadata_for
    from communique.kdp.source import front_matter_of

    from .services import opened_manuscript, read_document

    with opened_manuscript(Path(path)) as (source, _root), tempfile.TemporaryDirectory(prefix="preview-") as scratch:
        document = read_document(source, kind, work_dir=Path(scratch))
        front = front_matter_of(source) if kind == "markdown" else {}
        md = metadata_for(document, front, overrides)
        document = add_matter(document, {**{k: front.get(k) for k in matter if front.get(k)}, **matter})
        document = apply_metadata(document, md, isbn=md.isbn_ebook, rights=rights or str(front.get("rights") or ""))
        report = registry.write("html", document, Path(out), {"lang": md.language, **options})
    return [str(w) for w in report.warnings][:20]


def preview_file(book: Book, ms: Manuscript) -> Path:
    """The preview's HTML file for this manuscript and these details, written if missing."""
    from .parsing import run_limited
    from .services import book_matter, book_overrides

    overrides = {k: v for k, v in book_overrides(book).items() if k not in ("ebook_prices", "paperback_prices")}
    matter, options = book_matter(book), _theme_options(book)
    folder = Path(settings.PRIVATE_ROOT) / "books" / str(book.public_id) / "previews"
    target = folder / f"{ms.public_id}-{_key(book, ms, overrides, matter, options)}.html"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{ms.public_id}-*.html"):  # earlier details of the same manuscript
        old.unlink(missing_ok=True)
    # The HTML writer writes beside the target and renames, so a reader never sees half a page.
    run_limited(_render, str(ms.path), ms.kind, overrides, matter, book.rights, str(target), options,
                name=ms.original_name)
    return target
