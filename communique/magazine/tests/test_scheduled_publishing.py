"""Scheduled publishing (issue 12, defect 5): an article scheduled two seconds ahead appears on
the site by itself: the web process's scheduler thread, started by the first request, runs
Wagtail's publish_scheduled. Nobody runs a command."""
import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from communique.magazine import scheduling
from communique.magazine.models import ArticleAuthor, ArticlePage

from .test_feeds import build_outreach_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scheduler_on(settings):
    settings.COMMUNIQUE_SCHEDULER_SECONDS = 1
    scheduling.stop()
    scheduling.connect()
    yield
    scheduling.stop()
    from django.core.signals import request_started

    request_started.disconnect(dispatch_uid="communique.scheduler.start")


def _schedule(section, author, title, seconds):
    article = ArticlePage(title=title, standfirst="Scheduled.", date=timezone.now(), live=False,
                          go_live_at=timezone.now() + timedelta(seconds=seconds))
    article.article_authors = [ArticleAuthor(author=author, sort_order=0)]
    section.add_child(instance=article)
    # What "Schedule to publish" in the editor does: the revision is approved to go live later.
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def test_article_scheduled_two_seconds_ahead_appears_without_a_command(client, scheduler_on):
    mag = build_outreach_site()
    article = _schedule(mag.news, mag.amina, "Published by the clock", 2)
    assert not article.live
    first = client.get(mag.news.url)  # the first request starts the web process's scheduler
    assert "Published by the clock" not in first.content.decode()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if "Published by the clock" in client.get(mag.news.url).content.decode():
            break
        time.sleep(0.5)
    else:
        pytest.fail("the scheduled article never appeared")
    article.refresh_from_db()
    assert article.live and article.first_published_at is not None
    assert client.get(article.url).status_code == 200


def test_scheduler_is_off_when_the_interval_is_zero(settings):
    settings.COMMUNIQUE_SCHEDULER_SECONDS = 0
    scheduling.stop()
    assert scheduling.start_in_background() is None


def test_one_process_at_a_time_holds_the_round():
    first, second = scheduling._FileLock(), scheduling._FileLock()
    assert first.acquire()
    try:
        assert not second.acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()
