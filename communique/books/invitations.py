"""Inviting authors: an editor names an email address; the author gets a signed link that works
once, until it expires, and lands in the portal signed in with the Authors role.

The link carries the invitation's id and a random nonce, signed with the site's secret key
(django.core.signing), so it cannot be forged or guessed from the id. Expiry and single use are
checked against the row, not the signature's clock, so an editor can revoke a link and the link
shown to the editor stays the one that was sent."""
from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import AuthorInvitation

SALT = "communique.books.invitation"
INVITATION_DAYS = getattr(settings, "BOOKS_INVITATION_DAYS", 14)


class InvitationError(Exception):
    """The link cannot be used; the message says why, for the person holding it."""


def token_for(invitation: AuthorInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def link_for(invitation: AuthorInvitation, request=None) -> str:
    path = reverse("books:invitation", args=[token_for(invitation)])
    return request.build_absolute_uri(path) if request is not None else path


def invite(email: str, name: str, invited_by, request=None, message: str = "") -> AuthorInvitation:
    """Create the invitation and email its link (console backend in the demo, locmem in tests)."""
    email = get_user_model().objects.normalize_email(email.strip())
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise InvitationError(f"{email} already has an account. Add it to the Authors group in the admin "
                              "instead of inviting it.")
    with transaction.atomic():
        # A newer invitation replaces any pending one for the same address.
        AuthorInvitation.objects.filter(email__iexact=email, accepted_at__isnull=True,
                                        revoked_at__isnull=True).update(revoked_at=timezone.now())
        invitation = AuthorInvitation.objects.create(
            email=email, name=name.strip(), nonce=secrets.token_urlsafe(24), invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS))
    from communique.core.publication import publication_name

    context = {"invitation": invitation, "link": link_for(invitation, request), "publication": publication_name(),
               "message": message.strip(), "days": INVITATION_DAYS,
               "inviter": (invited_by.get_full_name() or invited_by.get_username()) if invited_by else ""}
    send_mail(render_to_string("books/email/invitation_subject.txt", context).strip(),
              render_to_string("books/email/invitation.txt", context),
              settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return invitation


def find(token: str) -> AuthorInvitation:
    """The usable invitation a link names, or InvitationError saying why not."""
    try:
        data = signing.loads(token, salt=SALT)
        pk, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvitationError("This invitation link is not valid. Check that the whole link was copied, or ask "
                              "the editors for a new one.") from None
    invitation = AuthorInvitation.objects.filter(pk=pk).first()
    if invitation is None or not constant_time_compare(invitation.nonce, nonce):
        raise InvitationError("This invitation link is not valid. Ask the editors for a new one.")
    state = invitation.state
    if state == "accepted":
        raise InvitationError("This invitation has been used already. Sign in with the account it created.")
    if state == "revoked":
        raise InvitationError("This invitation was withdrawn. Ask the editors for a new one.")
    if state == "expired":
        raise InvitationError(f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
                              "Ask the editors for a new one.")
    return invitation


def accept(invitation: AuthorInvitation, *, username: str, password: str, first_name: str = "",
           last_name: str = ""):
    """Create the author's account; the invitation is spent in the same transaction, so two
    simultaneous uses of one link make one account."""
    User = get_user_model()
    with transaction.atomic():
        spent = AuthorInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True,
                                                expires_at__gt=timezone.now()).update(accepted_at=timezone.now())
        if not spent:
            raise InvitationError("This invitation has been used already or has expired.")
        user = User.objects.create_user(username, email=invitation.email, password=password,
                                        first_name=first_name, last_name=last_name)
        user.groups.add(Group.objects.get_or_create(name="Authors")[0])
        AuthorInvitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
    return user
