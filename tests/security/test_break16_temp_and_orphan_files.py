"""Issue 8, break 16: every DOCX read left a temporary folder of images in /tmp, and a process
killed mid-upload left a manuscript file with no database row."""
import os
import tempfile
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Our own temp dir, so other processes' files in /tmp don't count."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


@pytest.fixture
def docx_with_picture(tmp_path):
    from communique.documents.tests import builders

    images = builders.make_images(tmp_path / "img", huge=False)
    return builders.make_docx(tmp_path / "book.docx", image=images["png"]).read_bytes()


def test_docx_upload_and_read_leave_no_temp_folders(author, private_tmp, docx_with_picture):
    from communique.books import services
    from communique.books.models import Book
    from communique.documents import model as dm

    book = Book.objects.create(owner=author, title="Docx")
    ms = services.import_manuscript(book, SimpleUploadedFile("book.docx", docx_with_picture), author)
    assert ms.report["images"] == 1
    assert list(private_tmp.iterdir()) == []
    doc = services.read_document(ms.path, "docx")
    assert [b for _, b in doc.walk_blocks() if isinstance(b, dm.Image)]
    assert list(private_tmp.iterdir()) == []


def test_orphan_manuscript_files_are_swept(author):
    from communique.books import services
    from communique.books.models import Book, Manuscript

    book = Book.objects.create(owner=author, title="Orphans")
    folder = settings.PRIVATE_ROOT / "books" / str(book.public_id) / "manuscripts"
    folder.mkdir(parents=True)
    killed = folder / "5f0c-killed-mid-upload.md"  # file written, row never committed
    killed.write_text("# Lost\n")
    old = time.time() - 3600
    os.utime(killed, (old, old))
    in_progress = folder / "a1b2-still-uploading.md"
    in_progress.write_text("# Soon\n")
    ms = services.import_manuscript(book, SimpleUploadedFile("b.md", b"# One\n\nWords here.\n"), author)
    assert not killed.exists(), "the orphan of a killed upload stays on disk"
    assert in_progress.exists(), "a file younger than the grace period may be an upload in progress"
    assert ms.path.exists() and Manuscript.objects.count() == 1


def test_failed_row_leaves_no_file(author, monkeypatch):
    from communique.books import services
    from communique.books.models import Book, Manuscript

    book = Book.objects.create(owner=author, title="Row fails")

    def boom(self, *a, **k):
        raise KeyboardInterrupt  # as when the process is told to stop between file and row

    monkeypatch.setattr(Manuscript, "save", boom)
    with pytest.raises(KeyboardInterrupt):
        services.import_manuscript(book, SimpleUploadedFile("b.md", b"# One\n\nWords.\n"), author)
    folder = settings.PRIVATE_ROOT / "books" / str(book.public_id) / "manuscripts"
    assert not folder.exists() or list(folder.iterdir()) == []
