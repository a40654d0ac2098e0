"""Who sees what in the author portal. Another author's book, manuscript or kit file must be a
404 by every URL (never 403), so ids cannot be probed; editors see everything and approve."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communique.books.models import Book, Manuscript

from .conftest import docx_bytes_without_document

pytestmark = pytest.mark.django_db


def urls_for(build):
    book, ms = build.book, build.manuscript
    b, m, k = book.public_id, ms.public_id, build.public_id
    return {
        "detail": reverse("books:detail", args=[b]),
        "edit": reverse("books:edit", args=[b]),
        "upload": reverse("books:upload", args=[b]),
        "manuscript": reverse("books:manuscript", args=[b, m]),
        "manuscript_download": reverse("books:manuscript_download", args=[b, m]),
        "build": reverse("books:build", args=[b, k]),
        "build_file": reverse("books:build_file", args=[b, k, "metadata.json"]),
        "build_zip": reverse("books:build_zip", args=[b, k]),
    }


def test_anonymous_is_sent_to_login(client, alice, book_of, built):
    build = built(book_of(alice))
    for name, url in [("portal", reverse("books:portal"))] + list(urls_for(build).items()):
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/?next="), name


def test_author_sees_only_own_books(client, alice, bob, book_of):
    book_of(alice, title="Alice's Memoir")
    book_of(bob, title="Bob's Treatise")
    client.force_login(alice)
    page = client.get(reverse("books:portal")).content.decode()
    assert "Alice&#x27;s Memoir" in page or "Alice's Memoir" in page
    assert "Treatise" not in page


def test_other_authors_book_manuscript_and_kit_are_404(client, alice, bob, book_of, built):
    build = built(book_of(alice, title="Private"))
    client.force_login(bob)
    for name, url in urls_for(build).items():
        assert client.get(url).status_code == 404, name
    for name in ("build_start", "submit", "approve"):
        assert client.post(reverse(f"books:{name}", args=[build.book.public_id])).status_code == 404, name
    # POSTing an upload or an edit to someone else's book changes nothing
    client.post(urls_for(build)["upload"], {"file": SimpleUploadedFile("x.md", b"# Hi\n\ntext")})
    client.post(urls_for(build)["edit"], {"title": "Hijacked"})
    build.book.refresh_from_db()
    assert build.book.title == "Private"
    assert build.book.manuscripts.count() == 1


def test_mixing_ids_of_two_books_is_404(client, alice, bob, book_of, built):
    """Bob's own book id with Alice's manuscript or build id must not reach Alice's files."""
    alices = built(book_of(alice))
    bobs = book_of(bob)
    client.force_login(bob)
    b = bobs.public_id
    assert client.get(reverse("books:manuscript_download", args=[b, alices.manuscript.public_id])).status_code == 404
    assert client.get(reverse("books:build_file", args=[b, alices.public_id, "metadata.json"])).status_code == 404


def test_owner_downloads_own_kit_file_but_not_arbitrary_paths(client, alice, book_of, built):
    build = built(book_of(alice))
    client.force_login(alice)
    urls = urls_for(build)
    response = client.get(urls["build_file"])
    assert response.status_code == 200
    assert b"secret" in b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    # A name the build did not record is not served, even if a file of that name exists.
    (build.folder_path / "other.txt").write_text("x")
    assert client.get(reverse("books:build_file", args=[build.book.public_id, build.public_id, "other.txt"])).status_code == 404
    assert client.get(urls["manuscript_download"]).status_code == 200
    assert client.get(urls["build_zip"]).status_code == 200


