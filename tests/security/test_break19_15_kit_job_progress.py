"""Issue 8, break 19: a book's owner got 403 on the progress of a kit build an editor started.
Break 15: the job status JSON showed authors full tracebacks with server paths, and messages named
temporary files or the wrong file."""
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from communique.jobs import enqueue, job

pytestmark = pytest.mark.django_db


@job("tests.secbooks_bug")
def _bug(progress, *, key):
    progress(30, "working")
    return {}[key]  # a programming error: KeyError


@job("tests.secbooks_path")
def _path(progress, *, where):
    raise OSError(f"could not open {where}: permission denied")


@pytest.fixture
def book(author):
    from communique.books.models import Book

    return Book.objects.create(owner=author, title="Owned")


def _manuscript(book, author, text, name="My Novel.md"):
    from communique.books.models import Manuscript

    ms = Manuscript(book=book, original_name=name, kind="markdown", size=len(text), uploaded_by=author)
    ms.file.save("manuscript.md", ContentFile(text.encode()), save=True)
    return ms


def test_owner_sees_progress_of_a_build_an_editor_started(client, author, other_author, editor, book):
    from communique.books import services

    ms = _manuscript(book, author, "")  # empty: the build fails fast, which is all this needs
    build = services.start_build(book, ms, editor)
    url = reverse("jobs:status", args=[build.job_id])
    client.force_login(author)
    assert client.get(url).status_code == 200
    client.force_login(other_author)
    assert client.get(url).status_code == 403


def test_status_json_has_no_traceback_and_no_server_path(client, author, editor):
    for name, kwargs in (("tests.secbooks_bug", {"key": "w:body"}),
                         ("tests.secbooks_path", {"where": "/srv/private/books/abc/manuscript_x1.md"})):
        j = enqueue(name, owner=author, **kwargs)
        assert "Traceback" in j.error  # kept for the editors' admin list
        client.force_login(author)
        data = client.get(reverse("jobs:status", args=[j.pk])).json()
        text = repr(data)
        assert data["status"] == "failed" and data["error"], data
        assert "Traceback" not in text and "/srv/" not in text and ".py" not in text, text
        assert "w:body" not in text  # the KeyError's text means nothing to an author


def test_failed_kit_build_names_the_authors_file_not_the_stored_one(author, book):
    from communique.books import services
    from communique.books.models import KitBuild
    from communique.jobs.models import Job

    ms = _manuscript(book, author, "---\ntitle: [unclosed\n---\n\n# One\n\nWords.\n", name="My Novel.md")
    build = services.start_build(book, ms, author)
    build.refresh_from_db()
    assert build.state == KitBuild.State.FAILED
    job_row = Job.objects.get(pk=build.job_id)
    for shown in (build.error, job_row.public_error, job_row.as_dict()["error"]):
        assert shown and "/" not in shown.replace("https://", ""), shown
        assert ms.path.name not in shown and "Traceback" not in shown, shown
