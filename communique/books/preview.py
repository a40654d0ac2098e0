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
        rights = rights or str(front.get("rights") or "")
        document = _as_the_ebook(document, md, front, matter, rights, add_matter, apply_metadata)
        theme = str(front.get("theme") or "")
        if theme and "theme" in _html_options():
            options = {**options, "theme": theme}
        report = registry.write("html", document, Path(out), {"lang": md.language, **options})
        if theme and "theme" not in _html_options():
            _add_theme_css(Path(out), theme, md.language)
    return [str(w) for w in report.warnings][:20]


def _html_options() -> set:
    from communique.editions import html_edition

    return set(getattr(html_edition, "OPTIONS", ()))


def _as_the_ebook(document, md, front, matter, rights, add_matter, apply_metadata):
    """The document as the kit's EPUB gets it: its matter transform where the kit has one (title
    and copyright pages, dedication…), else the kit's added divisions."""
    from communique.kdp import kit

    with_matter = getattr(kit, "_with_matter", None)
    if with_matter is not None:
        texts = {**{k: v for k, v in front.items() if v not in (None, "")}, **{k: v for k, v in matter.items() if v}}
        return with_matter(apply_metadata(document, md, isbn=md.isbn_ebook, rights=rights), texts,
                           medium="ebook", fmt="EPUB", fonts_line=False)
    document = add_matter(document, {**{k: front.get(k) for k in matter if front.get(k)}, **matter})
    return apply_metadata(document, md, isbn=md.isbn_ebook, rights=rights)


def _add_theme_css(path: Path, theme: str, language: str) -> None:
    """The interior theme's own CSS (the EPUB's, from editions/themes.py) on the preview page,
    when the HTML writer does not take a theme itself; never a copy kept here."""
    try:
        from communique.editions import themes

        css = themes.epub_css(themes.get(theme), language)
    except Exception:  # noqa: BLE001 - without the theme's CSS the page keeps the writer's own
        return
    html = path.read_text(encoding="utf-8")
    tmp = path.with_suffix(".theme.part")
    tmp.write_text(html.replace("</head>", f"<style>{css}</style>\n</head>", 1), encoding="utf-8")
    tmp.replace(path)


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
