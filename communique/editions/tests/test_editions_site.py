"""Editions in the site: building an issue from the admin, downloads for readers and editors,
atomic replacement of files, and the `communique edition` command."""
import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.base import CommandError

from communique.editions import registry, services
from communique.editions.models import Edition
from communique.jobs.models import Job
from communique.magazine.tests.factories import build_magazine

needs_pdf = pytest.mark.skipif(
    "pdf" not in registry.WRITERS, reason="the PDF writer is not registered in communique.editions.registry yet"
)


@pytest.fixture
def mag(db):
    return build_magazine(n_articles=4, with_images=False)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="x")
    user.groups.add(Group.objects.get(name="Editors"))  # Wagtail's default group: edits every page
    return user


@pytest.fixture
def contributor(db):
    """The newsroom role (communique.core.roles): signs in to the admin and may edit pages, but is
    not an editor."""
    user = User.objects.create_user("contributor", password="x")
    group, _ = Group.objects.get_or_create(name="Contributors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def build_url(issue):
    return f"/admin/editions/issue/{issue.pk}/build/"


def assert_epub(data):
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        names = epub.namelist()
        assert names[0] == "mimetype"
        assert epub.read("mimetype") == b"application/epub+zip"
        assert "META-INF/container.xml" in names
        assert epub.testzip() is None


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# ---- building from the admin ----------------------------------------------------------------


def test_editor_builds_an_issue_from_the_admin(client, mag, editor):
    issue = mag["issue"]
    client.force_login(editor)
    page = client.get(build_url(issue))
    assert page.status_code == 200
    assert b"Not built" in page.content

    response = client.post(build_url(issue), {"formats": ["epub"]})
    assert response.status_code == 302
    job = Job.objects.get(kind="editions.build_issue")
    assert response["Location"] == f"{build_url(issue)}?job={job.pk}"
    assert job.status == Job.SUCCEEDED, job.error
    assert job.owner == editor and job.target == issue
    assert job.progress == 100
    assert job.result["editions"][0]["url"] == f"/editions/issue/{issue.pk}/epub/"

    edition = Edition.objects.get(page=issue, format="epub")
    assert edition.exists and edition.size == edition.path.stat().st_size > 1000
    assert edition.job == job and edition.error == ""
    assert str(edition.path).startswith(str(__import__("django.conf").conf.settings.PRIVATE_ROOT))
    assert_epub(edition.path.read_bytes())
    assert services.is_fresh(edition, issue)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f'href="/editions/issue/{issue.pk}/epub/"'.encode() in page.content
    assert b"<progress" in page.content


@needs_pdf
def test_editor_builds_both_formats(client, mag, editor):
    issue = mag["issue"]
    client.force_login(editor)
    client.post(build_url(issue), {"formats": ["epub", "pdf"]})
    assert Job.objects.get().status == Job.SUCCEEDED
    pdf = Edition.objects.get(page=issue, format="pdf")
    assert pdf.path.read_bytes()[:5] == b"%PDF-"


def test_the_edit_page_offers_the_build_action(client, mag, editor):
    client.force_login(editor)
    response = client.get(f"/admin/pages/{mag['issue'].pk}/edit/")
    assert response.status_code == 200
    assert build_url(mag["issue"]).encode() in response.content
    # and not on an article
    response = client.get(f"/admin/pages/{mag['articles'][0].pk}/edit/")
    assert b"/admin/editions/issue/" not in response.content


def test_contributor_and_anonymous_cannot_build(client, mag, contributor):
    issue = mag["issue"]
    response = client.post(build_url(issue), {"formats": ["epub"]})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(contributor)
    # Wagtail's admin answers PermissionDenied by sending the user to the dashboard with a message.
    for response in (client.post(build_url(issue), {"formats": ["epub"]}), client.get(build_url(issue))):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Job.objects.exists() and not Edition.objects.exists()


def test_unknown_format_is_refused_with_a_message(client, mag, editor):
    client.force_login(editor)
    response = client.post(build_url(mag["issue"]), {"formats": ["mobi"]}, follow=True)
    assert b"mobi" in response.content
    assert not Job.objects.exists()


# ---- what readers see -----------------------------------------------------------------------


def test_issue_page_offers_downloads_once_built(client, mag):
    issue = mag["issue"]
    link = f'href="/editions/issue/{issue.pk}/epub/"'
    assert link not in client.get(issue.url).content.decode()
    assert client.get(f"/editions/issue/{issue.pk}/epub/").status_code == 404

    services.build_issue_editions(issue, ["epub"])

    html = client.get(issue.url).content.decode()
    assert link in html
    response = client.get(f"/editions/issue/{issue.pk}/epub/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="peace-through-dialogue-vol-15-no-4.epub"'
    assert_epub(body(response))


def test_unpublished_issue_edition_is_for_editors_only(client, mag, editor):
    issue = mag["issue"]
    services.build_issue_editions(issue, ["epub"])
    issue.unpublish()
    assert client.get(f"/editions/issue/{issue.pk}/epub/").status_code == 404
    client.force_login(editor)
    response = client.get(f"/editions/issue/{issue.pk}/epub/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_article_page_offers_its_formats(client, mag):
    article = mag["articles"][0]
    html = client.get(article.url).content.decode()
    assert f"/editions/article/{article.pk}/epub/" in html
    if "pdf" in registry.WRITERS:
        assert f"/editions/article/{article.pk}/pdf/" in html


def test_article_epub_is_built_on_request_and_cached_until_republished(client, mag):
    article = mag["articles"][1]
    url = f"/editions/article/{article.pk}/epub/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert_epub(body(response))
    first = Edition.objects.get(page=article, format="epub")

    client.get(url)
    assert Edition.objects.get(pk=first.pk).built_at == first.built_at  # served from the cache

    article.title = "A changed headline"
    article.save_revision().publish()
    response = client.get(url)
    assert response.status_code == 200
    rebuilt = Edition.objects.get(pk=first.pk)
    assert rebuilt.built_at > first.built_at
    assert response["Content-Disposition"] == 'attachment; filename="a-changed-headline.epub"'


@needs_pdf
def test_article_pdf_download(client, mag):
    article = mag["articles"][0]
    response = client.get(f"/editions/article/{article.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response)[:5] == b"%PDF-"


def test_draft_article_is_for_editors_only(client, mag, editor, contributor):
    article = mag["articles"][2]
    article.unpublish()
    url = f"/editions/article/{article.pk}/epub/"
    assert client.get(url).status_code == 404
    client.force_login(contributor)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert_epub(body(response))


def test_private_article_stays_private(client, mag):
    from wagtail.models import PageViewRestriction

    article = mag["articles"][3]
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/editions/article/{article.pk}/epub/").status_code == 404


def test_unknown_format_and_wrong_page_type_are_404(client, mag):
    article, issue = mag["articles"][0], mag["issue"]
    assert client.get(f"/editions/article/{article.pk}/docx/").status_code == 404
    assert client.get(f"/editions/article/{issue.pk}/epub/").status_code == 404
    assert client.get(f"/editions/issue/{article.pk}/epub/").status_code == 404


def test_download_filename_is_safe(mag):
    article = mag["articles"][0]
    article.title = 'Peace "now"/../../etc: علاقائی سفارت کاری'
    edition = Edition(page=article, format="epub")
    name = edition.download_filename(article)
    assert name.endswith(".epub")
    assert not any(c in name for c in '"/\\:') and ".." not in name
    assert "علاقائی" in name


# ---- atomic replacement ---------------------------------------------------------------------


class HalfWriter:
    """Writes part of a file, then fails: what a crash in the middle of a real writer leaves."""

    def write(self, document, output_path, options=None):
        output_path.write_bytes(b"PK\x03\x04 half of an epub")
        raise OSError("disk full while writing chapter 3")


def test_failed_build_keeps_the_previous_file_and_says_why(client, mag, editor, monkeypatch):
    issue = mag["issue"]
    good = services.build_issue_editions(issue, ["epub"])[0]
    before = good.path.read_bytes()

    monkeypatch.setattr(registry, "get_writer", lambda fmt: HalfWriter())
    client.force_login(editor)
    client.post(build_url(issue), {"formats": ["epub"]})

    job = Job.objects.get(kind="editions.build_issue")
    assert job.status == Job.FAILED
    assert "disk full while writing chapter 3" in job.error
    edition = Edition.objects.get(pk=good.pk)
    assert edition.path.read_bytes() == before  # readers still get the last good file
    assert "disk full while writing chapter 3" in edition.error and edition.failed_at
    assert edition.built_at == good.built_at
    assert [p.name for p in edition.path.parent.iterdir() if p.name.startswith(".building-")] == []

    page = client.get(f"{build_url(issue)}?job={job.pk}")
    assert b"disk full while writing chapter 3" in page.content
    assert b"The previous file is still offered" in page.content
    response = client.get(f"/editions/issue/{issue.pk}/epub/")
    assert body(response) == before

    monkeypatch.undo()
    services.build_issue_editions(issue, ["epub"])
    assert Edition.objects.get(pk=good.pk).error == ""


def test_failed_article_build_is_503_not_a_broken_file(client, mag, monkeypatch):
    article = mag["articles"][0]
    monkeypatch.setattr(registry, "get_writer", lambda fmt: HalfWriter())
    response = client.get(f"/editions/article/{article.pk}/epub/")
    assert response.status_code == 503
    assert "disk full" in Edition.objects.get(page=article, format="epub").error


# ---- the command ----------------------------------------------------------------------------


def test_edition_command_builds_by_slug_and_copies_out(mag, tmp_path, capsys):
    issue = mag["issue"]
    call_command("edition", "build", issue.slug, "--to", "epub", "-o", str(tmp_path), "--quiet")
    copied = tmp_path / "peace-through-dialogue-vol-15-no-4.epub"
    assert_epub(copied.read_bytes())
    edition = Edition.objects.get(page=issue, format="epub")
    assert edition.path.read_bytes() == copied.read_bytes()
    assert str(copied) in capsys.readouterr().out
    call_command("edition", "build", str(issue.pk), "--to", "epub", "--quiet")


def test_edition_command_names_bad_input(mag):
    with pytest.raises(CommandError, match="no-such-issue"):
        call_command("edition", "build", "no-such-issue", "--to", "epub")
    with pytest.raises(CommandError, match="mobi"):
        call_command("edition", "build", mag["issue"].slug, "--to", "epub,mobi")


def test_issue_edition_goes_stale_when_an_article_is_republished(mag):
    issue = mag["issue"]
    edition = services.build_issue_editions(issue, ["epub"])[0]
    assert services.is_fresh(edition, issue)
    article = issue.articles()[0]
    article.save_revision().publish()
    assert not services.is_fresh(Edition.objects.get(pk=edition.pk), issue)


def test_deleting_a_page_removes_its_edition_files(mag, django_capture_on_commit_callbacks):
    article = mag["articles"][0]
    edition = services.article_edition(article, "epub")
    path = edition.path
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.delete()
    assert path.is_file()  # until the deletion is committed
    for callback in callbacks:
        callback()
    assert not Edition.objects.filter(pk=edition.pk).exists()
    assert not path.exists()


def test_a_second_build_request_joins_the_running_one(client, mag, editor):
    from communique.jobs.models import Job as JobModel

    issue = mag["issue"]
    running = JobModel.objects.create(
        kind="editions.build_issue", status=JobModel.RUNNING, target=issue, owner=editor,
        args={"issue_id": issue.pk, "formats": ["epub"]},
    )
    client.force_login(editor)
    response = client.post(build_url(issue), {"formats": ["epub"]})
    assert response["Location"] == f"{build_url(issue)}?job={running.pk}"
    assert JobModel.objects.count() == 1


def test_build_lock_lets_one_build_run_at_a_time(settings, tmp_path):
    """Two readers asking for the same new article at once: the second waits for the first."""
    import threading
    import time
    from types import SimpleNamespace

    settings.PRIVATE_ROOT = tmp_path
    page = SimpleNamespace(pk=4242)
    inside, overlaps = [], []

    def build():
        with services.build_lock(page, "epub"):
            if inside:
                overlaps.append(True)
            inside.append(1)
            time.sleep(0.2)
            inside.pop()

    threads = [threading.Thread(target=build) for _ in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []
    assert time.monotonic() - started >= 0.8
