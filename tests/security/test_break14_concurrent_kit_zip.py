"""Issue 8, break 14: 11 of 12 simultaneous first downloads of a new kit.zip got a 500 (they all
wrote and renamed the same temporary file)."""
import os
import threading
import zipfile

import pytest
from django.core.files.base import ContentFile

pytestmark = pytest.mark.django_db


def test_twelve_simultaneous_first_zips_all_succeed(author):
    from communique.books import services
    from communique.books.models import Book, KitBuild, Manuscript

    book = Book.objects.create(owner=author, title="Zip")
    ms = Manuscript(book=book, original_name="b.md", kind="markdown", size=10, uploaded_by=author)
    ms.file.save("m.md", ContentFile(b"# One\n"), save=True)
    build = KitBuild.objects.create(book=book, manuscript=ms, state=KitBuild.State.DONE)
    build.folder = services.kit_folder(build)
    build.folder_path.mkdir(parents=True)
    names = []
    for i in range(4):
        name = f"part{i}.bin"
        (build.folder_path / name).write_bytes(os.urandom(1_500_000))  # incompressible: zipping takes a while
        names.append(name)
    build.files = names
    build.save()

    barrier = threading.Barrier(12)
    errors, paths = [], []

    def download():
        barrier.wait()
        try:
            path = services.kit_zip(build)
            with zipfile.ZipFile(path) as zf:  # each caller gets a whole, readable ZIP
                assert sorted(zf.namelist()) == names and zf.testzip() is None
            paths.append(path)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=download) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], errors
    assert len(set(paths)) == 1 and len(paths) == 12
    assert not [p for p in build.folder_path.parent.iterdir() if p.name.endswith((".tmp", ".partial"))]
