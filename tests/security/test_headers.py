"""Reader pages carry the browser-hardening headers; downloads are attachments with safe names."""
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD_TITLE = 'He said "no"\r\nSet-Cookie: x=1 — Ünïcødé / ../..\\ عنوان'


def _check_hardening(response, where):
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN"), where
    assert response.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer",
                                               "strict-origin"), where


def test_reader_pages_have_hardening_headers(client, mag):
    article = mag["articles"][0]
    for url in ("/", article.url, reverse("magazine:search") + "?q=energy",
                reverse("magazine:author", args=[mag["authors"][0].slug]), reverse("feed-rss")):
        response = client.get(url)
        assert response.status_code == 200, url
        _check_hardening(response, url)


def _assert_safe_disposition(value):
    assert value.startswith("attachment;"), value
    assert "\r" not in value and "\n" not in value, value
    # Either a plain quoted ASCII name or RFC 6266 filename*= percent-encoding.
    name = value.split(";", 1)[1].strip()
    assert name.startswith(('filename="', "filename*=utf-8''")), value
    if name.startswith("filename*="):
        assert '"' not in name and "/" not in name.split("''", 1)[1].replace("%2F", ""), value


def test_edition_download_name_is_safe(client, mag):
    article = mag["articles"][0]
    article.title = ODD_TITLE
    article.save_revision().publish()
    response = client.get(reverse("editions:article_download", args=[article.pk, "epub"]))
    assert response.status_code == 200
    value = response["Content-Disposition"]
    _assert_safe_disposition(value)
    assert "Set-Cookie" not in response.cookies and "x=1" not in str(response.cookies)
    assert ".." not in value and "\\" not in value
    assert value.endswith(".epub") or value.endswith('.epub"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_manuscript_download_name_is_safe(client, author):
    from communique.books.models import Book, Manuscript

    book = Book.objects.create(owner=author, title=ODD_TITLE)
    ms = Manuscript(book=book, original_name=ODD_TITLE + ".md", kind="markdown", size=3)
    ms.file.save("m.md", ContentFile(b"# A\n"), save=True)
    client.force_login(author)
    response = client.get(reverse("books:manuscript_download", args=[book.public_id, ms.public_id]))
    assert response.status_code == 200
    _assert_safe_disposition(response["Content-Disposition"])
    assert "x=1" not in str(response.cookies)
