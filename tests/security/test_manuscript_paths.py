"""A portal manuscript may only use images it brought with it. Before the fix an author could write
![x](/any/server/file.png) (or a cover_image: front-matter path, or ../..) and the kit build
embedded that server file in the EPUB/PDF the author downloads."""
import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_image(tmp_path):
    from PIL import Image

    path = tmp_path / "someone-elses-art.png"
    Image.new("RGB", (40, 40), (200, 10, 10)).save(path)
    return path


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="Path Book")


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40)).save(buf, "PNG")
    return buf.getvalue()


def _zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _upload(client, book, name, data):
    return client.post(reverse("books:upload", args=[book.public_id]), {"file": SimpleUploadedFile(name, data)})


def _private_files():
    root = settings.PRIVATE_ROOT
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_images_outside_the_upload_are_refused(client, author, book, server_image):
    from communique.books.models import Manuscript

    client.force_login(author)
    cases = {
        "absolute.md": f"---\ntitle: T\n---\n\n# One\n\nWords.\n\n![x]({server_image})\n",
        "cover.md": f"---\ntitle: T\ncover_image: {server_image}\n---\n\n# One\n\nWords.\n",
        "climb.zip": _zip({"book/book.md": "# One\n\nWords.\n\n![x](../../../../../../../../.." + str(server_image) + ")\n",
                           "book/ok.png": _png()}),
    }
    for name, data in cases.items():
        before, files = Manuscript.objects.count(), _private_files()
        response = _upload(client, book, name, data.encode() if isinstance(data, str) else data)
        assert response.status_code == 400, (name, response.status_code)
        errors = " ".join(str(e) for e in response.context["form"].errors["file"])
        assert name in errors and "outside the upload" in errors, errors
        assert Manuscript.objects.count() == before and _private_files() == files


def test_images_inside_a_zip_are_accepted(client, author, book):
    client.force_login(author)
    data = _zip({"book/book.md": "---\ntitle: T\ncover_image: art/cover.png\n---\n\n# One\n\nWords.\n\n"
                                 "![x](../shared/pic.png)\n\n![y](art/pic.png)\n",
                 "book/art/pic.png": _png(), "book/art/cover.png": _png(), "shared/pic.png": _png()})
    response = _upload(client, book, "good.zip", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
