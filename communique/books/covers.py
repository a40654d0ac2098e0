"""A finished cover from the author: a front-only JPEG/PNG, or a designer's full-wrap PDF.

The file is checked by what it is (its first bytes, then Pillow or pypdf), not by its name, and
is written to a temporary file beside its final place and renamed in only when every check has
passed, so a refused upload leaves nothing and the previous cover stays. A wrap's height and
minimum width follow from the trim alone; its width also needs the spine, so it is checked
exactly when the book has a kit (whose page count is known) and again by every kit build."""
from __future__ import annotations

import os
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from communique.kdp import facts, geometry

from .models import Book, KitBuild

MAX_COVER_BYTES = getattr(settings, "BOOKS_MAX_COVER_BYTES", 40 * 1024 * 1024)
KINDS = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}
SUFFIXES = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}
NAMES = {"pdf": "a PDF", "png": "a PNG image", "jpeg": "a JPEG image"}
D = Decimal


class CoverError(ValidationError):
    pass


def _sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in KINDS.items() if head.startswith(magic)), None)


def kit_paper(paper: str) -> str:
    from communique.kdp.metadata import _PAPERS

    return _PAPERS.get(paper, paper)


def check_image(path: Path, name: str) -> str:
    """A front cover: KDP's pixel limits (facts.EBOOK_COVER_MIN / _MAX), decodable, not a bomb."""
    from PIL import Image

    from communique.editions.epub.images import ImageProblem, _header_size

    (min_w, min_h), (max_w, max_h) = facts.EBOOK_COVER_MIN.value, facts.EBOOK_COVER_MAX.value
    try:
        # The header first, so a picture too big to open is refused by its size, not by Pillow's alarm.
        try:
            _fmt, width, height = _header_size(path)
        except ImageProblem:
            width = height = None
        if width and (width > max_w or height > max_h):
            raise CoverError(f"“{name}” is {width} × {height} px; KDP takes covers of at most {max_w} × {max_h} px. "
                             "Export it at 1600 × 2560 px.")
        with Image.open(path) as im:
            width, height = im.size
            if width > max_w or height > max_h or (Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS):
                raise CoverError(f"“{name}” is {width} × {height} px; KDP takes covers of at most {max_w} × {max_h} px. "
                                 "Export it at 1600 × 2560 px.")
            if width < min_w or height < min_h:
                raise CoverError(f"“{name}” is {width} × {height} px; KDP needs at least {min_w} × {min_h} px "
                                 "(1600 × 2560 px is ideal).")
            im.verify()
    except CoverError:
        raise
    except Image.DecompressionBombError:
        raise CoverError(f"“{name}” has too many pixels to open safely. Export it at 1600 × 2560 px.") from None
    except Exception as exc:  # noqa: BLE001 - any undecodable image is the author's file to fix
        raise CoverError(f"“{name}” could not be read as an image ({type(exc).__name__}); export it again as JPEG "
                         "or PNG.") from None
    ratio = D(height) / D(width)
    note = ""
    if abs(ratio - facts.EBOOK_COVER_RATIO.value) > D("0.05"):
        note = (f"“{name}” is {width} × {height} px (height {ratio:.2f} × the width); KDP's ideal is 1.6, "
                "so the eBook cover will be cropped or framed.")
    return note


def wrap_expectation(book: Book) -> tuple[int | None, geometry.CoverSize | None]:
    """The page count of the book's latest kit, and the wrap KDP computes for it."""
    build = book.builds.filter(state=KitBuild.State.DONE).order_by("-created_at").first()
    pages = None
    if build is not None and build.folder_path is not None:
        import json

        try:
            meta = json.loads((build.folder_path / "metadata.json").read_text(encoding="utf-8"))
            pages = int((meta.get("layout") or {}).get("pages"))
        except (OSError, ValueError, TypeError):
            pages = None
    if pages is None:
        return None, None
    return pages, geometry.cover_size(book.trim, pages, kit_paper(book.paper))


