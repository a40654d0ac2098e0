"""The author portal. Every view starts from Book.objects.visible_to(user), so a book that is not
yours does not exist for you (404, never 403, so ids cannot be probed). Files are streamed from
PRIVATE_ROOT by these views only; nothing here has a MEDIA_URL."""
from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .forms import BookForm, ContributorFormSet, ManuscriptForm
from .models import Book, KitBuild, is_editor
from .rates import rates_summary


def authors_and_editors(view):
    """Creating books, uploading and building are for authors and editors only (issue 8, break
    22): any signed-in account used to be able to, which widened every upload-side attack."""
    from functools import wraps

    from communique.core.roles import can_create_books

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if "book_id" in kwargs:
            _book(request, kwargs["book_id"])  # someone else's book stays a 404, never a 403
        if not can_create_books(request.user):
            raise PermissionDenied("Only authors and editors can create books, upload manuscripts or build kits. "
                                   "Ask the editors to add you as an author.")
        return view(request, *args, **kwargs)
    return login_required(wrapped)


def _book(request, book_id) -> Book:
    return get_object_or_404(Book.objects.visible_to(request.user), public_id=book_id)


def _reopen_approval(request, book: Book) -> None:
    """An editor approved what they saw; an author's later change to the details or the manuscript
    goes back to them, so "Approved" never stands for text no editor has read."""
    if book.status == Book.Status.APPROVED and not is_editor(request.user):
        book.status = Book.Status.SUBMITTED
        book.approved_by, book.approved_at = None, None
        book.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        messages.info(request, "The book goes back to the editors for approval, since it changed after they approved it.")


@login_required
def portal(request):
    books = Book.objects.visible_to(request.user).select_related("owner")
    return render(request, "books/portal.html", {"books": books, "editor": is_editor(request.user)})


def _save_book_forms(request, form, formset):
    with transaction.atomic():
        book = form.save()
        formset.instance = book
        formset.save()
        for position, f in enumerate(formset.ordered_forms if formset.can_order else formset.forms):
            if f.instance.pk and not (formset.can_delete and f.cleaned_data.get("DELETE")):
                if f.instance.position != position:
                    f.instance.position = position
                    f.instance.save(update_fields=["position"])
    return book


@authors_and_editors
def book_create(request):
    book = Book(owner=request.user)
    form = BookForm(request.POST or None, instance=book)
    formset = ContributorFormSet(request.POST or None, instance=book, prefix="contributors")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        book = _save_book_forms(request, form, formset)
        messages.success(request, f"“{book.title}” was created. Upload its manuscript next.")
        return redirect("books:detail", book_id=book.public_id)
    return render(request, "books/book_form.html", {"form": form, "formset": formset, "book": None})


@login_required
def book_edit(request, book_id):
    book = _book(request, book_id)
    form = BookForm(request.POST or None, instance=book)
    formset = ContributorFormSet(request.POST or None, instance=book, prefix="contributors")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        _save_book_forms(request, form, formset)
        if form.has_changed() or formset.has_changed():
            _reopen_approval(request, book)
        messages.success(request, "The book's details were saved.")
        return redirect("books:detail", book_id=book.public_id)
    return render(request, "books/book_form.html", {"form": form, "formset": formset, "book": book})


@login_required
def book_detail(request, book_id):
    book = _book(request, book_id)
    builds = list(book.builds.select_related("manuscript")[:10])
    job = None
    if builds and builds[0].job_id:
        from communique.jobs.models import Job

        job = Job.objects.filter(pk=builds[0].job_id).first()
        builds[0] = services.reconcile(builds[0], job)
    return render(request, "books/book_detail.html", {
        "book": book,
        "contributors": book.contributors.all(),
        "manuscripts": book.manuscripts.all()[:10],
        "builds": builds,
        "job": job,
        "upload_form": ManuscriptForm(),
        "editor": is_editor(request.user),
        "rates": rates_summary(),
        "own_prices": sum(len(v) for v in (book.price_overrides or {}).values()),
    })


@authors_and_editors
def manuscript_upload(request, book_id):
    book = _book(request, book_id)
    too_big = _request_too_big(request)
    if too_big:  # refused before Django parses (and spools) the multipart body
        form = ManuscriptForm()
        form.cleaned_data = {}  # unbound: add_error needs somewhere to look
        form.add_error("file", too_big)
        return render(request, "books/manuscript_upload.html", {"book": book, "form": form}, status=413)
    form = ManuscriptForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The request only stores the file and queues the job that reads it (issue 8, break 4).
            ms = services.receive_manuscript(book, form.cleaned_data["file"], request.user)
        except services.ManuscriptError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            if ms.state == ms.State.FAILED:
                # Read already (inline jobs, or a fast worker): say why here, and keep nothing.
                for message in [ms.error]:
                    form.add_error("file", message)
                ms.delete()
            else:
                _reopen_approval(request, book)
                if ms.state == ms.State.READY:
                    messages.success(request, f"“{ms.original_name}” was imported. Check what came in below.")
                else:
                    messages.info(request, f"“{ms.original_name}” was received and is being read.")
                return redirect("books:manuscript", book_id=book.public_id, manuscript_id=ms.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "books/manuscript_upload.html", {"book": book, "form": form}, status=status)


