"""A cover picture of 20,000 × 20,000 px brought in a manuscript ZIP (the portal has no separate
cover-art field; `cover_image:` in the front matter is how an author supplies it)."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_huge_cover_art_is_refused_at_upload_by_name(client, author):
    from PIL import Image

    from communique.books.models import Book

    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("book.md", "---\ntitle: Huge Cover\ncover_image: cover.png\n---\n\n# One\n\nSome words here.\n")
        zf.writestr("cover.png", buf.getvalue())
    book = Book.objects.create(owner=author, title="Huge Cover")
    client.force_login(author)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("huge-cover.zip", data.getvalue())})
    # Refused at upload, naming the picture and its size, rather than failing the kit build later
    # with Pillow's DecompressionBombError, which names neither.
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["file"])
    assert "cover.png" in errors and "20000×20000" in errors, errors
    assert not book.manuscripts.exists()