def check_wrap(path: Path, name: str, book: Book) -> str:
    """A full-wrap PDF: one page, not encrypted, the height of trim plus bleed, and (when the page
    count is known) exactly the computed width; the error names the expected and actual size."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise CoverError(f"“{name}” is an encrypted PDF; KDP rejects locked files. Export it without a password.")
        n_pages = len(reader.pages)
        box = reader.pages[0].mediabox
        width, height = D(str(round(float(box.width) / 72, 3))), D(str(round(float(box.height) / 72, 3)))
    except CoverError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise CoverError(f"“{name}” could not be read as a PDF ({type(exc).__name__}); export it again as PDF.") from None
    if n_pages != 1:
        raise CoverError(f"“{name}” has {n_pages} pages; KDP wants one page holding back, spine and front.")
    trim = geometry.Trim.parse(book.trim)
    bleed, tol = facts.BLEED.value, facts.COVER_SIZE_TOLERANCE_IN.value
    pages, size = wrap_expectation(book)
    actual = f"{width.quantize(D('0.001')):f} × {height.quantize(D('0.001')):f} in"
    if size is not None:
        if abs(width - size.width) > tol or abs(height - size.height) > tol:
            raise CoverError(
                f"“{name}” is {actual}; for this book's {pages} pages on {book.get_paper_display().lower()} at "
                f"{trim} KDP needs {size.width.quantize(D('0.001')):f} × {size.height.quantize(D('0.001')):f} in "
                f"(spine {size.spine.quantize(D('0.001')):f} in, bleed {bleed:f} in on each side).")
        return ""
    want_h = trim.height + 2 * bleed
    min_w = 2 * trim.width + 2 * bleed
    if abs(height - want_h) > tol or width < min_w - tol:
        raise CoverError(
            f"“{name}” is {actual}; at {trim} KDP needs a wrap {want_h.quantize(D('0.001')):f} in tall and "
            f"{min_w.quantize(D('0.001')):f} in wide plus the spine (back, spine and front with {bleed:f} in bleed). "
            "Is it the front only? Export the whole wrap, or upload the front as JPEG or PNG.")
    return ("The spine width depends on the page count, which is known once the kit is built: the build checks the "
            "wrap's width exactly.")


def store_finished_cover(book: Book, uploaded) -> str:
    """Check and store the upload as the book's finished cover; returns a note for the author
    (empty when there is nothing to add). CoverError names the problem; nothing is kept then."""
    name = Path(getattr(uploaded, "name", "cover")).name
    size = getattr(uploaded, "size", None) or 0
    if size > MAX_COVER_BYTES:
        raise CoverError(f"“{name}” is {size / 1048576:.1f} MB; the limit is {MAX_COVER_BYTES // 1048576} MB.")
    if size == 0:
        raise CoverError(f"“{name}” is empty.")
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind, named = _sniff(head), SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        raise CoverError(f"“{name}” is not a JPEG, PNG or PDF file. Upload the front cover as JPEG or PNG, or the "
                         "full wrap as PDF.")
    if named is None or named != kind:
        raise CoverError(f"“{name}” is {NAMES[kind]} but its name says otherwise; rename it to end in "
                         f"{'.pdf' if kind == 'pdf' else '.png' if kind == 'png' else '.jpg'} and upload it again.")
    folder = Path(settings.PRIVATE_ROOT) / "books" / str(book.public_id) / "covers"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", suffix=".partial", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in (uploaded.chunks() if hasattr(uploaded, "chunks") else [uploaded.read()]):
                fh.write(chunk)
        note = check_wrap(tmp, name, book) if kind == "pdf" else check_image(tmp, name)
        suffix = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}[kind]
        final = folder / f"cover-{uuid.uuid4().hex}{suffix}"
        os.chmod(tmp, 0o644)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    old = book.finished_cover.name if book.finished_cover else ""
    try:
        with transaction.atomic():
            Book.objects.filter(pk=book.pk).update(
                finished_cover=str(final.relative_to(settings.PRIVATE_ROOT)), finished_cover_name=name[:255],
                finished_cover_kind="wrap" if kind == "pdf" else "front")
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    book.refresh_from_db()
    if old and old != book.finished_cover.name:
        (Path(settings.PRIVATE_ROOT) / old).unlink(missing_ok=True)
    return note


def remove_finished_cover(book: Book) -> None:
    old = book.finished_cover.name if book.finished_cover else ""
    Book.objects.filter(pk=book.pk).update(finished_cover="", finished_cover_name="", finished_cover_kind="")
    if old:
        (Path(settings.PRIVATE_ROOT) / old).unlink(missing_ok=True)
    book.refresh_from_db()


def finished_cover_path(book: Book) -> Path | None:
    if not book.finished_cover:
        return None
    path = Path(settings.PRIVATE_ROOT) / book.finished_cover.name
    return path if path.is_file() else None