def _request_too_big(request) -> str:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    limit = services.MAX_MANUSCRIPT_BYTES + 64 * 1024  # room for the form's other fields
    if request.method == "POST" and length > limit:
        return (f"The upload is {length / 1048576:.1f} MB; the limit is {services.MAX_MANUSCRIPT_BYTES // 1048576} MB. "
                "Large images are the usual cause: reduce them to 300 ppi at printed size.")
    return ""


@login_required
def manuscript_detail(request, book_id, manuscript_id):
    book = _book(request, book_id)
    ms = get_object_or_404(book.manuscripts, public_id=manuscript_id)
    job = None
    if ms.job_id and ms.state == ms.State.PENDING:
        from communique.jobs.models import Job

        job = Job.objects.filter(pk=ms.job_id).first()
        if job is not None and job.done:
            ms.refresh_from_db()
            if ms.state == ms.State.PENDING:  # the job died without a word (a killed worker)
                services._fail_manuscript(ms, job.public_error or "Reading was interrupted; upload it again.")
                ms.refresh_from_db()
    return render(request, "books/manuscript_detail.html",
                  {"book": book, "manuscript": ms, "report": ms.report, "job": job})


@login_required
def manuscript_download(request, book_id, manuscript_id):
    book = _book(request, book_id)
    ms = get_object_or_404(book.manuscripts, public_id=manuscript_id)
    if not ms.file or not Path(ms.file.path).exists():
        raise Http404("The manuscript file is missing.")
    return FileResponse(open(ms.file.path, "rb"), as_attachment=True, filename=ms.original_name)


@authors_and_editors
@require_POST
def build_start(request, book_id):
    book = _book(request, book_id)
    ms = book.latest_manuscript
    if ms is None:
        messages.error(request, "Upload a manuscript before building the kit.")
        return redirect("books:detail", book_id=book.public_id)
    build = services.start_build(book, ms, request.user)
    if build.state == KitBuild.State.FAILED:
        messages.error(request, f"The kit could not be built: {build.error.splitlines()[0] if build.error else ''}")
    return redirect("books:build", book_id=book.public_id, build_id=build.public_id)


@login_required
def build_detail(request, book_id, build_id):
    book = _book(request, book_id)
    build = get_object_or_404(book.builds, public_id=build_id)
    job = None
    if build.job_id:
        from communique.jobs.models import Job

        job = Job.objects.filter(pk=build.job_id).first()
    build = services.reconcile(build, job)  # a kit never says "Building" over a dead job
    preflight = services.read_preflight(build)
    return render(request, "books/build_detail.html",
                  {"book": book, "build": build, "job": job, "preflight": preflight,
                   "state_label": build.state_label(job)})


@login_required
def build_file(request, book_id, build_id, name):
    book = _book(request, book_id)
    build = get_object_or_404(book.builds, public_id=build_id, state=KitBuild.State.DONE)
    # Only names the build recorded are served; a crafted name never reaches the filesystem.
    if name not in build.files or build.folder_path is None:
        raise Http404("No such file in this kit.")
    path = build.folder_path / name
    if not path.is_file():
        raise Http404("No such file in this kit.")
    inline = request.GET.get("view") == "1" and name.endswith((".html", ".png", ".jpg", ".pdf", ".json", ".xml"))
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(open(path, "rb"), as_attachment=not inline, filename=name, content_type=content_type)
    # The kit's HTML sheets are our own output, but they are served from the site's origin: keep them inert.
    response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def build_zip(request, book_id, build_id):
    book = _book(request, book_id)
    build = get_object_or_404(book.builds, public_id=build_id, state=KitBuild.State.DONE)
    path = services.kit_zip(build)
    slug = services.slug_for(book)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{slug}-kdp-kit.zip")


@login_required
@require_POST
def book_submit(request, book_id):
    book = _book(request, book_id)
    if book.owner_id != request.user.pk and not is_editor(request.user):
        raise Http404
    if book.status == Book.Status.DRAFT:
        book.status = Book.Status.SUBMITTED
        book.save(update_fields=["status", "updated_at"])
        messages.success(request, "Submitted to the editors for approval.")
    return redirect("books:detail", book_id=book.public_id)


@login_required
@require_POST
def book_approve(request, book_id):
    book = _book(request, book_id)  # 404 first: an author learns nothing about others' books
    if not is_editor(request.user):
        raise PermissionDenied("Only editors approve books.")
    book.approve(request.user)
    messages.success(request, f"“{book.title}” is approved.")
    return redirect(reverse("books:detail", kwargs={"book_id": book.public_id}))
