"""What the portal does, without the request: import a manuscript, describe what came in, turn a
Book row into kit metadata, run a kit build. Views and jobs call these; tests call them too."""
from __future__ import annotations

import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from communique.documents import model as dm

from .models import Book, KitBuild, Manuscript

MAX_MANUSCRIPT_BYTES = getattr(settings, "BOOKS_MAX_MANUSCRIPT_BYTES", 40 * 1024 * 1024)
MAX_ZIP_UNPACKED_BYTES = 200 * 1024 * 1024
KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".zip": "markdown", ".docx": "docx"}


class ManuscriptError(ValidationError):
    pass


def _check_upload(name: str, head: bytes, size: int) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        raise ManuscriptError(
            f"“{name}” is not a manuscript we can read. Upload a Word file (.docx), a Markdown file (.md), "
            "or a .zip holding one Markdown file and its images.")
    if size == 0:
        raise ManuscriptError(f"“{name}” is empty.")
    if size > MAX_MANUSCRIPT_BYTES:
        raise ManuscriptError(f"“{name}” is {size / 1048576:.1f} MB; the limit is {MAX_MANUSCRIPT_BYTES // 1048576} MB. "
                              "Large images are the usual cause: reduce them to 300 ppi at printed size.")
    if suffix in (".docx", ".zip") and not head.startswith(b"PK\x03\x04"):
        raise ManuscriptError(f"“{name}” is named {suffix} but is not a {suffix[1:].upper()} file (it is not a ZIP "
                              "container). If it is an old .doc, open it in Word and save it as .docx.")
    if suffix in (".md", ".markdown", ".txt") and b"\x00" in head:
        raise ManuscriptError(f"“{name}” is not a text file; Markdown must be plain UTF-8 text.")
    return suffix


