"""Issue 12, defect 8: the import report said "Nothing was dropped" when front-matter fields
(e.g. `dedication:`) were ignored, counted images that were not imported, and showed server
paths. Defect 9: the book page and the kit disagreed (ISBNs, series, date from the manuscript
while the page said "none"; the manuscript's paper, price and contributors silently overridden by
form defaults)."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

FRONT = """---
title: The Quiet Channel
series: Back Channels
series_number: 2
publication_date: 2025-05-01
isbn_paperback: 978-0-306-40615-7
paper: cream
price_usd: 3.99
contributors:
  - name: Ann Envoy
    role: author
dedication: For M.
favourite_colour: blue
---

# One

Some words in the first chapter.

![A missing map](maps/missing.png)
"""


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="The Quiet Channel")


def _upload(client, book, text=FRONT, name="quiet.md"):
    return client.post(reverse("books:upload", args=[book.public_id]),
                       {"file": SimpleUploadedFile(name, text.encode())})


def test_import_report_tells_what_was_ignored_and_counts_only_real_images(client, author, book):
    from communique.books.models import Manuscript

    client.force_login(author)
    response = _upload(client, book)
    assert response.status_code == 302
    ms = Manuscript.objects.get()
    assert ms.report["images"] == 0  # the map was not imported
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was dropped" not in page
    assert "favourite_colour" in page and "ignored" in page
    assert "missing.png" in page
    text = json.dumps(ms.report)
    assert "/tmp" not in text and "upload-" not in text and "manuscript.md" not in text, text


def test_book_page_shows_what_the_kit_uses_and_overrides_are_told(client, author, book):
    from communique.books import services
    from communique.books.models import Book, BookContributor

    book.price_usd = "5.99"  # the author's own choice, not the form's default
    book.save()
    client.force_login(author)
    response = _upload(client, book)
    book = Book.objects.get(pk=book.pk)
    # Filled from the manuscript: the page shows it, and the kit gets the same values.
    assert book.series == "Back Channels" and book.series_number == 2
    assert book.isbn_paperback.replace("-", "") == "9780306406157"
    assert str(book.publication_date) == "2025-05-01"
    assert book.paper == "cream"  # the form's default "white" did not beat the manuscript
    assert book.dedication == "For M."
    assert [c.name for c in BookContributor.objects.filter(book=book)] == ["Ann Envoy"]
    detail = client.get(reverse("books:detail", args=[book.public_id])).content.decode()
    assert "Back Channels" in detail and "none yet" not in detail
    overrides = services.book_overrides(book)
    assert overrides["series"] == "Back Channels" and overrides["paper"] == "cream"
    assert overrides["contributors"] == [{"name": "Ann Envoy", "role": "author"}]
    assert services.book_matter(book)["dedication"] == "For M."
    # The author's own price wins, and the report says so.
    assert str(book.price_usd) == "5.99"
    page = client.get(response["Location"]).content.decode()
    assert "overrides the manuscript" in page and "3.99" in page and "5.99" in page


def test_empty_book_matter_does_not_wipe_the_manuscripts(book):
    from communique.books import services

    assert services.book_matter(book) == {}
