"""A kit built from the portal uses the author's finished cover, ships the author's store prices
and converts the rest at the editors' rates; the preflight checked exactly those prices. A
full-wrap PDF of the wrong size fails the build with both sizes named."""
import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from communique.books.models import ExchangeRate, KitBuild

pytestmark = pytest.mark.django_db


def _front(colour=(20, 90, 160)):
    buf = io.BytesIO()
    Image.new("RGB", (1600, 2560), colour).save(buf, "JPEG", quality=85)
    return SimpleUploadedFile("my-front.jpg", buf.getvalue(), content_type="image/jpeg")


def test_kit_uses_the_finished_cover_and_the_authors_prices(client, alice, book_of, md_upload):
    ExchangeRate.objects.create(currency="CAD", per_usd="2.00", as_of=timezone.localdate() - timedelta(days=3))
    book = book_of(alice, "Covered and Priced", trim="6x9")
    client.force_login(alice)
    assert client.post(reverse("books:upload", args=[book.public_id]), {"file": md_upload()}).status_code == 302
    assert client.post(reverse("books:cover", args=[book.public_id]), {"file": _front()}).status_code == 302
    assert client.post(reverse("books:prices", args=[book.public_id]), {"ebook_UK": "3.49"}).status_code == 302
    client.post(reverse("books:build_start", args=[book.public_id]))
    build = KitBuild.objects.get()
    assert build.state == KitBuild.State.DONE, build.error
    folder = build.folder_path
    prices = json.loads((folder / "prices.json").read_text())
    ebook = {r["marketplace"]: r for r in prices["ebook"]}
    assert ebook["UK"]["list_price"] == "3.49" and ebook["UK"]["price_source"] == "author"
    assert prices["exchange_rates"]["per_usd"]["CAD"] == "2.0000"
    assert prices["exchange_rates_as_of"] == "2025-11-01"  # the oldest rate in use (the table's) is the age shown
    preflight = json.loads((folder / "preflight.json").read_text())
    checks = {c["rule_id"]: c for c in preflight["checks"]}
    assert "GBP 3.49" in checks["price.ebook.UK"]["message"]
    assert checks["price.exchange_rates"]["status"] == "verify"
    # The front is the author's picture (blue), with no title drawn over it.
    meta = json.loads((folder / "metadata.json").read_text())
    names = {e["name"] for e in meta["layout"]["cover_elements"]}
    assert "front_art" in names and "front_title" not in names
    with Image.open(folder / "ebook-cover.jpg") as im:
        r, g, b = im.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert b > 120 and r < 80, (r, g, b)
    assert "your price" in (folder / "prices.html").read_text()


def test_a_wrap_of_the_wrong_size_fails_the_build_naming_both_sizes(client, alice, book_of, md_upload, settings):
    from pypdf import PdfWriter

    book = book_of(alice, "Wrong Wrap", trim="6x9")
    client.force_login(alice)
    client.post(reverse("books:upload", args=[book.public_id]), {"file": md_upload()})
    writer = PdfWriter()
    writer.add_blank_page(width=13.5 * 72, height=9.25 * 72)  # tall enough, but far too wide a spine
    buf = io.BytesIO()
    writer.write(buf)
    response = client.post(reverse("books:cover", args=[book.public_id]),
                           {"file": SimpleUploadedFile("designer-wrap.pdf", buf.getvalue())})
    assert response.status_code == 302  # the page count is not known before the first kit
    client.post(reverse("books:build_start", args=[book.public_id]))
    build = KitBuild.objects.get()
    assert build.state == KitBuild.State.FAILED
    assert "13.5 × 9.25 in" in build.error and "KDP needs one page of" in build.error, build.error
    assert "designer-wrap.pdf" in build.error and "cover-" not in build.error
