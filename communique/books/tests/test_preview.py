"""The book in the browser before building: the latest manuscript with the book's details and
matter as the kit merges them, by the HTML writer, framed at phone, tablet and Kindle sizes."""
import pytest
from django.urls import reverse

from communique.books import services

pytestmark = pytest.mark.django_db


def _book_with_manuscript(alice, book_of, md_upload):
    book = book_of(alice, "The Book's Own Title", dedication="For the letter carriers.")
    services.import_manuscript(book, md_upload(), alice)
    return book


def test_preview_shows_the_manuscript_with_the_books_details(client, alice, book_of, md_upload):
    book = _book_with_manuscript(alice, book_of, md_upload)
    client.force_login(alice)
    page = client.get(reverse("books:preview", args=[book.public_id]) + "?size=kindle").content.decode()
    assert 'width="600" height="800"' in page and 'aria-current="true">Kindle' in page
    assert reverse("books:preview_frame", args=[book.public_id]) in page
    frame = client.get(reverse("books:preview_frame", args=[book.public_id]))
    html = b"".join(frame.streaming_content).decode()
    assert frame.status_code == 200
    assert "The Book&#x27;s Own Title" in html or "The Book's Own Title" in html  # the Book row's title wins
    assert "First Chapter" in html and "Second Chapter" in html and "For the letter carriers." in html
    assert "<style>" in html  # the writer's own CSS, not a copy in the portal
    csp = frame["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert frame["X-Frame-Options"] == "SAMEORIGIN"


def test_preview_follows_the_books_details_when_they_change(client, alice, book_of, md_upload):
    book = _book_with_manuscript(alice, book_of, md_upload)
    client.force_login(alice)
    url = reverse("books:preview_frame", args=[book.public_id])
    assert "Renamed Later" not in b"".join(client.get(url).streaming_content).decode()
    book.title = "Renamed Later"
    book.save()
    assert "Renamed Later" in b"".join(client.get(url).streaming_content).decode()


def test_preview_is_the_authors_and_editors_only(client, alice, bob, editor, book_of, md_upload):
    book = _book_with_manuscript(alice, book_of, md_upload)
    client.force_login(bob)
    assert client.get(reverse("books:preview", args=[book.public_id])).status_code == 404
    assert client.get(reverse("books:preview_frame", args=[book.public_id])).status_code == 404
    client.logout()
    assert client.get(reverse("books:preview_frame", args=[book.public_id])).status_code == 302
    client.force_login(editor)
    assert client.get(reverse("books:preview_frame", args=[book.public_id])).status_code == 200


def test_preview_without_a_manuscript_says_what_to_do(client, alice, book_of):
    book = book_of(alice, "Empty")
    client.force_login(alice)
    page = client.get(reverse("books:preview", args=[book.public_id])).content.decode()
    assert "Upload a manuscript first" in page
    assert client.get(reverse("books:preview_frame", args=[book.public_id])).status_code == 404
