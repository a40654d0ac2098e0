"""What the portal does, without the request: import a manuscript, describe what came in, turn a
Book row into kit metadata, run a kit build. Views and jobs call these; tests call them too."""
from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)

MAX_MANUSCRIPT_BYTES = getattr(settings, "BOOKS_MAX_MANUSCRIPT_BYTES", 40 * 1024 * 1024)
MAX_ZIP_UNPACKED_BYTES = 200 * 1024 * 1024
KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "markdown", ".zip": "markdown", ".docx": "docx"}


class ManuscriptError(ValidationError):
    pass


class KitBuildFailed(Exception):
    """A kit build failed; the message is the plain reason shown to the author."""


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
    with opened_manuscript(path) as (source, _root):
        yield source


@contextmanager
def opened_manuscript(path: Path):
    """Yields (file to read, folder its images must stay inside): a lone file's own folder, or
    the folder a .zip was unpacked into."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        yield path, path.parent
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
        yield mds[0], tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def read_document(path: Path, kind: str | None = None, work_dir: Path | None = None) -> dm.Document:
    """Read a stored manuscript into a Document; ManuscriptError names what is wrong.

    A DOCX's pictures are unpacked into `work_dir`, which the caller owns and removes; without
    one they go to a throw-away folder removed here (issue 8, break 16: every DOCX read used to
    leave a folder of images in /tmp)."""
    from communique.documents import readers

    path = Path(path)
    kind = kind or KINDS.get(path.suffix.lower(), "markdown")
    if kind == "docx" and work_dir is None:
        with tempfile.TemporaryDirectory(prefix="docx-read-") as scratch:
            return read_document(path, kind, Path(scratch))
    try:
        # DOCX pictures are unpacked into work_dir, which the caller removes (nothing left in /tmp).
        options = {"work_dir": work_dir} if kind == "docx" else {}
        return readers.read(path, accept=("markdown", "docx"), **options)
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
            # Only pictures that came in: a missing or dropped file is reported, not counted.
            images += isinstance(b, dm.Image) and Path(str(b.path)).is_file()
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


def _check_images_inside(document: dm.Document, source: Path, name: str, root: Path | None = None) -> None:
    """A Markdown manuscript may only use images from its own upload. An absolute path, one
    climbing out with ../, a symlink, or a protocol-relative //host/path (which is a local path to
    the writers) would let the kit build embed any file on the server in the EPUB and PDF the
    author then downloads (issue 8, break 1)."""
    from communique.kdp.kit import front_matter_of

    from .containment import outside_refs

    source = Path(source).resolve()
    if root is None:
        tmp = Path(tempfile.gettempdir()).resolve()
        # The staging folder (a lone .md) or the ZIP's unpacked folder: the one directly in the temp dir.
        root = next((p for p in source.parents if p.parent == tmp), source.parent)
    root = Path(root).resolve()
    try:
        front = front_matter_of(source)
    except Exception:  # noqa: BLE001 - the reader has already accepted (or reported) the front matter
        front = {}
    outside = [ref.replace(str(source.parent) + "/", "") for ref in outside_refs(document, root, front)]
    if outside:
        raise ManuscriptError(
            f"“{name}” uses images outside the upload: {', '.join(sorted(set(outside))[:5])}. Put the images in "
            "a .zip with the Markdown file and refer to them by relative paths inside it.")
    paths = [b.path for _, b in document.walk_blocks() if isinstance(b, dm.Image)]
    paths += [b.path for blocks in document.notes.values() for b in _walk_blocks(blocks) if isinstance(b, dm.Image)]
    if document.meta.cover_image:
        paths.append(document.meta.cover_image)
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


def _read_report(staged: str, tmpdir: str, name: str, kind: str) -> dict:
    """Read a staged upload and return its import report (run in a limited child process)."""
    from . import parsing

    staged, tmpdir = Path(staged), Path(tmpdir)
    try:
        if staged.suffix.lower() in (".docx", ".zip"):
            parsing.check_zip(staged, name)
        if kind == "docx":
            parsing.precheck_docx(staged, name)
        elif staged.suffix.lower() != ".zip":
            parsing.precheck_markdown(staged, name)
        with opened_manuscript(staged) as (source, root):
            if kind == "markdown" and source != staged:
                parsing.precheck_markdown(source, name)
            document = read_document(source, kind, work_dir=tmpdir / "docx-images")
            parsing.check_document_size(document, name)
            parsing.check_nesting(document, name)
            if kind == "markdown":
                _check_images_inside(document, source, name, root=root)
            report = describe(document)
            front = {}
            if kind == "markdown":
                from communique.kdp.kit import front_matter_of

                try:
                    front = front_matter_of(source)
                except Exception:  # noqa: BLE001 - the reader has accepted or reported it
                    front = {}
            _add_metadata(report, document, front)
            report["dropped"] = _scrubbed(report["dropped"], {str(source): name, str(staged): name,
                                                              str(source.parent) + "/": "", str(root) + "/": ""})
    except ManuscriptError as exc:
        # Readers name the file they opened: show the author's file name, not our staging path.
        import re

        # (by path, or by the staged file's own name, as the reader registry names files)
        staged_name = re.compile(rf"(?<![\w/.]){re.escape(staged.name)}\b")
        raise ManuscriptError([staged_name.sub(f"“{name}”", m.replace(str(staged), f"“{name}”").replace(str(tmpdir) + "/", ""))
                               for m in exc.messages]) from exc
    if report["chapters"] == 0 and report["words"] == 0:
        raise ManuscriptError(f"“{name}” was read but holds no text: no chapters and no words came in.")
    return report


def _add_metadata(report: dict, document: dm.Document, front: dict) -> None:
    """What the manuscript says about the book (merged into the Book on import) and which
    front-matter fields nothing uses: those are reported as ignored (issue 12, defect 8)."""
    from . import merge

    values, problems = merge.manuscript_values(document, front)
    report["metadata"] = values
    for key in merge.ignored_keys(front):
        report["dropped"].append({"where": "front matter",
                                  "message": f"“{key}:” is not a book detail we use, so it was ignored"})
    for problem in problems:
        report["dropped"].append({"where": "front matter", "message": f"book details not taken: {problem}"})


def _scrubbed(entries: list[dict], names: dict) -> list[dict]:
    """Report entries without server paths: the staging path becomes the author's file name."""
    from communique.jobs.reasons import scrub

    return [{"where": scrub(e.get("where", ""), names), "message": scrub(e.get("message", ""), names)}
            for e in entries]


