"""Issue 8, break 22: any signed-in user, even one in no group, could create books, upload
manuscripts and build kits (widening breaks 1, 2 and 4). Only authors and editors may; "editor"
has one definition (communique.core.roles), used by the portal and the job views alike."""
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

MD = b"---\ntitle: T\n---\n\n# One\n\nSome words.\n"


@pytest.fixture
def nobody(django_user_model):
    return django_user_model.objects.create_user("nobody", password="pw-nobody-123")


def _create(client):
    return client.post(reverse("books:create"), {
        "title": "Mine", "language": "en", "trim": "6x9", "paper": "white", "publisher": "P",
        "price_usd": "4.99", "paperback_price_usd": "12.99",
        "contributors-TOTAL_FORMS": "0", "contributors-INITIAL_FORMS": "0",
        "contributors-MIN_NUM_FORMS": "0", "contributors-MAX_NUM_FORMS": "1000"})


def test_user_without_a_role_cannot_create_books(client, nobody, contributor, translator):
    from communique.books.models import Book

    for user in (nobody, contributor, translator):
        client.force_login(user)
        assert client.get(reverse("books:create")).status_code == 403, user.username
        assert _create(client).status_code == 403, user.username
    assert not Book.objects.exists()


def test_user_who_lost_the_author_role_cannot_upload_or_build(client, author):
    from communique.books.models import Book

    book = Book.objects.create(owner=author, title="Mine")
    author.groups.clear()
    client.force_login(author)
    upload = client.post(reverse("books:upload", args=[book.public_id]),
                         {"file": SimpleUploadedFile("b.md", MD)})
    assert upload.status_code == 403
    assert client.post(reverse("books:build_start", args=[book.public_id])).status_code == 403
    assert not book.manuscripts.exists() and not book.builds.exists()


def test_authors_and_editors_can_create_books(client, author, editor):
    from communique.books.models import Book

    for user in (author, editor):
        client.force_login(user)
        assert client.get(reverse("books:create")).status_code == 200
        response = _create(client)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert Book.objects.filter(title="Mine").count() == 2


def test_one_definition_of_editor(nobody):
    """A Moderators member (Wagtail's default group, not one of our roles) was an editor for job
    progress but not for books; now both ask communique.core.roles."""
    from communique.books.models import is_editor as books_is_editor
    from communique.core import roles
    from communique.jobs.permissions import is_editor as jobs_is_editor

    nobody.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    assert books_is_editor(nobody) == jobs_is_editor(nobody) == roles.is_editor(nobody)
    nobody.groups.add(Group.objects.get(name="Editors"))
    assert books_is_editor(nobody) and jobs_is_editor(nobody)
