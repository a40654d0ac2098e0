from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Page

from communique.jobs import enqueue
from communique.jobs.models import Job
from communique.magazine.models import ArticlePage, PrintIssuePage

from . import services
from .models import Edition
from .permissions import can_build, can_download


def _serve(edition, page):
    try:
        handle = open(edition.path, "rb")
    except (FileNotFoundError, TypeError):
        raise Http404("This edition has not been built yet.") from None
    # The open handle keeps the file's contents even if a rebuild replaces the path meanwhile.
    response = FileResponse(
        handle, as_attachment=True, filename=edition.download_filename(page), content_type=edition.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not page.live:
        response["Cache-Control"] = "private, no-store"
    return response


def _page_for_download(request, model, page_id, fmt):
    if fmt not in services.FORMATS:
        raise Http404(f"Unknown format {fmt!r}.")
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, model):
        raise Http404("No such page.")
    if not can_download(request, page):
        # Hidden, not forbidden: a draft's existence is not the reader's business.
        raise Http404("No such page.")
    return page


@require_GET
def issue_download(request, page_id, fmt):
    """The issue's file as last built by an editor; readers never trigger an issue build."""
    issue = _page_for_download(request, PrintIssuePage, page_id, fmt)
    edition = Edition.objects.filter(page=issue, format=fmt).exclude(file="").first()
    if edition is None or not edition.exists:
        raise Http404("This edition has not been built yet.")
    if edition.stale_at is not None:  # it holds an article since unpublished (issue 8, break 8)
        raise Http404("This edition is being updated.")
    return _serve(edition, issue)


@require_GET
def article_download(request, page_id, fmt):
    """The article's file, built now if missing or older than the article."""
    article = _page_for_download(request, ArticlePage, page_id, fmt)
    if fmt not in services.available_formats():
        raise Http404(f"{fmt.upper()} editions are not available yet.")
    try:
        edition = services.article_edition(article, fmt)
    except services.EditionError as exc:
        return HttpResponse(
            f"Sorry, the {fmt.upper()} of this article could not be made just now. The editors have been told.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": "300"},  # the error itself is on the Edition, for editors only
        )
    return _serve(edition, article)


def admin_build_issue(request, page_id):
    """Wagtail admin: the issue's editions, a form to rebuild them and the running job's progress."""
    issue = get_object_or_404(PrintIssuePage, pk=page_id)
    if not can_build(request.user, issue):
        raise PermissionDenied("Only editors who may edit this issue can build its editions.")
    formats = services.available_formats()
    if request.method == "POST":
        wanted = request.POST.getlist("formats") or formats
        try:
            wanted = services.check_formats(wanted)
        except services.EditionError as exc:
            messages.error(request, str(exc))
            return redirect("editions_admin_build_issue", issue.pk)
        running = (
            Job.for_target(issue)
            .filter(kind="editions.build_issue", status__in=[Job.QUEUED, Job.RUNNING])
            .filter(created_at__gte=timezone.now() - timedelta(hours=1))
            .first()
        )
        if running is not None:
            # Two builds would only overwrite each other's files; show the one already under way.
            messages.info(request, "A build of this issue is already under way.")
            return redirect(reverse("editions_admin_build_issue", args=[issue.pk]) + f"?job={running.pk}")
        job = enqueue(
            "editions.build_issue", owner=request.user, target=issue, issue_id=issue.pk, formats=wanted,
            message="Waiting for a free builder",
        )
        return redirect(reverse("editions_admin_build_issue", args=[issue.pk]) + f"?job={job.pk}")
    editions = {e.format: e for e in Edition.objects.filter(page=issue)}
    rows = []
    for fmt in formats:
        edition = editions.get(fmt)
        rows.append(
            {
                "format": fmt,
                "edition": edition,
                "exists": bool(edition and edition.exists),
                "fresh": services.is_fresh(edition, issue),
                "url": reverse("editions:issue_download", args=[issue.pk, fmt]),
            }
        )
    job = None
    job_id = request.GET.get("job")
    jobs = Job.for_target(issue).filter(kind="editions.build_issue")
    if job_id:
        job = jobs.filter(pk=job_id).first() if _is_uuid(job_id) else None
    if job is None:
        job = jobs.exclude(status__in=Job.FINISHED).first()
    last_job = jobs.first()
    return TemplateResponse(
        request,
        "editions/admin/build_issue.html",
        {"issue": issue, "rows": rows, "formats": formats, "job": job, "last_job": last_job, "page": issue},
    )


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
