"""Issue 8, break 8: an issue's EPUB/PDF still contained an article after it was unpublished.
Unpublishing marks the issue's editions stale; a stale file is not served until rebuilt."""
import zipfile

import pytest

pytestmark = pytest.mark.django_db


def _epub_text(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xhtml"))


def test_unpublished_article_is_withdrawn_from_the_issue_files(client, mag, editor):
    from communique.editions import services
    from communique.editions.models import Edition

    issue = mag["issue"]
    article = issue.articles()[0]
    services.build_issue_editions(issue, ["epub"])
    url = f"/editions/issue/{issue.pk}/epub/"
    assert client.get(url).status_code == 200
    assert article.title in _epub_text(Edition.objects.get(page=issue, format="epub").path)

    article.unpublish()

    edition = Edition.objects.get(page=issue, format="epub")
    assert edition.stale_at is not None and article.title in edition.stale_reason
    assert not services.is_fresh(edition, issue)
    assert client.get(url).status_code == 404  # readers
    client.force_login(editor)
    assert client.get(url).status_code == 404  # editors too: rebuild first
    client.logout()

    services.build_issue_editions(issue, ["epub"])
    edition.refresh_from_db()
    assert edition.stale_at is None
    response = client.get(url)
    assert response.status_code == 200
    assert article.title not in _epub_text(edition.path)


def test_a_build_that_started_before_the_unpublish_does_not_clear_it(mag):
    from django.utils import timezone

    from communique.editions import services
    from communique.editions.models import Edition

    issue = mag["issue"]
    services.build_issue_editions(issue, ["epub"])
    future = timezone.now() + timezone.timedelta(minutes=5)
    Edition.objects.filter(page=issue).update(stale_at=future, stale_reason="withdrawn")
    services.build_issue_editions(issue, ["epub"])  # began before `future`
    assert Edition.objects.get(page=issue, format="epub").stale_at == future