def test_files_live_outside_media_root(settings, alice, book_of, built):
    build = built(book_of(alice))
    private = Path(settings.PRIVATE_ROOT).resolve()
    assert Path(build.manuscript.file.path).resolve().is_relative_to(private)
    assert build.folder_path.resolve().is_relative_to(private)
    assert not Path(build.manuscript.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        build.manuscript.file.url


def test_editor_sees_all_books_and_approves(client, alice, bob, editor, book_of, built):
    build = built(book_of(alice, title="Alice's Memoir"))
    book_of(bob, title="Bob's Treatise")
    client.force_login(editor)
    page = client.get(reverse("books:portal")).content.decode()
    assert "Memoir" in page and "Treatise" in page
    for name, url in urls_for(build).items():
        if name in ("upload",):
            continue
        assert client.get(url).status_code == 200, name
    response = client.post(reverse("books:approve", args=[build.book.public_id]))
    assert response.status_code == 302
    build.book.refresh_from_db()
    assert build.book.status == Book.Status.APPROVED
    assert build.book.approved_by == editor


def test_staff_counts_as_editor(client, django_user_model, alice, book_of):
    staff = django_user_model.objects.create_user("sam", password="x", is_staff=True)
    book = book_of(alice)
    client.force_login(staff)
    assert client.get(reverse("books:detail", args=[book.public_id])).status_code == 200


def test_author_cannot_approve_own_book(client, alice, book_of):
    book = book_of(alice, status=Book.Status.SUBMITTED)
    client.force_login(alice)
    assert client.post(reverse("books:approve", args=[book.public_id])).status_code == 403
    book.refresh_from_db()
    assert book.status == Book.Status.SUBMITTED
    assert "Approve this book" not in client.get(reverse("books:detail", args=[book.public_id])).content.decode()


def test_author_submits_for_approval(client, alice, book_of):
    book = book_of(alice)
    client.force_login(alice)
    client.post(reverse("books:submit", args=[book.public_id]))
    book.refresh_from_db()
    assert book.status == Book.Status.SUBMITTED


def test_public_ids_are_random_uuids(alice, book_of):
    a, b = book_of(alice), book_of(alice)
    assert a.public_id.version == 4 and a.public_id != b.public_id
    assert reverse("books:detail", args=[a.public_id]) == f"/portal/books/{a.public_id}/"


# ---- manuscripts -----------------------------------------------------------------------


def test_markdown_upload_reports_what_came_in(client, alice, book_of, md_upload, settings):
    book = book_of(alice)
    client.force_login(alice)
    response = client.post(reverse("books:upload", args=[book.public_id]), {"file": md_upload()})
    assert response.status_code == 302
    ms = book.manuscripts.get()
    assert ms.report["chapters"] == 2
    assert ms.report["footnotes"] == 1
    assert ms.report["tables"] == 1
    assert ms.report["words"] > 10
    assert Path(ms.file.path).resolve().is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    page = client.get(response["Location"]).content.decode()
    assert "What came in" in page and "First Chapter" in page


def test_markdown_with_missing_image_reports_the_drop(client, alice, book_of, md_upload):
    book = book_of(alice)
    client.force_login(alice)
    text = "---\ntitle: T\n---\n\n# One\n\nText.\n\n![A chart](missing.png)\n"
    client.post(reverse("books:upload", args=[book.public_id]), {"file": md_upload(text)})
    ms = book.manuscripts.get()
    assert ms.report["dropped"], "a missing image must be reported, not silently dropped"
    assert any("missing.png" in d["message"] or "missing.png" in d["where"] for d in ms.report["dropped"])


@pytest.mark.parametrize("name,content,expected", [
    ("book.docx", b"this is plainly not a zip", "not a DOCX file"),
    ("book.pdf", b"%PDF-1.4", "not a manuscript we can read"),
    ("book.md", b"", "empty"),
    ("book.docx", docx_bytes_without_document(), "book.docx"),
])
def test_broken_upload_gives_clear_error_and_stores_nothing(client, alice, book_of, settings, name, content, expected):
    book = book_of(alice)
    client.force_login(alice)
    before = sorted(p for p in Path(settings.PRIVATE_ROOT).rglob("*") if p.is_file()) if Path(settings.PRIVATE_ROOT).exists() else []
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert Manuscript.objects.count() == 0
    after = sorted(p for p in Path(settings.PRIVATE_ROOT).rglob("*") if p.is_file()) if Path(settings.PRIVATE_ROOT).exists() else []
    assert after == before


def test_upload_size_limit(client, alice, book_of, monkeypatch):
    from communique.books import services

    monkeypatch.setattr(services, "MAX_MANUSCRIPT_BYTES", 100)
    book = book_of(alice)
    client.force_login(alice)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("big.md", b"# A\n\n" + b"word " * 100)})
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert Manuscript.objects.count() == 0


def test_zip_with_markdown_and_image(client, alice, book_of, tmp_path):
    import io
    import zipfile

    from PIL import Image

    buf = io.BytesIO()
    img = io.BytesIO()
    Image.new("RGB", (600, 400), "navy").save(img, "PNG")
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("book/book.md", "---\ntitle: Z\n---\n\n# One\n\nText.\n\n![A navy block](img/a.png)\n")
        zf.writestr("book/img/a.png", img.getvalue())
    book = book_of(alice)
    client.force_login(alice)
    client.post(reverse("books:upload", args=[book.public_id]), {"file": SimpleUploadedFile("b.zip", buf.getvalue())})
    assert book.manuscripts.get().report["images"] == 1


def test_zip_with_path_traversal_is_refused(client, alice, book_of):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../evil.md", "# x")
    book = book_of(alice)
    client.force_login(alice)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("b.zip", buf.getvalue())})
    assert response.status_code == 400
    assert "unsafe path" in response.content.decode()


def test_docx_upload_reports_chapters_notes_images_tables_and_drops(client, alice, book_of, tmp_path):
    from PIL import Image

    from communique.documents.tests.builders import make_docx

    img = tmp_path / "pic.png"
    Image.new("RGB", (400, 300), (20, 80, 140)).save(img)
    path = make_docx(tmp_path / "word-book.docx", image=img)
    book = book_of(alice)
    client.force_login(alice)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("word-book.docx", path.read_bytes())})
    assert response.status_code == 302
    report = book.manuscripts.get().report
    assert report["footnotes"] == 1 and report["tables"] == 1 and report["images"] == 1
    assert report["chapters"] >= 1 and report["words"] > 10
    # the unknown "Fancy Aside" style is reported as changed, with the reason
    assert any("Fancy Aside" in d["message"] for d in report["dropped"]), report["dropped"]
    page = client.get(response["Location"]).content.decode()
    assert "Fancy Aside" in page
