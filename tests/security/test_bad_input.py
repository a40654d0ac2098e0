"""Bad input gets a clear error naming the problem, and nothing already stored is lost or half-written."""
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

HUGE = (20000, 20000)  # 400 Mpx, above WAGTAILIMAGES_MAX_IMAGE_PIXELS (128 Mpx)


@pytest.fixture(scope="module")
def huge_png():
    """A 20,000 × 20,000 PNG of a few hundred KB: 1-bit pixels, all zero, compress to almost nothing."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", HUGE).save(buf, "PNG")
    data = buf.getvalue()
    assert len(data) < 2_000_000
    return data


def _files_under(root):
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_huge_image_upload_in_admin_is_refused_by_name(client, editor, huge_png):
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    Image = get_image_model()
    before, files_before = Image.objects.count(), _files_under(settings.MEDIA_ROOT)
    client.force_login(editor)
    response = client.post(reverse("wagtailimages:add"), {
        "title": "Huge", "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile("huge.png", huge_png, content_type="image/png"),
    })
    assert response.status_code == 200  # the form again, not a redirect to the new image
    errors = " ".join(str(e) for e in response.context["form"].errors.get("file", []))
    assert "pixels" in errors.lower(), errors  # names the problem
    assert Image.objects.count() == before
    assert _files_under(settings.MEDIA_ROOT) == files_before


def test_huge_image_in_a_manuscript_render_warns_without_crashing(tmp_path, huge_png, capsys):
    (tmp_path / "huge.png").write_bytes(huge_png)
    md = tmp_path / "book.md"
    md.write_text("---\ntitle: Huge Picture Book\nlanguage: en\n---\n\n# One\n\nBefore.\n\n"
                  "![A huge picture](huge.png)\n\nAfter.\n", encoding="utf-8")
    out = tmp_path / "book.epub"
    call_command("render", str(md), "--to", "epub", "-o", str(out))
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert out.is_file() and zipfile.is_zipfile(out)
    assert "huge.png" in said and "pixel" in said.lower(), said
    with zipfile.ZipFile(out) as zf:
        text = " ".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml"))
    assert "Before." in text and "After." in text


def _portal_upload(client, book, name, data):
    return client.post(reverse("books:upload", args=[book.public_id]),
                       {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="Fragile Book")


def _valid_docx(path):
    from communique.importers.tests.docx_builder import para, write_docx

    write_docx(path, para("Chapter One", style="Heading1") + para("Some words " * 200))
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["truncated", "not_a_zip", "zip_without_document"])
def test_broken_docx_in_portal_is_refused_and_nothing_is_stored(client, author, book, tmp_path, kind):
    from communique.books.models import Manuscript

    client.force_login(author)
    good = _valid_docx(tmp_path / "good.docx")
    ok = _portal_upload(client, book, "good.docx", good)
    assert ok.status_code == 302, ok.content[:500]
    data = {
        "truncated": good[: len(good) * 2 // 3],
        "not_a_zip": b"PK\x03\x04" + b"\x00garbage" * 50,
        "zip_without_document": _zip({"[Content_Types].xml": "<Types/>", "hello.txt": "hi"}),
    }[kind]
    before, files_before = Manuscript.objects.count(), _files_under(settings.PRIVATE_ROOT)
    response = _portal_upload(client, book, "broken.docx", data)
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert "broken.docx" in errors, errors  # the author's own file name, not a staging path
    assert "/tmp" not in errors and "upload-" not in errors
    assert Manuscript.objects.count() == before
    assert _files_under(settings.PRIVATE_ROOT) == files_before
    assert book.latest_manuscript.original_name == "good.docx"  # what was stored is still there


def _zip(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_zip_with_huge_image_in_portal_is_refused_by_name(client, author, book, huge_png):
    from communique.books.models import Manuscript

    client.force_login(author)
    data = _zip({"book.md": "---\ntitle: Big\n---\n\n# One\n\nWords here.\n\n![pic](huge.png)\n", "huge.png": huge_png})
    before, files = Manuscript.objects.count(), _files_under(settings.PRIVATE_ROOT)
    response = _portal_upload(client, book, "big.zip", data)
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert "big.zip" in errors and "huge.png" in errors and "pixels" in errors, errors
    assert Manuscript.objects.count() == before and _files_under(settings.PRIVATE_ROOT) == files


def test_malformed_wxr_stores_nothing(mag, tmp_path):
    from communique.importers.tests.conftest import counts

    src = Path(__file__).resolve().parents[2] / "communique/importers/tests/fixtures/wxr/export.xml"
    text = src.read_text(encoding="utf-8")
    before = counts()
    for name, body in {
        "truncated.xml": text[: len(text) * 3 // 4],
        "unclosed-cdata.xml": text.replace("]]></content:encoded>", "</content:encoded>", 1),
        "doctype.xml": text.replace("<rss", '<!DOCTYPE rss [<!ENTITY x "boom">]>\n<rss', 1),
    }.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        with pytest.raises(CommandError) as err:
            call_command("import", "wordpress", str(path))
        assert name in str(err.value) or "line" in str(err.value).lower() or "entit" in str(err.value).lower(), str(err.value)
        assert counts() == before, name
