"""The portal's kit build end to end: upload, build as a background job (inline in tests),
progress recorded, files downloadable by the owner only."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communique.books.models import KitBuild
from communique.kdp.tests.test_kit import SMALL

pytestmark = pytest.mark.django_db


def test_build_kit_through_the_portal(client, alice, bob, book_of, settings):
    book = book_of(alice, title="Portal Book", trim="5x8", paper="white", isbn_paperback="9781861972712",
                   keywords=["diplomacy"], dedication="For the portal.")
    book.contributors.create(name="Alice Author", role="author")
    client.force_login(alice)
    body = " ".join(f"Sentence {i} on the patient craft of listening to other publics." for i in range(600))
    text = SMALL.replace("{body}", body).replace('![A grey square with a red bar](fig.png "Figure 1. A square.")', "")
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("portal.md", text.encode())})
    assert response.status_code == 302

    response = client.post(reverse("books:build_start", args=[book.public_id]))
    assert response.status_code == 302
    build = KitBuild.objects.get()
    assert build.state == KitBuild.State.DONE, build.error
    assert build.percent == 100 and build.job_id
    assert set(build.files) >= {"ebook.epub", "interior.pdf", "cover.pdf", "preflight.json"}

    # the Book form wins over the manuscript's front matter
    meta = json.loads((build.folder_path / "metadata.json").read_text())
    assert meta["title"] == "Portal Book"
    assert meta["contributors"] == [{"name": "Alice Author", "role": "Author"}]

    # the job's progress endpoint answers the owner
    job = client.get(reverse("jobs:status", args=[build.job_id])).json()
    assert job["status"] == "succeeded" and job["progress"] == 100

    page = client.get(response["Location"]).content.decode()
    assert "Download the whole kit" in page and "preflight.html" in page
    url = reverse("books:build_file", args=[book.public_id, build.public_id, "interior.pdf"])
    got = client.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")

    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert client.get(reverse("books:build", args=[book.public_id, build.public_id])).status_code == 404