def apply_to_book(ms: Manuscript) -> list[dict]:
    """Write what the manuscript says into its book (one source of truth) and keep the notes."""
    from . import merge

    notes = merge.merge_into_book(ms.book, (ms.report or {}).get("metadata") or {})
    report = {**(ms.report or {}), "merged": notes}
    Manuscript.objects.filter(pk=ms.pk).update(report=report)
    ms.report = report
    return notes


def read_report(path: Path, name: str, kind: str) -> dict:
    """The import report of a manuscript file, read with time and memory limits (issue 8,
    break 4); ManuscriptError says what is wrong, or which limit was hit."""
    from .parsing import run_limited

    path = Path(path)
    tmpdir = Path(tempfile.mkdtemp(prefix="upload-"))
    try:
        staged = tmpdir / f"manuscript{path.suffix.lower()}"
        shutil.copyfile(path, staged)
        return run_limited(_read_report, str(staged), str(tmpdir), name, kind, name=name)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _checked_upload(uploaded) -> tuple[str, int, str]:
    name = Path(getattr(uploaded, "name", "manuscript")).name
    size = getattr(uploaded, "size", None)
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if size is None:
        size = len(uploaded.read())
        uploaded.seek(0)
    return name, size, _check_upload(name, head, size)


def store_manuscript(book: Book, uploaded, user=None, *, state=None, report=None) -> Manuscript:
    """Check an upload's name, size and kind, then store the file and its row together."""
    name, size, suffix = _checked_upload(uploaded)
    sweep_orphan_manuscripts(book)
    with transaction.atomic():
        ms = Manuscript(book=book, original_name=name[:255], kind=KINDS[suffix], size=size, uploaded_by=user,
                        report=report or {}, state=state or Manuscript.State.PENDING)
        if hasattr(uploaded, "seek"):
            uploaded.seek(0)
        ms.file.save(f"manuscript{suffix}", uploaded if isinstance(uploaded, File) else File(uploaded), save=False)
        try:
            ms.save()
        except BaseException:  # a failed row (or a KeyboardInterrupt) must not leave the file behind
            ms.file.delete(save=False)
            raise
    return ms


