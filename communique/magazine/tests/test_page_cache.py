"""The page cache is never stale: publishing, unpublishing, moving and deleting purge it in every
worker at once; browsers revalidate with ETags and get 304s."""
import os
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from communique.core.tests.redis_db import redis_test_url
from communique.magazine import page_cache

from .factories import build_magazine


def _production_middleware():
    middleware = list(settings.MIDDLEWARE)
    at = middleware.index("communique.magazine.page_cache.CacheHeadersMiddleware") + 1
    return [*middleware[:at], "communique.magazine.page_cache.UpdatePageCacheMiddleware", *middleware[at:],
            "communique.magazine.page_cache.FetchFromPageCacheMiddleware"]


PAGE_CACHE = dict(CACHE_MIDDLEWARE_SECONDS=300, CACHE_MIDDLEWARE_KEY_PREFIX="page-test")


@pytest.fixture
def magazine(db):
    from django.core.cache import cache

    cache.clear()
    return build_magazine(n_articles=3, with_images=False)


def _served_from_cache(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries) == 0


def test_publishing_a_change_purges_the_page_and_the_pages_that_list_it(client, magazine):
    article = magazine["articles"][0]
    home_url = magazine["home"].url
    with override_settings(MIDDLEWARE=_production_middleware(), **PAGE_CACHE):
        assert client.get(article.url).status_code == 200
        client.get(home_url)
        response, cached = _served_from_cache(client, article.url)
        assert cached, "the second request was rendered again"
        article.title = "A headline changed after publication"
        article.save_revision().publish()
        response, cached = _served_from_cache(client, article.url)
        assert not cached and "A headline changed after publication" in response.content.decode()
        assert "A headline changed after publication" in client.get(home_url).content.decode()


def test_unpublishing_removes_the_page_at_once(client, magazine):
    article = magazine["articles"][1]
    with override_settings(MIDDLEWARE=_production_middleware(), **PAGE_CACHE):
        assert client.get(article.url).status_code == 200
        assert _served_from_cache(client, article.url)[1]
        url = article.url
        article.unpublish()
        assert client.get(url).status_code == 404


def test_moving_and_deleting_purge(client, magazine):
    article = magazine["articles"][2]
    other_section = magazine["sections"][-1]
    with override_settings(MIDDLEWARE=_production_middleware(), **PAGE_CACHE):
        old_url = article.url
        client.get(old_url)
        before = page_cache.generation()
        article.move(other_section, pos="last-child")
        assert page_cache.generation() > before
        moved = client.get(old_url)  # not the cached copy: Wagtail's redirect to the new place
        article.refresh_from_db()
        assert moved.status_code == 301 and moved["Location"].endswith(article.url)
        before = page_cache.generation()
        article.refresh_from_db()
        article.delete()
        assert page_cache.generation() > before


def test_reader_pages_carry_an_etag_and_answer_304_when_unchanged(client, magazine):
    article = magazine["articles"][0]
    response = client.get(article.url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert "public" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    again = client.get(article.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""


def test_signed_in_pages_are_private(client, magazine, django_user_model):
    user = django_user_model.objects.create_user("reader-with-account", password="x")
    client.force_login(user)
    response = client.get(magazine["articles"][0].url)
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_the_generation_lives_in_the_shared_cache(magazine):
    """Two workers = two processes with their own connection to Redis: a purge in one is seen by
    the other because the counter is in Redis, not in a process."""
    redis = pytest.importorskip("redis")
    url = redis_test_url(11)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    from django.core.cache.backends.redis import RedisCache

    shared = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=shared):
        from django.core.cache import cache

        cache.clear()
        seen_by_this_worker = page_cache.generation()
        other_worker = RedisCache(url, {})
        other_worker.incr(page_cache.GENERATION_KEY)
        assert page_cache.generation() == seen_by_this_worker + 1
        cache.clear()


def test_a_purge_in_another_process_is_seen_here_without_a_shared_cache(settings, tmp_path):
    """The demo's job worker publishes scheduled articles in its own process, with its own
    LocMemCache: the web server must still stop serving the old fragments at once."""
    import subprocess
    import sys

    from communique.magazine import page_cache

    settings.COMMUNIQUE_GENERATION_FILE = str(tmp_path / "publish-generation")
    before = page_cache.generation()
    code = ("import django, os; django.setup(); from django.conf import settings; "
            f"settings.COMMUNIQUE_GENERATION_FILE = {str(tmp_path / 'publish-generation')!r}; "
            "from communique.magazine import page_cache; page_cache.purge('other process')")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="communique.settings.dev")
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)
    assert page_cache.generation() == before + 1


def test_every_purge_is_seen_though_the_file_is_read_only_when_stat_says_it_changed(settings, tmp_path):
    """The generation file is re-read only when its stat changes: purges in quick succession, each
    writing a number of the same length within one timestamp tick, are each seen, and a file
    written in place (as an administrator might) is seen too."""
    from communique.magazine import page_cache

    path = tmp_path / "publish-generation"
    settings.COMMUNIQUE_GENERATION_FILE = str(path)
    seen = [page_cache.generation()]
    for _ in range(8):
        page_cache._bump_file(path)  # what a purge in another process does to the file
        seen.append(page_cache.generation())
    assert seen == list(range(seen[0], seen[0] + 9))
    path.write_text("42")
    assert page_cache.generation() == 42
    path.unlink()
    assert page_cache.generation() == 1
