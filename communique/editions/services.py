"""Building editions of pages, shared by the admin job, the article download view and the
`communique edition` command. No request in here: the engine can run from a job or the CLI.

Files are written to a temporary name in the final directory and moved into place with
os.replace, which is atomic on one file system: a reader gets the old file or the new one, never
half of either. A failed build deletes its temporary file and leaves the previous file alone."""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import Edition

log = logging.getLogger(__name__)

FORMATS = ("epub", "pdf")


class EditionError(Exception):
    """A build that could not produce its file; the message is shown to editors as is."""


# ---- what to build from ---------------------------------------------------------------------


def source_object(page):
    """The content an edition is built from: the live page when published, the latest draft
    revision for a page that has never been published (drafts live only in revisions)."""
    page = page.specific
    if not page.live and page.latest_revision_id:
        return page.get_latest_revision_as_object()
    return page


def source_changed_at(page):
    """When the content behind an edition of `page` last changed. An issue changes when any of
    its articles is republished, not only when the issue page is."""
    page = page.specific
    stamp = page.last_published_at if page.live else (page.latest_revision_created_at or page.last_published_at)
    from communique.magazine.models import PrintIssuePage

    if isinstance(page, PrintIssuePage):
        for article in page.articles():
            when = article.last_published_at if article.live else None
            if when and (stamp is None or when > stamp):
                stamp = when
    return stamp


def is_fresh(edition, page=None):
    if not edition or not edition.exists or edition.built_at is None or edition.stale_at is not None:
        return False
    changed = source_changed_at(page or edition.page)
    return changed is None or (edition.source_changed_at is not None and edition.source_changed_at >= changed)


def read_document(page):
    from communique.magazine.models import ArticlePage, PrintIssuePage

    try:
        from communique.documents.readers import wagtail as reader
    except ImportError as exc:
        raise EditionError(f"The Wagtail document reader is not available: {exc}") from exc
    obj = source_object(page)
    if isinstance(obj, PrintIssuePage):
        from communique.research.editions import with_index  # the index the site's IndexStyle asks for

        return with_index(obj, reader.read_issue(obj))
    if isinstance(obj, ArticlePage):
        return reader.read_article(obj)
    raise EditionError(
        f"Page {page.pk} ({page.title!r}) is a {type(obj).__name__}; editions are built for print issues and articles."
    )


def with_matter(document, fmt):
    """The edition's front matter, made by the document engine's transform (the writers make
    none): an ebook, DOCX or HTML edition opens with a title page, the copyright page and the
    contents; a printed issue with its contents only (its cover is the writer's), and a single
    article with none of them."""
    from communique.documents import transforms

    options = {"medium": "ebook", "format": "EPUB" if fmt == "epub" else None, "fonts_line": fmt == "epub"}
    if fmt == "pdf":
        options = {"medium": "print", "pages": ["contents"]}
    return transforms.run(document, ["matter"], {"matter": options})


def available_formats():
    from . import registry

    return [fmt for fmt in FORMATS if fmt in registry.WRITERS]


def check_formats(formats):
    """Normalise "epub,pdf" or ["epub", "pdf"]; an unknown format is an error naming it."""
    if isinstance(formats, str):
        formats = formats.split(",")
    wanted = []
    for fmt in formats:
        fmt = fmt.strip().lower()
        if fmt and fmt not in wanted:
            wanted.append(fmt)
    if not wanted:
        raise EditionError("Name at least one format (epub or pdf).")
    known = available_formats()
    unknown = [fmt for fmt in wanted if fmt not in known]
    if unknown:
        raise EditionError(
            f"Unknown or not yet available format {', '.join(unknown)}; available: {', '.join(known) or 'none'}."
        )
    return wanted


# ---- building -------------------------------------------------------------------------------


def edition_dir(page):
    return Path(settings.PRIVATE_ROOT) / "editions" / str(page.pk)


def relative_file(page, fmt):
    return f"editions/{page.pk}/{page.pk}.{fmt}"


@contextlib.contextmanager
def build_lock(page, fmt):
    """One build of a page's format at a time in this machine's processes (threads, web workers,
    a worker): the second waits and then finds the first one's fresh file."""
    directory = edition_dir(page)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f".{fmt}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_edition(page, fmt, *, document=None, job_id=None, options=None):
    """Build `page` in `fmt` and move it into place. Returns the Edition. On failure records the
    error on the Edition (the previous file stays) and raises EditionError. Callers hold
    build_lock(page, fmt), so a half-written file beside the final one is a dead build's."""
    from . import registry

    page = page.specific
    fmt = check_formats([fmt])[0]
    edition, _ = Edition.objects.get_or_create(page=page, format=fmt)
    final = Path(settings.PRIVATE_ROOT) / relative_file(page, fmt)
    final.parent.mkdir(parents=True, exist_ok=True)
    # Same directory as the final file (os.replace is atomic only within one file system); the
    # format's extension kept last because writers may look at it.
    for leftover in final.parent.glob(f".building-*-{final.name}"):
        _discard(leftover)  # a build killed mid-write (issue 8 fault test): never served, now gone
    temp = final.with_name(f".building-{uuid.uuid4().hex[:12]}-{final.name}")
    changed_at = source_changed_at(page)
    started = timezone.now()
    try:
        if document is None:
            document = read_document(page)
        document = with_matter(document, fmt)
        report = registry.write(fmt, document, temp, options or {})
        if not temp.is_file() or temp.stat().st_size == 0:
            raise EditionError(f"The {fmt} writer finished without writing a file.")
        os.replace(temp, final)
    except Exception as exc:
        _discard(temp)
        message = str(exc) if isinstance(exc, EditionError) else f"{exc.__class__.__name__}: {exc}"
        Edition.objects.filter(pk=edition.pk).update(
            error=f"{fmt.upper()} build failed: {message}", failed_at=timezone.now(), job_id=job_id
        )
        log.warning("Edition %s of page %s failed: %s", fmt, page.pk, message)
        raise EditionError(f"{fmt.upper()} build failed: {message}") from exc
    edition.file = relative_file(page, fmt)
    edition.size = final.stat().st_size
    edition.built_at = timezone.now()
    edition.source_changed_at = changed_at
    # registry.write already puts the document's warnings first in the report; each is listed once.
    edition.warnings = list(dict.fromkeys(str(w) for w in [*getattr(document, "warnings", []),
                                                           *getattr(report, "warnings", [])]))
    edition.report = _report_json(report)
    edition.error = ""
    edition.failed_at = None
    edition.job_id = job_id
    edition.save()
    # Fresh again only if this build began after the content was withdrawn; a build that read
    # the page before the unpublish must not clear the mark.
    Edition.objects.filter(pk=edition.pk, stale_at__lte=started).update(stale_at=None, stale_reason="")
    edition.refresh_from_db(fields=["stale_at", "stale_reason"])
    return edition


