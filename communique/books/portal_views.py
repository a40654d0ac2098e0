"""The portal's book pages beyond details and kits: the in-browser preview, the finished cover,
per-store prices; and the editors' pages for exchange rates and author invitations, with the
invited author's sign-up. Every book view starts from Book.objects.visible_to (views._book), so
only the book's author and the editors reach them."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from . import covers, invitations, preview
from .forms import AcceptInvitationForm, CoverForm, ExchangeRateForm, InvitationForm, PriceOverridesForm
from .models import AuthorInvitation, ExchangeRate, is_editor
from .rates import current_rates, rates_summary
from .views import _book, _reopen_approval, authors_and_editors


def _editors_only(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can do this.")


# ---- preview ------------------------------------------------------------------------------


@login_required
def book_preview(request, book_id):
    book = _book(request, book_id)
    size = request.GET.get("size") if request.GET.get("size") in preview.SIZES else "phone"
    ms = book.latest_manuscript
    return render(request, "books/preview.html", {
        "book": book, "manuscript": ms, "sizes": preview.SIZES, "size": size, "frame": preview.SIZES[size]})


@login_required
@xframe_options_sameorigin
def book_preview_frame(request, book_id):
    """The preview page itself, framed by book_preview. It is our writer's output of the author's
    text, but it is kept inert anyway: no script, no requests, a sandbox."""
    book = _book(request, book_id)
    ms = book.latest_manuscript
    if ms is None:
        raise Http404("Upload a manuscript to preview the book.")
    from .services import ManuscriptError

    try:
        path = preview.preview_file(book, ms)
    except ManuscriptError as exc:
        response = render(request, "books/preview_error.html", {"book": book, "messages_": exc.messages}, status=422)
    else:
        response = FileResponse(open(path, "rb"), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
                                           "frame-ancestors 'self'; sandbox allow-same-origin")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- finished cover -------------------------------------------------------------------------


@authors_and_editors
def book_cover(request, book_id):
    book = _book(request, book_id)
    form = CoverForm(request.POST or None, request.FILES or None)
    status = 200
    too_big = _too_big(request)
    if too_big:
        form = CoverForm()
        form.cleaned_data = {}
        form.add_error("file", too_big)
        status = 413
    elif request.method == "POST":
        if request.POST.get("remove") == "1":
            covers.remove_finished_cover(book)
            messages.success(request, "The finished cover was removed; the kit draws the cover again.")
            return redirect("books:cover", book_id=book.public_id)
        if form.is_valid():
            try:
                note = covers.store_finished_cover(book, form.cleaned_data["file"])
            except covers.CoverError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                _reopen_approval(request, book)
                messages.success(request, f"“{book.finished_cover_name}” is the book's "
                                          f"{'full-wrap cover' if book.finished_cover_kind == 'wrap' else 'front cover'} now; "
                                          "the next kit uses it.")
                if note:
                    messages.info(request, note)
                return redirect("books:cover", book_id=book.public_id)
        status = 400
    pages, size = covers.wrap_expectation(book)
    return render(request, "books/cover.html", {"book": book, "form": form, "pages": pages, "wrap": size},
                  status=status)


def _too_big(request) -> str:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    if request.method == "POST" and length > covers.MAX_COVER_BYTES + 64 * 1024:
        return (f"The upload is {length / 1048576:.1f} MB; the limit for a cover is "
                f"{covers.MAX_COVER_BYTES // 1048576} MB.")
    return ""


@login_required
def book_cover_file(request, book_id):
    book = _book(request, book_id)
    path = covers.finished_cover_path(book)
    if path is None:
        raise Http404("This book has no finished cover.")
    response = FileResponse(open(path, "rb"), as_attachment=request.GET.get("view") != "1",
                            filename=book.finished_cover_name or path.name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- prices ------------------------------------------------------------------------------------


@authors_and_editors
def book_prices(request, book_id):
    book = _book(request, book_id)
    rates = current_rates()
    form = PriceOverridesForm(request.POST or None, book=book, rates=rates)
    if request.method == "POST" and form.is_valid():
        overrides = form.overrides()
        if overrides != (book.price_overrides or {}):
            book.price_overrides = overrides
            book.save(update_fields=["price_overrides", "updated_at"])
            _reopen_approval(request, book)
        count = sum(len(v) for v in overrides.values())
        messages.success(request, f"Prices saved: {count} store price{'s' if count != 1 else ''} set by you, "
                                  "the rest converted from the USD prices when the kit is built.")
        return redirect("books:prices", book_id=book.public_id)
    return render(request, "books/prices.html", {"book": book, "form": form, "rows": list(form.bound_rows()),
                                                 "rates": rates_summary()},
                  status=400 if request.method == "POST" else 200)


# ---- exchange rates (editors) ---------------------------------------------------------------------


@login_required
def exchange_rates(request):
    _editors_only(request)
    rates = current_rates()
    form = ExchangeRateForm(request.POST or None, rates=rates,
                            initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for field in form.rate_fields():
                code = field.name.removeprefix("rate_")
                ExchangeRate.objects.update_or_create(currency=code, defaults={
                    "per_usd": form.cleaned_data[field.name], "as_of": form.cleaned_data["as_of"],
                    "updated_by": request.user})
        messages.success(request, f"Exchange rates saved, as of {form.cleaned_data['as_of']:%d %B %Y}. "
                                  "Kits built from now on convert prices with them.")
        return redirect("books:rates")
    rows = {r.currency: r for r in ExchangeRate.objects.select_related("updated_by")}
    return render(request, "books/rates.html", {"form": form, "rates": rates_summary(), "rows": rows,
                                                "table": current_rates()},
                  status=400 if request.method == "POST" else 200)


# ---- invitations ---------------------------------------------------------------------------------


@login_required
def author_invitations(request):
    _editors_only(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invite(form.cleaned_data["email"], form.cleaned_data["name"], request.user,
                                            request=request, message=form.cleaned_data["message"])
        except invitations.InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}. It works once and expires on "
                                      f"{timezone.localtime(invitation.expires_at):%d %B %Y}.")
            return redirect("books:invitations")
    rows = [{"invitation": i, "link": invitations.link_for(i, request) if i.state == "pending" else ""}
            for i in AuthorInvitation.objects.select_related("invited_by", "accepted_user")[:50]]
    return render(request, "books/invitations.html", {"form": form, "rows": rows},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def invitation_revoke(request, pk):
    _editors_only(request)
    changed = AuthorInvitation.objects.filter(pk=pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if changed:
        messages.success(request, "The invitation was withdrawn; its link no longer works.")
    return redirect("books:invitations")


def invitation_accept(request, token):
    """The invited author's page: choose a user name and password, then land in the portal."""
    try:
        invitation = invitations.find(token)
    except invitations.InvitationError as exc:
        return render(request, "books/invitation_invalid.html", {"reason": str(exc)}, status=410)
    if request.user.is_authenticated:
        return render(request, "books/invitation_invalid.html", {
            "reason": f"You are signed in as {request.user.get_username()}. Sign out first to accept the invitation "
                      f"for {invitation.email}."}, status=409)
    first, _, last = invitation.name.partition(" ")
    form = AcceptInvitationForm(request.POST or None, email=invitation.email,
                                initial={"first_name": first, "last_name": last,
                                         "username": invitation.email.split("@")[0]})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(invitation, username=form.cleaned_data["username"],
                                      password=form.cleaned_data["password1"],
                                      first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"])
        except invitations.InvitationError as exc:
            return render(request, "books/invitation_invalid.html", {"reason": str(exc)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_full_name() or user.get_username()}. Start a new book here; "
                                  "you sign in next time with your user name and password.")
        return redirect("books:portal")
    return render(request, "books/invitation_accept.html", {"form": form, "invitation": invitation},
                  status=400 if request.method == "POST" else 200)
