"""Issue 8, break 1: `![x](//any/path.png "t")` or `cover_image: //any/path.png` passed the
"images outside the upload" check (a leading // was taken for a remote URL) and the kit embedded
that server file. Every image a manuscript names must be a file inside its own upload; remote
forms are never read from disk."""
import io
import os
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(tmp_path):
    """A private server file an author must never get into their kit."""
    from PIL import Image

    path = tmp_path / "editors-only" / "private-document.png"
    path.parent.mkdir()
    Image.new("RGB", (40, 40), (200, 10, 10)).save(path)
    return path


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="Containment")


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (0, 90, 0)).save(buf, "PNG")
    return buf.getvalue()


def _zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _upload(client, book, name, data):
    return client.post(reverse("books:upload", args=[book.public_id]), {"file": SimpleUploadedFile(name, data)})


def _refused(response, name):
    assert response.status_code == 400, (name, response.status_code)
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert "outside" in errors, errors
    return errors


def test_protocol_relative_cover_is_refused(client, author, book, secret):
    from communique.books.models import Manuscript

    client.force_login(author)
    for key in ("cover_image", "cover", "cover-image"):
        text = f"---\ntitle: T\n{key}: /{secret}\n---\n\n# One\n\nWords.\n"
        _refused(_upload(client, book, f"{key}.md", text.encode()), key)
    # Two cover keys: the reader and the kit read different ones, so both are checked.
    both = _zip({"b/book.md": f"---\ntitle: T\ncover: ok.png\ncover_image: /{secret}\n---\n\n# One\n\nWords.\n",
                 "b/ok.png": _png()})
    _refused(_upload(client, book, "both.zip", both), "both")
    assert not Manuscript.objects.exists()


def test_protocol_relative_image_is_never_an_image(client, author, book, secret):
    """With a title the reader used to keep `//host/x.png` as an Image, which the writers open
    as the local file /host/x.png. Now it is dropped (with a warning) or refused, never opened."""
    from communique.books.models import Manuscript
    from communique.books.services import read_document
    from communique.documents import model as dm

    client.force_login(author)
    text = f"---\ntitle: T\n---\n\n# One\n\nWords.\n\n![x](/{secret} \"t\")\n"
    response = _upload(client, book, "pr.md", text.encode())
    if response.status_code == 400:
        _refused(response, "pr.md")
        return
    assert response.status_code == 302
    ms = Manuscript.objects.get()
    doc = read_document(ms.path, "markdown")
    images = [str(b.path) for _, b in doc.walk_blocks() if isinstance(b, dm.Image)]
    assert not any(os.path.basename(str(secret)) in p for p in images), images
    assert any("remote image" in w.message for w in doc.warnings)


def test_symlink_out_of_a_zip_is_refused(client, author, book, secret, tmp_path):
    """A path inside the upload that is a symlink to a server file is outside it."""
    from communique.books.services import ManuscriptError, _check_images_inside, read_document

    root = tmp_path / "upload"
    root.mkdir()
    (root / "art.png").symlink_to(secret)
    md = root / "book.md"
    md.write_text("---\ntitle: T\n---\n\n# One\n\nWords.\n\n![x](art.png)\n", encoding="utf-8")
    with pytest.raises(ManuscriptError, match="outside the upload"):
        _check_images_inside(read_document(md, "markdown"), md, "book.md", root=root)


def test_stored_manuscript_with_outside_cover_fails_the_build_without_reading_it(author, book, secret):
    """A manuscript stored before the check was tightened is checked again when the kit builds."""
    from communique.books import services
    from communique.books.models import KitBuild, Manuscript

    text = f"---\ntitle: T\ncover_image: /{secret}\n---\n\n# One\n\nWords words words.\n"
    ms = Manuscript(book=book, original_name="old.md", kind="markdown", size=len(text), uploaded_by=author)
    ms.file.save("manuscript.md", ContentFile(text.encode()), save=True)
    build = services.start_build(book, ms, author)
    build.refresh_from_db()
    assert build.state == KitBuild.State.FAILED
    assert "outside" in build.error
    folder = build.folder_path
    assert folder is None or not any(folder.rglob("*.epub"))


def test_kit_cover_art_is_confined_to_the_manuscript_folder(tmp_path, secret):
    from communique.kdp import kit

    base = tmp_path / "ms"
    base.mkdir()
    (base / "ok.png").write_bytes(_png())
    assert kit._cover_art({"cover_image": "ok.png"}, base, None) == (base / "ok.png").resolve()
    for name in (f"/{secret}", str(secret), "../editors-only/private-document.png"):
        with pytest.raises(kit.KitError, match="outside"):
            kit._cover_art({"cover_image": name}, base, None)