def withdraw_from_editions(page) -> int:
    """An unpublished article's content must not stay downloadable inside the print issues built
    while it was live: those issues' editions go stale (issue 8, break 8). The page's own files
    need no mark: the download views already hide a page that is not live from readers."""
    from communique.magazine.models import IssueArticle

    from .models import mark_stale

    page = page.specific
    issue_ids = list(IssueArticle.objects.filter(article_id=page.pk).values_list("issue_id", flat=True))
    reason = f"“{page.title}” was unpublished after this file was built; rebuild the edition."
    return mark_stale(issue_ids, reason) if issue_ids else 0


def _discard(path):
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _report_json(report):
    data = {
        "format": getattr(report, "format", ""),
        "seconds": round(float(getattr(report, "seconds", 0) or 0), 3),
        "stats": getattr(report, "stats", {}) or {},
        "warnings": [str(w) for w in getattr(report, "warnings", [])],
    }
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def build_issue_editions(issue, formats, *, progress=None, job_id=None, output_dir=None):
    """Build the issue in every format asked for: the admin job and the CLI both call this.
    Every format is attempted even if one fails; then the failures are raised together."""
    progress = progress or (lambda percent, message="": None)
    formats = check_formats(formats)
    issue = issue.specific
    progress(2, f"Reading “{issue.title}”")
    try:
        document = read_document(issue)
    except Exception as exc:
        message = str(exc) if isinstance(exc, EditionError) else f"{exc.__class__.__name__}: {exc}"
        message = f"Could not read the issue: {message}"
        for fmt in formats:
            Edition.objects.update_or_create(
                page=issue, format=fmt, defaults={"error": message, "failed_at": timezone.now(), "job_id": job_id}
            )
        raise EditionError(message) from exc
    progress(10, "Read the issue")
    editions, failures = [], []
    step = 85 / len(formats)
    for i, fmt in enumerate(formats):
        progress(10 + i * step, f"Writing {fmt.upper()}")
        try:
            with build_lock(issue, fmt):
                edition = build_edition(issue, fmt, document=document, job_id=job_id)
        except EditionError as exc:
            failures.append(str(exc))
            continue
        if output_dir is not None:
            copy_out(edition, output_dir)
        editions.append(edition)
        progress(10 + (i + 1) * step, f"{fmt.upper()} built ({edition.size:,} bytes)")
    if failures:
        built = ", ".join(e.format.upper() for e in editions)
        raise EditionError("; ".join(failures) + (f" (built: {built})" if built else ""))
    progress(100, "Built " + ", ".join(e.format.upper() for e in editions))
    return editions


def copy_out(edition, output_dir):
    """Copy the built file to a folder of the user's choice, again without a half-written file."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / edition.download_filename()
    temp = target.with_name(f".copying-{uuid.uuid4().hex[:8]}-{target.name}")
    try:
        shutil.copyfile(edition.path, temp)
        os.replace(temp, target)
    finally:
        _discard(temp)
    return target


def article_edition(page, fmt):
    """The article's file in `fmt`, built now if missing or older than the article's last change.
    Synchronous (one article builds in seconds); concurrent requests wait for one build."""
    fmt = check_formats([fmt])[0]
    edition = Edition.objects.filter(page=page, format=fmt).first()
    if is_fresh(edition, page):
        return edition
    with build_lock(page, fmt):
        edition = Edition.objects.filter(page=page, format=fmt).first()
        if is_fresh(edition, page):
            return edition
        return build_edition(page, fmt)


def resolve_issue(ref):
    """A print issue by page id or slug; an error naming the problem otherwise."""
    from communique.magazine.models import PrintIssuePage

    ref = str(ref).strip()
    query = PrintIssuePage.objects.filter(pk=int(ref)) if ref.isdigit() else PrintIssuePage.objects.filter(slug=ref)
    issues = list(query[:2])
    if not issues:
        raise EditionError(f"No print issue with {'id' if ref.isdigit() else 'slug'} {ref!r}.")
    if len(issues) > 1:
        raise EditionError(f"More than one print issue has the slug {ref!r}; give its page id instead.")
    return issues[0]
