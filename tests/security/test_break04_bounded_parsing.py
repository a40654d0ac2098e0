"""Issue 8, break 4: a 56 KB DOCX of 200,000 paragraphs took 56 s and 456 MB inside the upload
request. The request now only stores the file and queues a job; the job reads it in a child
process with time and memory limits, after cheap counts have refused what is too big."""
import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="Bounded")


def _paragraph_bomb(tmp_path, paragraphs=200_000) -> bytes:
    """A real Word file whose body is `paragraphs` one-word paragraphs: tiny compressed."""
    from communique.documents.tests import builders

    path = builders.make_docx(tmp_path / "base.docx")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    body = "<w:p><w:r><w:t>x</w:t></w:r></w:p>" * paragraphs
    parts["word/document.xml"] = re.sub(r"<w:body>.*</w:body>", f"<w:body>{body}</w:body>", xml, flags=re.S).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_paragraph_bomb_docx_is_refused_with_a_clear_error(client, author, book, tmp_path):
    from communique.books.models import Manuscript

    data = _paragraph_bomb(tmp_path)
    assert len(data) < 200_000
    client.force_login(author)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("bomb.docx", data)})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["file"])
    assert "bomb.docx" in errors and "paragraphs" in errors, errors
    assert not Manuscript.objects.exists()


def test_upload_request_only_stores_and_queues(client, author, book, monkeypatch):
    """With a real queue the request returns before anything is parsed; the job reads it."""
    from communique.books.models import Manuscript
    from communique.jobs import api, runner
    from communique.jobs.models import Job

    monkeypatch.setattr(api, "dispatch", lambda job, backend: None)  # the queue keeps it
    monkeypatch.setattr("communique.books.services.read_report",
                        lambda *a, **k: pytest.fail("parsed inside the request"))
    client.force_login(author)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("b.md", b"# One\n\nSome words.\n")})
    assert response.status_code == 302
    ms = Manuscript.objects.get()
    assert ms.state == Manuscript.State.PENDING and ms.report == {} and ms.job_id
    page = client.get(response["Location"]).content.decode()
    assert "being read" in page and "job-progress" in page
    assert book.latest_manuscript is None  # nothing to build from yet
    monkeypatch.undo()
    runner.run_job(ms.job_id)
    ms.refresh_from_db()
    assert Job.objects.get(pk=ms.job_id).status == Job.SUCCEEDED
    assert ms.state == Manuscript.State.READY and ms.report["words"] >= 3
    assert book.latest_manuscript == ms


def test_failed_read_in_the_job_keeps_no_file(author, book, monkeypatch):
    from communique.books import services
    from communique.books.models import Manuscript
    from communique.jobs import api, runner

    monkeypatch.setattr(api, "dispatch", lambda job, backend: None)
    ms = services.receive_manuscript(book, SimpleUploadedFile("empty.md", b"   \n\n"), author)
    path = ms.path
    assert path.exists()
    runner.run_job(ms.job_id)
    ms.refresh_from_db()
    assert ms.state == Manuscript.State.FAILED and "empty.md" in ms.error and "holds no text" in ms.error
    assert not path.exists() and not ms.file


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _grab(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def test_child_limits_time_and_memory():
    from communique.books.parsing import run_limited
    from communique.books.services import ManuscriptError

    assert run_limited(_sleep, 0, name="ok.md", seconds=30) == "woke"
    with pytest.raises(ManuscriptError, match="took longer than 1 seconds"):
        run_limited(_sleep, 30, name="slow.md", seconds=1)
    with pytest.raises(ManuscriptError, match="more than 64 MB of memory"):
        run_limited(_grab, 2048, name="big.md", memory=64 * 1024 * 1024)


def test_markdown_and_upload_size_limits(client, author, book, settings, monkeypatch):
    from communique.books import parsing, services

    monkeypatch.setattr(parsing, "MAX_MARKDOWN_BYTES", 1000)
    with pytest.raises(services.ManuscriptError, match="of Markdown text; the limit is"):
        services.import_manuscript(book, SimpleUploadedFile("long.md", b"# One\n\n" + b"word " * 400), author)
    monkeypatch.setattr(services, "MAX_MANUSCRIPT_BYTES", 2000)
    client.force_login(author)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("b.md", b"# One\n\n" + b"w " * 40_000)})
    assert response.status_code == 413 and "the limit is" in response.content.decode()
