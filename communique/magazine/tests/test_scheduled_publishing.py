"""Scheduled publishing (issue 12, defect 5): an article scheduled two seconds ahead appears on
the site by itself: the clock that every `communique worker` runs (communique/jobs/schedule.py;
the demo starts a worker) calls Wagtail's publish_scheduled. Nobody runs a command."""
import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from communique.jobs import schedule
from communique.magazine.models import ArticleAuthor, ArticlePage

from .test_feeds import build_outreach_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scheduler_on():
    """The worker's clock, as `communique worker` starts it beside its job loop."""
    from django.core.cache import cache

    cache.clear()
    clock = schedule.Scheduler(owner="test-worker:1", tick=0.5)
    clock.start()
    yield clock
    clock.stop()
    clock.join(timeout=10)


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
    first = client.get(mag.news.url)
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