def import_manuscript(book: Book, uploaded, user=None) -> Manuscript:
    """Check, read and store an upload in one go (the CLI, tests). Nothing is stored unless the
    reader accepted the file. The portal stores first and reads in a job (receive_manuscript)."""
    name, size, suffix = _checked_upload(uploaded)
    tmpdir = Path(tempfile.mkdtemp(prefix="upload-"))
    try:
        staged = tmpdir / f"manuscript{suffix}"
        with staged.open("wb") as fh:
            for chunk in (uploaded.chunks() if hasattr(uploaded, "chunks") else [uploaded.read()]):
                fh.write(chunk)
        from .parsing import run_limited

        report = run_limited(_read_report, str(staged), str(tmpdir), name, KINDS[suffix], name=name)
        with staged.open("rb") as fh:
            upload = File(fh, name=name)
            upload.size = size
            ms = store_manuscript(book, upload, user, state=Manuscript.State.READY, report=report)
        apply_to_book(ms)
        return ms
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def receive_manuscript(book: Book, uploaded, user=None) -> Manuscript:
    """The upload request's part: store the file and queue the job that reads it. With the
    inline job backend (tests) the job has run on return."""
    from communique.jobs import enqueue

    ms = store_manuscript(book, uploaded, user)
    try:
        job = enqueue("books.read_manuscript", owner=user, target=ms, message="Waiting to be read",
                      manuscript_id=str(ms.public_id))
    except Exception as exc:  # noqa: BLE001 - the queue being down must show on the page, not as a 500
        log.exception("Could not queue reading of %s", ms.public_id)
        _fail_manuscript(ms, f"The manuscript could not be queued for reading ({type(exc).__name__}). "
                             "Try again in a few minutes.")
    else:
        Manuscript.objects.filter(pk=ms.pk).update(job_id=str(job.pk))
    ms.refresh_from_db()
    return ms


def _fail_manuscript(ms: Manuscript, message: str) -> None:
    """A manuscript the reader refused keeps its row (so the author sees why) but not its file."""
    if ms.file:
        ms.file.delete(save=False)
    Manuscript.objects.filter(pk=ms.pk).update(state=Manuscript.State.FAILED, error=message, file="")


def read_stored_manuscript(ms: Manuscript, progress=None) -> Manuscript:
    """The job body: read a stored upload within limits; ready with its report, or failed."""
    if progress:
        progress(10, f"Reading {ms.original_name}")
    try:
        report = read_report(ms.path, ms.original_name, ms.kind)
    except ManuscriptError as exc:
        _fail_manuscript(ms, " ".join(exc.messages))
        raise
    Manuscript.objects.filter(pk=ms.pk).update(state=Manuscript.State.READY, report=report, error="")
    ms.refresh_from_db()
    apply_to_book(ms)
    return ms


ORPHAN_GRACE_SECONDS = 15 * 60


def sweep_orphan_manuscripts(book: Book, grace: float = ORPHAN_GRACE_SECONDS) -> list[str]:
    """Remove manuscript files with no database row: what a process killed between writing the
    file and committing its row leaves (issue 8, break 16). Files younger than `grace` may be an
    upload still in progress, so they stay. Returns the names removed."""
    import time

    folder = Path(settings.PRIVATE_ROOT) / "books" / str(book.public_id) / "manuscripts"
    if not folder.is_dir():
        return []
    known = {Path(name).name for name in Manuscript.objects.filter(book=book).values_list("file", flat=True)}
    removed, now = [], time.time()
    for path in folder.iterdir():
        try:
            if path.is_file() and path.name not in known and now - path.stat().st_mtime > grace:
                path.unlink()
                removed.append(path.name)
        except FileNotFoundError:
            continue
    return removed


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
        # The author's own prices per store; the kit ships these instead of converted ones.
        "ebook_prices": dict((book.price_overrides or {}).get("ebook") or {}),
        "paperback_prices": dict((book.price_overrides or {}).get("paperback") or {}),
    }
    return {k: v for k, v in data.items() if v not in (None, "", [], {})} | {"public_domain": book.public_domain,
                                                                       "bleed": book.bleed}