@contextmanager
def opened_source(path: Path):
    """Yields the file a reader should open: the path itself, or the Markdown inside a .zip
    (unpacked to a temporary folder so its relative image paths resolve)."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        yield path
        return
    tmp = Path(tempfile.mkdtemp(prefix="manuscript-"))
    try:
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise ManuscriptError(f"“{path.name}” is not a readable ZIP file.") from None
        with zf:
            total = 0
            for info in zf.infolist():
                pure = PurePosixPath(info.filename)
                if pure.is_absolute() or ".." in pure.parts:
                    raise ManuscriptError(f"The ZIP holds an unsafe path “{info.filename}”; paths must stay inside the ZIP.")
                total += info.file_size
            if total > MAX_ZIP_UNPACKED_BYTES:
                raise ManuscriptError("The ZIP unpacks to more than 200 MB.")
            zf.extractall(tmp)
        mds = sorted(p for p in tmp.rglob("*") if p.suffix.lower() in (".md", ".markdown") and "__MACOSX" not in p.parts)
        if len(mds) != 1:
            raise ManuscriptError(f"The ZIP must hold exactly one Markdown file; it holds {len(mds)}.")
        yield mds[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_document(path: Path, kind: str | None = None) -> dm.Document:
    """Read a stored manuscript into a Document; ManuscriptError names what is wrong."""
    from communique.documents import readers

    path = Path(path)
    kind = kind or KINDS.get(path.suffix.lower(), "markdown")
    try:
        if kind == "docx":
            return readers.read_docx(path)
        return readers.read_markdown(path, base_dir=path.parent)
    except ManuscriptError:
        raise
    except readers.ReaderError as exc:
        raise ManuscriptError(str(exc)) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError) as exc:
        what = "Word" if kind == "docx" else "Markdown"
        raise ManuscriptError(f"“{path.name}” could not be read as a {what} manuscript: {exc}") from exc


def _walk_blocks(blocks):
    for b in blocks:
        yield b
        if isinstance(b, dm.BlockQuote):
            yield from _walk_blocks(b.blocks)
        elif isinstance(b, dm.ListBlock):
            for item in b.items:
                yield from _walk_blocks(item)


def _words_in_block(b) -> int:
    if isinstance(b, (dm.Paragraph, dm.Heading)):
        return len(dm.plain_text(b.children).split())
    if isinstance(b, dm.Table):
        return sum(len(dm.plain_text(c.children).split()) for row in b.rows for c in row)
    if isinstance(b, dm.PullQuote):
        return len(b.text.split())
    if isinstance(b, dm.CodeBlock):
        return len(b.text.split())
    return 0


def describe(document: dm.Document) -> dict:
    """The import report: what came in, and what was dropped or changed and why."""
    chapters, sections, words, images, tables, front, back = [], 0, 0, 0, 0, [], []
    for div in document.walk_divisions():
        if div.matter == "front":
            front.append(div.title or div.kind)
        elif div.matter == "back":
            back.append(div.title or div.kind)
        elif div.kind in ("chapter", "article"):
            chapters.append(div.title)
        words += len((div.title or "").split())
        for b in _walk_blocks(div.blocks):
            words += _words_in_block(b)
            sections += isinstance(b, dm.Heading)
            images += isinstance(b, dm.Image)
            tables += isinstance(b, dm.Table)
    for blocks in document.notes.values():
        for b in _walk_blocks(blocks):
            words += _words_in_block(b)
    meta = document.meta
    return {
        "title": meta.title,
        "language": meta.language,
        "chapters": len(chapters),
        "chapter_titles": chapters,
        "sections": sections,
        "words": words,
        "footnotes": len(document.notes),
        "images": images,
        "tables": tables,
        "front_matter": front,
        "back_matter": back,
        "dropped": [{"where": w.where, "message": w.message} for w in document.warnings],
    }


def _check_images_inside(document: dm.Document, source: Path, name: str) -> None:
    """A Markdown manuscript may only use images from its own upload. An absolute path or one
    climbing out with ../ would let the kit build embed any image file on the server (another
    author's art included) in the EPUB and PDF the author then downloads."""
    tmp = Path(tempfile.gettempdir()).resolve()
    source = Path(source).resolve()
    # The staging folder (a lone .md) or the ZIP's unpacked folder: the one directly in the temp dir.
    root = next((p for p in source.parents if p.parent == tmp), source.parent)
    paths = [b.path for _, b in document.walk_blocks() if isinstance(b, dm.Image)]
    paths += [b.path for blocks in document.notes.values() for b in _walk_blocks(blocks) if isinstance(b, dm.Image)]
    if document.meta.cover_image:
        paths.append(document.meta.cover_image)
    outside = []
    for path in paths:
        text = str(path)
        if text.startswith(("http:/", "https:/", "//")):
            continue  # remote images are dropped by the reader, never fetched
        if not Path(path).resolve().is_relative_to(root):
            outside.append(text.replace(str(source.parent) + "/", ""))
    if outside:
        raise ManuscriptError(
            f"“{name}” uses images outside the upload: {', '.join(sorted(set(outside))[:5])}. Put the images in "
            "a .zip with the Markdown file and refer to them by relative paths inside it.")
    _check_image_sizes(paths, root, name)


def _check_image_sizes(paths, root: Path, name: str) -> None:
    """Refuse, at upload and by file name, pictures too large to decode safely; otherwise the kit
    build fails later with Pillow's DecompressionBombError, which names neither the file nor a fix."""
    from PIL import Image

    from communique.editions.epub.images import ImageProblem, _header_size

    limit = Image.MAX_IMAGE_PIXELS
    if not limit:
        return
    problems = []
    for path in dict.fromkeys(Path(p) for p in paths):
        if not path.is_file():
            continue
        try:
            _fmt, width, height = _header_size(path)  # reads the header only, under the writers' lock
        except ImageProblem:
            continue  # unreadable images are reported by the readers and writers
        if width * height > limit:
            problems.append(f"“{path.resolve().relative_to(root)}” is {width}×{height} px "
                            f"({width * height:,} pixels; the limit is {limit:,})")
    if problems:
        raise ManuscriptError(f"“{name}” has images too large to process: {'; '.join(problems[:5])}. "
                              "Reduce them to 300 ppi at printed size.")


def import_manuscript(book: Book, uploaded, user=None) -> Manuscript:
    """Check, read and store an upload. Nothing is stored unless the reader accepted the file."""
    name = Path(getattr(uploaded, "name", "manuscript")).name
    size = getattr(uploaded, "size", None)
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if size is None:
        size = len(uploaded.read())
        uploaded.seek(0)
    suffix = _check_upload(name, head, size)
    tmpdir = Path(tempfile.mkdtemp(prefix="upload-"))
    try:
        staged = tmpdir / f"manuscript{suffix}"
        with staged.open("wb") as fh:
            for chunk in (uploaded.chunks() if hasattr(uploaded, "chunks") else [uploaded.read()]):
                fh.write(chunk)
        kind = KINDS[suffix]
        try:
            with opened_source(staged) as source:
                document = read_document(source, kind)
                if kind == "markdown":
                    _check_images_inside(document, source, name)
        except ManuscriptError as exc:
            # Readers name the file they opened: show the author's file name, not our staging path.
            raise ManuscriptError([m.replace(str(staged), f"“{name}”").replace(str(tmpdir) + "/", "")
                                   for m in exc.messages]) from exc
        report = describe(document)
        if report["chapters"] == 0 and report["words"] == 0:
            raise ManuscriptError(f"“{name}” was read but holds no text: no chapters and no words came in.")
        with transaction.atomic():
            ms = Manuscript(book=book, original_name=name[:255], kind=kind, size=size, uploaded_by=user, report=report)
            with staged.open("rb") as fh:
                ms.file.save(f"manuscript{suffix}", File(fh), save=False)
            try:
                ms.save()
            except Exception:
                ms.file.delete(save=False)
                raise
        return ms
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


# ---- kit builds ------------------------------------------------------------------------


def slug_for(book: Book) -> str:
    from django.utils.text import slugify

    return slugify(book.title)[:60] or "book"


def book_overrides(book: Book) -> dict:
    """The Book row as front-matter keys: the portal's form wins over the manuscript's front matter."""
    contributors = [{"name": c.name, "role": c.role} for c in book.contributors.all()]
    if not contributors:
        profile = getattr(book.owner, "author_profile", None)
        name = profile.name if profile else (book.owner.get_full_name() or book.owner.get_username())
        contributors = [{"name": name, "role": "author"}]
    data = {
        "title": book.title, "subtitle": book.subtitle, "series": book.series,
        "series_number": book.series_number, "edition": book.edition, "contributors": contributors,
        "description_html": book.description, "keywords": list(book.keywords), "categories": list(book.categories),
        "language": book.language, "reading_age_min": book.reading_age_min, "reading_age_max": book.reading_age_max,
        "publication_date": book.publication_date, "publisher": book.publisher,
        "isbn_ebook": book.isbn_ebook, "isbn_paperback": book.isbn_paperback, "public_domain": book.public_domain,
        "trim": book.trim, "paper": book.paper, "bleed": book.bleed,
        "price_usd": book.price_usd, "paperback_price_usd": book.paperback_price_usd,
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])} | {"public_domain": book.public_domain,
                                                                       "bleed": book.bleed}


