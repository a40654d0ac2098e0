"""A finished cover from the portal: a front-only JPEG/PNG or a full-wrap PDF checked against the
wrap KDP computes; bad input is refused by name with nothing stored, and the kit uses the cover."""
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from communique.books import covers
from communique.books.models import Book, KitBuild, Manuscript

pytestmark = pytest.mark.django_db


def png(width, height, mode="RGB", name="front.png"):
    buf = io.BytesIO()
    Image.new(mode, (width, height), 0).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def pdf(width_in, height_in, name="wrap.pdf", pages=1):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width_in * 72, height=height_in * 72)
    buf = io.BytesIO()
    writer.write(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def stored_files(book):
    folder = Path(settings.PRIVATE_ROOT) / "books" / str(book.public_id) / "covers"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def post(client, book, upload):
    return client.post(reverse("books:cover", args=[book.public_id]), {"file": upload})


def test_front_image_is_stored_and_shown(client, alice, book_of):
    book = book_of(alice, "Covered")
    client.force_login(alice)
    response = post(client, book, png(1600, 2560))
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.finished_cover_kind == "front" and book.finished_cover_name == "front.png"
    assert len(stored_files(book)) == 1 and covers.finished_cover_path(book).is_file()
    page = client.get(reverse("books:cover", args=[book.public_id])).content.decode()
    assert "front.png" in page and "Front cover image" in page


@pytest.mark.parametrize("upload, words", [
    (SimpleUploadedFile("front.png", b"this is not a picture at all", content_type="image/png"), "not a JPEG, PNG or PDF"),
    (png(1600, 2560, name="cover.pdf"), "is a PNG image but its name says otherwise"),
    (png(20000, 20000, mode="1"), "20000 × 20000 px; KDP takes covers of at most 10000 × 10000"),
    (png(300, 480), "300 × 480 px; KDP needs at least 625 × 1000"),
    (pdf(6, 9), "6.000 × 9.000 in; at 6 × 9 in KDP needs a wrap 9.250 in tall and 12.250 in wide plus the spine"),
    (pdf(12.5, 9.25, pages=2), "has 2 pages"),
    (SimpleUploadedFile("cover.pdf", b"%PDF-1.7\nbroken", content_type="application/pdf"), "could not be read as a PDF"),
])
def test_bad_covers_are_refused_by_name_and_nothing_is_stored(client, alice, book_of, upload, words):
    book = book_of(alice, "Covered")
    client.force_login(alice)
    response = post(client, book, upload)
    assert response.status_code == 400
    assert words in response.content.decode(), response.content.decode()[-3000:]
    book.refresh_from_db()
    assert not book.finished_cover and stored_files(book) == []


def _fake_kit(book, pages):
    ms = Manuscript.objects.create(book=book, original_name="m.md", kind="markdown", size=3, file="x.md")
    build = KitBuild.objects.create(book=book, manuscript=ms, state=KitBuild.State.DONE, files=["metadata.json"])
    build.folder = f"books/{book.public_id}/kits/{build.public_id}"
    build.save()
    build.folder_path.mkdir(parents=True)
    (build.folder_path / "metadata.json").write_text(json.dumps({"layout": {"pages": pages}}))


def test_wrap_is_checked_exactly_once_the_page_count_is_known(client, alice, book_of):
    from communique.kdp import geometry

    book = book_of(alice, "Wrapped", trim="6x9", paper="cream")
    _fake_kit(book, 200)
    size = geometry.cover_size("6x9", 200, "cream")
    client.force_login(alice)
    wrong = post(client, book, pdf(12.5, 9.25))
    text = wrong.content.decode()
    assert wrong.status_code == 400
    assert "12.500 × 9.250 in" in text and f"{size.width.quantize(__import__('decimal').Decimal('0.001')):f} × 9.250 in" in text
    assert "200 pages" in text and stored_files(book) == []
    right = post(client, book, pdf(float(size.width), float(size.height)))
    assert right.status_code == 302
    book.refresh_from_db()
    assert book.finished_cover_kind == "wrap"


def test_a_refused_replacement_keeps_the_old_cover_and_a_replacement_removes_it(client, alice, book_of):
    book = book_of(alice, "Covered")
    client.force_login(alice)
    post(client, book, png(1600, 2560, name="first.png"))
    before = stored_files(book)
    assert post(client, book, png(100, 100, name="tiny.png")).status_code == 400
    book.refresh_from_db()
    assert book.finished_cover_name == "first.png" and stored_files(book) == before
    post(client, book, png(1600, 2560, name="second.png"))
    book.refresh_from_db()
    assert book.finished_cover_name == "second.png" and len(stored_files(book)) == 1 and stored_files(book) != before
    client.post(reverse("books:cover", args=[book.public_id]), {"remove": "1"})
    book.refresh_from_db()
    assert not book.finished_cover and stored_files(book) == []


def test_cover_pages_are_the_owners_and_editors_only(client, alice, bob, editor, book_of):
    book = book_of(alice, "Private cover")
    client.force_login(alice)
    post(client, book, png(1600, 2560))
    client.force_login(bob)
    assert client.get(reverse("books:cover", args=[book.public_id])).status_code == 404
    assert post(client, book, png(1600, 2560, name="bobs.png")).status_code == 404
    assert client.get(reverse("books:cover_file", args=[book.public_id])).status_code == 404
    client.force_login(editor)
    assert client.get(reverse("books:cover_file", args=[book.public_id])).status_code == 200
    assert Book.objects.get(pk=book.pk).finished_cover_name == "front.png"