def book_matter(book: Book) -> dict:
    """The book's own front and back matter; an empty field no longer wipes the manuscript's."""
    matter = {"dedication": book.dedication, "foreword": book.foreword,
              "acknowledgements": book.acknowledgements, "about_the_author": book.about_the_author}
    return {k: v for k, v in matter.items() if v}


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
    from .covers import finished_cover_path
    from .rates import current_rates

    cover = finished_cover_path(book)
    try:
        with opened_manuscript(build.manuscript.path) as (source, root), \
                tempfile.TemporaryDirectory(prefix="kit-docx-") as scratch:
            if build.manuscript.kind == "markdown":
                # Checked again at build time: a manuscript stored before the upload check was
                # tightened must not pull server files into the kit either (issue 8, break 1).
                _check_images_inside(read_document(source, "markdown"), source, build.manuscript.original_name,
                                     root=root)
            else:
                # A DOCX is read here, its pictures into a folder removed after the build (break 16).
                source = read_document(source, "docx", work_dir=Path(scratch))
            if book.finished_cover and cover is None:
                raise KitBuildFailed("The finished cover's file is missing; upload the cover again or remove it.")
            result = kit.build_kit(source, book_overrides(book), build.folder_path, report,
                                   matter=book_matter(book), rights=book.rights, cover_file=cover,
                                   rates=current_rates())
    except Exception as exc:
        # The author reads a plain reason naming their own file; the traceback goes to the log
        # and, through the job, to the editors' admin list (issue 8, break 15).
        from communique.jobs.reasons import plain_reason

        ms = build.manuscript
        names = {str(ms.path): f"“{ms.original_name}”", ms.path.name: ms.original_name}
        if cover is not None:  # the kit names the stored cover; the author knows their own file name
            names |= {str(cover): f"“{book.finished_cover_name}”", cover.name: f"“{book.finished_cover_name}”"}
        reason = plain_reason(exc, names=names)
        log.warning("Kit build %s failed", build.public_id, exc_info=True)
        KitBuild.objects.filter(pk=build.pk).update(state=KitBuild.State.FAILED, error=reason,
                                                    message="Failed", finished_at=timezone.now())
        raise KitBuildFailed(reason) from exc
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
    """The kit as one ZIP next to the folder, made once and reused.

    Each maker writes its own temporary file and renames it into place, so simultaneous first
    downloads never share (or see) a half-written ZIP: 11 of 12 used to get a 500 when they all
    wrote and renamed the same "kit.zip.tmp" (issue 8, break 14)."""
    import os

    folder = build.folder_path
    target = folder.parent / f"{folder.name}.zip"
    if target.exists():
        return target
    fd, tmp_name = tempfile.mkstemp(prefix=f".{folder.name}.", suffix=".zip.partial", dir=folder.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in build.files:
                # Written with explicit 0644 entries: the files' own modes on disk (0600 from
                # temporary files) would otherwise be unzipped as unreadable to others.
                info = zipfile.ZipInfo.from_file(folder / name, arcname=name)
                info.external_attr = (0o100644 << 16)
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(folder / name, "rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # atomic: readers see no ZIP or a whole one
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


# ---- after a crash: the kit's state follows its job ------------------------------------------

INTERRUPTED = ("The build was interrupted (the server restarted or the build was stopped) and left "
               "nothing behind. Start the build again.")


def partial_folders(build: KitBuild) -> list[Path]:
    """What a killed build leaves next to its kit folder: the kit's temporary build folders, its
    half-swapped old folder, half-written ZIPs."""
    if not build.folder:
        return []
    folder = build.folder_path
    if not folder.parent.is_dir():
        return []
    name = folder.name
    return sorted(p for p in folder.parent.iterdir()
                  if p.name.startswith((f".{name}.building-", f".{name}.old-"))
                  or (p.name.startswith(f".{name}.") and p.name.endswith(".zip.partial")))


def _remove(paths) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def reconcile(build: KitBuild, job=None) -> KitBuild:
    """Bring a queued or building kit in line with its job (issue 8, break 6). A job that failed,
    was recovered as interrupted or has vanished fails the kit, with the job's plain reason, and
    whatever the dead build left on disk goes; the kit never says "Building" over a dead job."""
    from django.utils import timezone

    from communique.jobs.models import Job

    if build.state not in (KitBuild.State.QUEUED, KitBuild.State.RUNNING):
        return build
    if job is None and build.job_id:
        job = Job.objects.filter(pk=build.job_id).first()
    if job is not None and not job.done:
        return build
    if job is None and not build.job_id:
        return build  # not queued yet: start_build is still between its two writes
    reason = (job.public_error if job is not None and job.status == Job.FAILED else "") or INTERRUPTED
    changed = KitBuild.objects.filter(pk=build.pk, state__in=[KitBuild.State.QUEUED, KitBuild.State.RUNNING]).update(
        state=KitBuild.State.FAILED, error=reason, message="Failed", finished_at=timezone.now())
    if changed:
        _remove(partial_folders(build))
        # A build killed after its folder was swapped in but before the row said "done" is not
        # known to be whole: it is not offered.
        if build.folder_path is not None and build.folder_path.exists():
            shutil.rmtree(build.folder_path, ignore_errors=True)
    build.refresh_from_db()
    return build


def reconcile_stale_builds() -> int:
    """Every queued or building kit whose job is finished or gone; run after job recovery."""
    count = 0
    for build in KitBuild.objects.filter(state__in=[KitBuild.State.QUEUED, KitBuild.State.RUNNING]):
        before = build.state
        count += reconcile(build).state != before
    return count


def reconcile_stale_manuscripts() -> int:
    """Uploads whose reading job failed or vanished (a killed worker) fail too, keeping no file."""
    from communique.jobs.models import Job

    count = 0
    for ms in Manuscript.objects.filter(state=Manuscript.State.PENDING).exclude(job_id=""):
        job = Job.objects.filter(pk=ms.job_id).first()
        if job is None or job.status == Job.FAILED:
            _fail_manuscript(ms, (job.public_error if job else "") or "Reading was interrupted; upload it again.")
            count += 1
    return count
