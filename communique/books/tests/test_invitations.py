"""Editors invite authors by email: a signed link that works once and expires; the author
chooses a user name and password and lands in the portal as an author."""
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communique.books.models import AuthorInvitation

pytestmark = pytest.mark.django_db


def _invite(client, editor, email="new.author@example.org", name="Nadia Author"):
    client.force_login(editor)
    response = client.post(reverse("books:invitations"), {"email": email, "name": name, "message": "Welcome aboard."})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    link = re.search(r"https?://\S+/portal/invitation/\S+/", mail.outbox[-1].body).group(0)
    return link.split("testserver", 1)[1]


def test_invited_author_signs_up_once_and_lands_in_the_portal(client, editor, django_user_model):
    path = _invite(client, editor)
    message = mail.outbox[-1]
    assert message.to == ["new.author@example.org"] and "Welcome aboard." in message.body
    assert "Nadia Author" in message.body
    page = client.get(path)
    assert page.status_code == 200 and "new.author@example.org" in page.content.decode()
    response = client.post(path, {"first_name": "Nadia", "last_name": "Author", "username": "nadia",
                                  "password1": "a long pass phrase 2026", "password2": "a long pass phrase 2026"})
    assert response.status_code == 302 and response["Location"] == reverse("books:portal")
    user = django_user_model.objects.get(username="nadia")
    assert user.email == "new.author@example.org" and user.groups.filter(name="Authors").exists()
    # Signed in: the portal opens, and the author may create a book.
    assert client.get(reverse("books:portal")).status_code == 200
    assert client.get(reverse("books:create")).status_code == 200
    # One use: the same link again is refused, and no second account appears.
    client.logout()
    again = client.post(path, {"username": "nadia2", "password1": "a long pass phrase 2026",
                               "password2": "a long pass phrase 2026"})
    assert again.status_code == 410 and "used already" in again.content.decode()
    assert not django_user_model.objects.filter(username="nadia2").exists()


def test_expired_tampered_and_withdrawn_links_are_refused(client, editor, django_user_model):
    path = _invite(client, editor)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = client.get(reverse("books:invitation", args=[token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]]))
    assert tampered.status_code == 410 and "not valid" in tampered.content.decode()
    AuthorInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.post(path, {"username": "late", "password1": "a long pass phrase 2026",
                                 "password2": "a long pass phrase 2026"})
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert not django_user_model.objects.filter(username="late").exists()
    # A fresh invitation withdraws nothing but itself when an editor withdraws it.
    path2 = _invite(client, editor, email="other@example.org")
    client.force_login(editor)
    client.post(reverse("books:invitation_revoke", args=[AuthorInvitation.objects.get(email="other@example.org").pk]))
    client.logout()
    assert "withdrawn" in client.get(path2).content.decode()


def test_weak_passwords_and_taken_names_are_refused_with_reasons(client, editor, alice):
    path = _invite(client, editor)
    weak = client.post(path, {"username": "nadia", "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    taken = client.post(path, {"username": "alice", "password1": "a long pass phrase 2026",
                               "password2": "a long pass phrase 2026"})
    assert taken.status_code == 400 and "taken" in taken.content.decode()
    assert AuthorInvitation.objects.get().accepted_at is None  # still usable after the refusals


def test_only_editors_invite(client, alice):
    client.force_login(alice)
    assert client.get(reverse("books:invitations")).status_code == 403
    assert client.post(reverse("books:invitations"), {"email": "x@example.org"}).status_code == 403
    assert mail.outbox == [] and not AuthorInvitation.objects.exists()


def test_an_address_with_an_account_is_not_invited_again(client, editor, alice):
    alice.email = "alice@example.org"
    alice.save()
    client.force_login(editor)
    response = client.post(reverse("books:invitations"), {"email": "Alice@example.org"})
    assert response.status_code == 400 and "already has an account" in response.content.decode()
    assert mail.outbox == []