def book_matter(book: Book) -> dict:
    return {"dedication": book.dedication, "foreword": book.foreword,
            "acknowledgements": book.acknowledgements, "about_the_author": book.about_the_author}


def kit_folder(build: KitBuild) -> str:
    return f"books/{build.book.public_id}/kits/{build.public_id}"


def start_build(book: Book, manuscript: Manuscript, user=None) -> KitBuild:
    """Queue a kit build as a background job; with the inline backend (tests) it has run on return."""
    from communique.jobs import enqueue

    build = KitBuild.objects.create(book=book, manuscript=manuscript, requested_by=user,
                                    message="Waiting to start")
    try:
        job = enqueue("books.build_kit", owner=user, target=build, message="Waiting to start",
                      build_id=str(build.public_id))
    except Exception as exc:  # noqa: BLE001 - the queue being down must show on the page, not as a 500
        KitBuild.objects.filter(pk=build.pk).update(state=KitBuild.State.FAILED, error=f"Could not queue: {exc}")
    else:
        KitBuild.objects.filter(pk=build.pk).update(job_id=str(job.pk))
    build.refresh_from_db()
    return build


def run_build(build: KitBuild, progress=None) -> KitBuild:
    """Build the kit for one KitBuild row (the job body; also callable directly)."""
    from django.utils import timezone

    from communique.kdp import kit

    def report(percent, message):
        KitBuild.objects.filter(pk=build.pk).update(state=KitBuild.State.RUNNING, percent=percent,
                                                    message=message[:300])
        if progress:
            progress(percent, message)

    build.folder = kit_folder(build)
    build.state = KitBuild.State.RUNNING
    build.save(update_fields=["folder", "state"])
    book = build.book
    try:
        with opened_source(build.manuscript.path) as source:
            result = kit.build_kit(source, book_overrides(book), build.folder_path, report,
                                   matter=book_matter(book), rights=book.rights)
    except Exception as exc:
        KitBuild.objects.filter(pk=build.pk).update(state=KitBuild.State.FAILED, error=f"{type(exc).__name__}: {exc}",
                                                    message="Failed", finished_at=timezone.now())
        raise
    KitBuild.objects.filter(pk=build.pk).update(
        state=KitBuild.State.DONE, percent=100, message="Kit ready", files=result.files,
        preflight_summary=result.report.counts(), finished_at=timezone.now())
    build.refresh_from_db()
    return build


def read_preflight(build: KitBuild) -> list[dict]:
    import json

    if build.state != KitBuild.State.DONE or build.folder_path is None:
        return []
    path = build.folder_path / "preflight.json"
    if not path.is_file():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("checks", [])


def kit_zip(build: KitBuild) -> Path:
    """The kit as one ZIP next to the folder, made once and reused."""
    folder = build.folder_path
    target = folder.parent / f"{folder.name}.zip"
    if not target.exists():
        tmp = target.with_suffix(".zip.tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in build.files:
                # Written with explicit 0644 entries: the files' own modes on disk (0600 from
                # temporary files) would otherwise be unzipped as unreadable to others.
                info = zipfile.ZipInfo.from_file(folder / name, arcname=name)
                info.external_attr = (0o100644 << 16)
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(folder / name, "rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        tmp.replace(target)
    return target
