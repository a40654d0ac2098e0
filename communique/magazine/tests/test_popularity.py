"""Most Popular: what counts as a view, that counting stays off the database on the request path,
batched flushing (memory and Redis buffers), the ranking windows, and cached pages."""
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from communique.magazine import popularity
from communique.magazine.models import ArticlePage, HomePage, PageViewBucket, PageViewTotal, SectionPage
from communique.magazine.popularity import api as popularity_api
from communique.magazine.popularity.buffer import MemoryBuffer, RedisBuffer, hour_of, set_buffer
from communique.magazine.popularity.dedup import RecentReaders
from communique.magazine.popularity.flush import Flusher, flush_now

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
COUNTER = "communique.magazine.popularity.middleware.ViewCountingMiddleware"

VIEW_CALLS = {"n": 0}


def marked_view(request, pk, status=200):
    """Stands in for ArticlePage.serve(): a response carrying the page mark."""
    VIEW_CALLS["n"] += 1
    response = HttpResponse(f"page {pk}", status=status)
    response["X-Communique-Page"] = str(pk)
    return response


urlpatterns = [
    path("p/<int:pk>/", marked_view),
    path("gone/<int:pk>/", lambda request, pk: marked_view(request, pk, status=404)),
    path("plain/", lambda request: HttpResponse("no mark")),
]
with_test_urls = override_settings(ROOT_URLCONF=__name__)


@pytest.fixture
def buffer():
    fresh = MemoryBuffer()
    old = set_buffer(fresh)
    yield fresh
    set_buffer(old)


@pytest.fixture
def site_pages(db):
    root = Page.get_first_root_node()
    home = HomePage(title="Home", slug="pop-home")
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    site.root_page, site.hostname, site.port = home, "testserver", 80
    site.save()
    section = SectionPage(title="News", slug="news")
    home.add_child(instance=section)
    now = timezone.now()
    pages = []
    for i, title in enumerate(["Alpha", "Bravo", "Charlie", "Delta"]):
        article = ArticlePage(title=title, date=now - timedelta(days=i))
        section.add_child(instance=article)
        pages.append(article)
    return pages


def reader(ip="203.0.113.7", ua=BROWSER, **extra):
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=ua, **extra)


# What counts -------------------------------------------------------------------------------


@with_test_urls
def test_a_reader_counts_and_the_mark_is_removed(db, buffer):
    response = reader().get("/p/41/")
    assert response.status_code == 200
    assert "X-Communique-Page" not in response
    assert buffer.pending() == 1
    [(key, count)] = buffer.drain()[0].items()
    assert key == (41, hour_of(timezone.now())) and count == 1
    # Responses without the mark are not pages to count.
    reader().get("/plain/")
    assert buffer.pending() == 0


@with_test_urls
@pytest.mark.parametrize(
    "ua",
    ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "Mozilla/5.0 (compatible; bingbot/2.0)", "facebookexternalhit/1.1", "curl/8.5.0",
     "python-requests/2.32", "Mozilla/5.0 HeadlessChrome/126.0", "Slackbot-LinkExpanding 1.0", ""],
)
def test_bots_do_not_count(db, buffer, ua):
    reader(ua=ua).get("/p/1/")
    assert buffer.pending() == 0


@with_test_urls
def test_head_non_200_and_prefetch_do_not_count(db, buffer):
    assert reader().head("/p/1/").status_code == 200
    assert reader().get("/gone/1/").status_code == 404
    reader(HTTP_SEC_PURPOSE="prefetch").get("/p/1/")
    reader(HTTP_SEC_PURPOSE="prefetch;prerender").get("/p/1/")
    reader(HTTP_PURPOSE="prefetch").get("/p/1/")
    reader(HTTP_X_MOZ="prefetch").get("/p/1/")
    assert buffer.pending() == 0
    reader().get("/p/1/")
    assert buffer.pending() == 1


@with_test_urls
def test_repeats_within_the_window_do_not_count_but_other_readers_do(db, buffer):
    client = reader()
    for _ in range(5):
        client.get("/p/1/")
    assert buffer.pending() == 1
    client.get("/p/2/")  # the same reader on another article
    reader(ip="198.51.100.9").get("/p/1/")  # another address
    # Same address, another browser: not a new reader (rotating the User-Agent must not inflate
    # counts; readers behind one office address count once per window, the price of that).
    reader(ua=FIREFOX).get("/p/1/")
    assert buffer.drain()[0] == {(1, hour_of(timezone.now())): 2, (2, hour_of(timezone.now())): 1}


@with_test_urls
def test_forged_forwarded_for_does_not_make_new_readers(db, buffer):
    client = reader()
    for i in range(4):
        client.get("/p/1/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert buffer.pending() == 1


def test_wagtail_previews_do_not_count(buffer):
    from communique.magazine.popularity.middleware import ViewCountingMiddleware

    request = RequestFactory().get("/admin/pages/1/edit/preview/", HTTP_USER_AGENT=BROWSER)
    request.is_preview = True
    response = ViewCountingMiddleware(lambda r: marked_view(r, 1))(request)
    assert "X-Communique-Page" not in response
    assert buffer.pending() == 0


def test_window_expires_and_salt_rotates_without_keeping_addresses():
    clock = [1000.0]
    day = ["2026-11-29"]
    readers = RecentReaders(60, clock=lambda: clock[0], today=lambda: day[0])
    assert readers.first_visit("203.0.113.7", BROWSER, 5)
    assert not readers.first_visit("203.0.113.7", BROWSER, 5)
    clock[0] += 59
    assert not readers.first_visit("203.0.113.7", BROWSER, 5)
    clock[0] += 2
    assert readers.first_visit("203.0.113.7", BROWSER, 5)
    first_salt_keys = readers.keys_snapshot()
    assert all(b"203.0.113.7" not in key and len(key) == 32 for key in first_salt_keys)
    day[0] = "2026-11-30"
    assert readers.first_visit("203.0.113.7", BROWSER, 5)
    # A new day's salt gives a different, unlinkable key for the same reader.
    assert readers.keys_snapshot() != first_salt_keys
    assert len(readers) == 1


def test_memory_of_readers_is_bounded():
    readers = RecentReaders(3600, max_entries=100)
    for i in range(1000):
        readers.first_visit(f"10.0.{i // 256}.{i % 256}", BROWSER, 1)
    assert len(readers) == 100


def test_no_cookie_is_set(site_pages, buffer):
    response = reader().get(site_pages[0].url)
    assert response.status_code == 200
    assert not response.cookies
    assert buffer.pending() == 1


# Off the request path ----------------------------------------------------------------------


VIEW_TABLES = (PageViewBucket._meta.db_table, PageViewTotal._meta.db_table)


def _writes_to_view_tables(queries):
    """Statements that write the view tables (reads, e.g. for the Most Popular box, are fine)."""
    return [
        q["sql"] for q in queries
        if any(t in q["sql"] for t in VIEW_TABLES)
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]


def test_a_counted_article_view_does_not_touch_the_view_tables(site_pages, buffer):
    client = reader()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(site_pages[0].url)
    assert response.status_code == 200
    assert buffer.pending() == 1, "the view was not counted, so the test proves nothing"
    assert _writes_to_view_tables(ctx.captured_queries) == []
    assert PageViewBucket.objects.count() == 0 and PageViewTotal.objects.count() == 0


@with_test_urls
@override_settings(COMMUNIQUE_POPULARITY={"FLUSH_AT": 1, "DEDUP_WINDOW_SECONDS": 1800, "BACKGROUND_FLUSH": False})
def test_even_reaching_flush_at_does_not_write_during_the_request(db, buffer, monkeypatch):
    nudges = []
    monkeypatch.setattr(popularity_api.flusher, "nudge", lambda: nudges.append(1))
    with CaptureQueriesContext(connection) as ctx:
        reader().get("/p/1/")
    assert buffer.pending() == 1 and nudges == [1]
    assert _writes_to_view_tables(ctx.captured_queries) == []
    assert [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in VIEW_TABLES)] == []


# Flushing ----------------------------------------------------------------------------------


def test_flush_writes_batches_and_totals(site_pages, buffer):
    a, b = site_pages[0], site_pages[1]
    now = timezone.now()
    this_hour, last_hour = hour_of(now), hour_of(now - timedelta(hours=1))
    for _ in range(3):
        buffer.add(a.pk, this_hour)
    buffer.add(a.pk, last_hour, 2)
    buffer.add(b.pk, this_hour)
    buffer.add(987654321, this_hour)  # a page deleted since it was viewed
    assert flush_now(buffer) == 6
    assert buffer.pending() == 0
    assert dict(PageViewBucket.objects.filter(page=a).values_list("hour", "count")) == {this_hour: 3, last_hour: 2}
    assert PageViewTotal.objects.get(page=a).count == 5
    assert PageViewTotal.objects.get(page=b).count == 1
    # A second batch adds to the same rows rather than replacing them.
    buffer.add(a.pk, this_hour, 4)
    flush_now(buffer)
    assert PageViewBucket.objects.get(page=a, hour=this_hour).count == 7
    assert PageViewTotal.objects.get(page=a).count == 9
    assert flush_now(buffer) == 0


def test_failed_flush_keeps_the_hits(site_pages, buffer, monkeypatch):
    from communique.magazine.popularity import flush as flush_module

    buffer.add(site_pages[0].pk, hour_of(timezone.now()), 3)

    def broken(counts):
        raise RuntimeError("database is down")

    monkeypatch.setattr(flush_module, "write_batch", broken)
    with pytest.raises(RuntimeError):
        flush_now(buffer)
    assert buffer.pending() == 3
    monkeypatch.undo()
    assert flush_now(buffer) == 3
    assert PageViewTotal.objects.get(page=site_pages[0]).count == 3


def test_memory_buffer_is_thread_safe():
    buf = MemoryBuffer()
    hour = hour_of(timezone.now())

    def hit():
        for i in range(2000):
            buf.add(i % 3, hour)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts, _ = buf.drain()
    assert sum(counts.values()) == 16000
    assert buf.pending() == 0


@pytest.mark.django_db(transaction=True)
def test_background_thread_flushes_on_its_own(site_pages, buffer):
    flusher = Flusher()
    with override_settings(COMMUNIQUE_POPULARITY={"FLUSH_SECONDS": 0.2, "BACKGROUND_FLUSH": True}):
        buffer.add(site_pages[0].pk, hour_of(timezone.now()), 2)
        flusher.ensure_started()
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not PageViewTotal.objects.filter(page=site_pages[0]).exists():
                time.sleep(0.1)
        finally:
            flusher.stop(flush=False)
    assert PageViewTotal.objects.get(page=site_pages[0]).count == 2
    assert buffer.pending() == 0


def test_exit_flush_writes_what_is_left(site_pages, buffer):
    flusher = Flusher()
    flusher._pid = __import__("os").getpid()
    buffer.add(site_pages[1].pk, hour_of(timezone.now()), 4)
    flusher._flush_at_exit()
    assert PageViewTotal.objects.get(page=site_pages[1]).count == 4


def test_management_command_flushes(site_pages, buffer):
    from io import StringIO

    from django.core.management import call_command

    buffer.add(site_pages[2].pk, hour_of(timezone.now()), 5)
    out = StringIO()
    call_command("popularity_flush", stdout=out)
    assert "Wrote 5 page view(s)." in out.getvalue()
    assert PageViewTotal.objects.get(page=site_pages[2]).count == 5


# Ranking -----------------------------------------------------------------------------------


def test_windows_rank_differently(site_pages):
    alpha, bravo, charlie, delta = site_pages
    now = timezone.now()
    popularity.record_views(alpha.pk, 10, now - timedelta(hours=2))
    popularity.record_views(bravo.pk, 5, now)
    popularity.record_views(bravo.pk, 20, now - timedelta(days=3))
    popularity.record_views(charlie.pk, 100, now - timedelta(days=30))
    popularity.record_views(delta.pk, 50, now - timedelta(hours=25))  # just outside 24 hours

    def ranked(window, **kw):
        return [(p.title, p.view_count) for p in popularity.most_popular(window, now=now, **kw)]

    assert ranked("24h") == [("Alpha", 10), ("Bravo", 5)]
    assert ranked("7d") == [("Delta", 50), ("Bravo", 25), ("Alpha", 10)]
    assert ranked("all") == [("Charlie", 100), ("Delta", 50), ("Bravo", 25), ("Alpha", 10)]
    assert ranked("all", limit=2) == [("Charlie", 100), ("Delta", 50)]
    assert all(isinstance(p, ArticlePage) for p in popularity.most_popular("all"))

    # Unpublished articles drop out of every list.
    charlie.unpublish()
    assert ranked("all", limit=2) == [("Delta", 50), ("Bravo", 25)]


def test_ties_go_to_the_newer_article(site_pages):
    alpha, bravo = site_pages[0], site_pages[1]  # alpha is the newer
    popularity.record_views(bravo.pk, 3)
    popularity.record_views(alpha.pk, 3)
    assert [p.title for p in popularity.most_popular("24h")] == ["Alpha", "Bravo"]


def test_locale_filter(site_pages):
    french, _ = Locale.objects.get_or_create(language_code="fr")
    alpha_fr = site_pages[0].copy_for_translation(french, copy_parents=True)
    alpha_fr.save_revision().publish()
    popularity.record_views(alpha_fr.pk, 9)
    popularity.record_views(site_pages[1].pk, 2)
    assert [p.pk for p in popularity.most_popular("24h", locale="fr")] == [alpha_fr.pk]
    assert [p.pk for p in popularity.most_popular("24h", locale=Locale.get_default())] == [site_pages[1].pk]
    assert len(popularity.most_popular("24h")) == 2
    with pytest.raises(ValueError, match="no locale 'xx'"):
        popularity.most_popular("24h", locale="xx")


@pytest.mark.parametrize(
    "args, message",
    [((1, 0), "positive integer"), ((1, -3), "positive integer"), ((1, 2.5), "positive integer"),
     ((1, True), "positive integer"), ((999999, 1), "no page with id 999999")],
)
def test_record_views_rejects_bad_input(site_pages, args, message):
    with pytest.raises(ValueError, match=message):
        popularity.record_views(*args)


def test_record_views_rejects_naive_and_future_times(site_pages):
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        popularity.record_views(site_pages[0].pk, 1, datetime(2026, 1, 1, 12))
    with pytest.raises(ValueError, match="future"):
        popularity.record_views(site_pages[0].pk, 1, timezone.now() + timedelta(days=1))
    assert PageViewBucket.objects.count() == 0


def test_most_popular_rejects_bad_window(db):
    with pytest.raises(ValueError, match="window must be one of 24h, 7d, all"):
        popularity.most_popular("month")


def test_most_popular_include_renders_three_lists(site_pages):
    cache.clear()
    alpha, bravo = site_pages[0], site_pages[1]
    popularity.record_views(alpha.pk, 4)
    popularity.record_views(bravo.pk, 9, timezone.now() - timedelta(days=2))
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    # On a page that is not one of the articles (the home page); on an article's own page it is
    # left out of its lists (test_reader_magazine).
    out = render_to_string("magazine/includes/most_popular.html", {"page": site_pages[0].get_parent()}, request=request)
    from lxml import html as lxml_html

    doc = lxml_html.fromstring(out)
    [region] = doc.xpath('//section[@aria-labelledby="most-popular-title"]')
    lists = region.xpath('.//section[@class="most-popular-window"]')
    assert [s.xpath("string(h3)") for s in lists] == ["24 hours", "7 days", "All time"]
    for s in lists:
        assert s.xpath("h3/@id") == [s.get("aria-labelledby")]
    assert lists[0].xpath(".//ol/li/a/text()") == ["Alpha"]
    assert lists[1].xpath(".//ol/li/a/text()") == ["Bravo", "Alpha"]
    assert lists[1].xpath(".//ol/li/a/@href")[0] == bravo.url

    # The lists are cached, but newly written views replace them at once.
    popularity.record_views(bravo.pk, 20)
    out = render_to_string("magazine/includes/most_popular.html", {"page": site_pages[0].get_parent()}, request=request)
    first_list = lxml_html.fromstring(out).xpath('//section[@class="most-popular-window"]')[0]
    assert first_list.xpath(".//ol/li/a/text()") == ["Bravo", "Alpha"]


# Cached pages ------------------------------------------------------------------------------


@with_test_urls
@override_settings(
    MIDDLEWARE=[COUNTER, "django.middleware.cache.UpdateCacheMiddleware",
                "django.middleware.cache.FetchFromCacheMiddleware"],
    CACHE_MIDDLEWARE_SECONDS=300, CACHE_MIDDLEWARE_KEY_PREFIX="popularity-test",
)
def test_cached_responses_still_count(db, buffer):
    cache.clear()
    VIEW_CALLS["n"] = 0
    first = reader(ip="192.0.2.1").get("/p/7/")
    second = reader(ip="192.0.2.2").get("/p/7/")
    assert VIEW_CALLS["n"] == 1, "the second response did not come from the cache"
    assert "Expires" in second and second.content == first.content
    assert "X-Communique-Page" not in first and "X-Communique-Page" not in second
    assert buffer.drain()[0] == {(7, hour_of(timezone.now())): 2}


@override_settings(
    MIDDLEWARE=[COUNTER, "django.middleware.cache.UpdateCacheMiddleware",
                "django.middleware.common.CommonMiddleware",
                "django.middleware.cache.FetchFromCacheMiddleware"],
    CACHE_MIDDLEWARE_SECONDS=300, CACHE_MIDDLEWARE_KEY_PREFIX="popularity-test-page",
)
def test_cached_article_page_still_counts(site_pages, buffer):
    cache.clear()
    article = site_pages[0]
    first = reader(ip="192.0.2.1").get(article.url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        second = reader(ip="192.0.2.2").get(article.url)
    assert second.status_code == 200
    # The only statement is the new reader's sighting (shared across workers); nothing renders.
    rendering = [q["sql"] for q in ctx.captured_queries
                 if "core_readersighting" not in q["sql"] and "SAVEPOINT" not in q["sql"].upper()]
    assert rendering == [], "the article was rendered again, not served from the cache"
    assert "X-Communique-Page" not in second
    assert buffer.drain()[0] == {(article.pk, hour_of(timezone.now())): 2}


# Redis buffer ------------------------------------------------------------------------------


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379 ({exc})")
    key = f"communique-test:popularity:{uuid.uuid4().hex}"
    yield client, key
    leftovers = [key, key + ":pending", *client.keys(key + ":draining:*")]
    client.delete(*leftovers)


def test_redis_buffer_is_shared_between_workers(site_pages, redis_client):
    client, key = redis_client
    worker_a, worker_b = RedisBuffer(key=key, client=client), RedisBuffer(key=key, client=client)
    hour = hour_of(timezone.now())
    worker_a.add(site_pages[0].pk, hour)
    worker_b.add(site_pages[0].pk, hour)
    assert worker_b.add(site_pages[1].pk, hour, 3) == 5
    assert worker_a.pending() == 5
    assert flush_now(worker_a) == 5
    assert flush_now(worker_b) == 0  # nothing is flushed twice
    assert PageViewBucket.objects.get(page=site_pages[0], hour=hour).count == 2
    assert PageViewTotal.objects.get(page=site_pages[1]).count == 3
    assert worker_b.pending() == 0
    assert client.keys(key + ":draining:*") == []


def test_redis_buffer_keeps_hits_when_the_database_fails(site_pages, redis_client, monkeypatch):
    from communique.magazine.popularity import flush as flush_module

    client, key = redis_client
    buf = RedisBuffer(key=key, client=client)
    buf.add(site_pages[0].pk, hour_of(timezone.now()), 4)
    monkeypatch.setattr(flush_module, "write_batch", lambda counts: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        flush_now(buf)
    assert buf.pending() == 4
    assert client.keys(key + ":draining:*") == []
    monkeypatch.undo()
    assert flush_now(buf) == 4


@with_test_urls
def test_middleware_counts_into_redis(db, redis_client):
    client, key = redis_client
    buf = RedisBuffer(key=key, client=client)
    old = set_buffer(buf)
    try:
        reader(ip="192.0.2.50").get("/p/3/")
        second = reader(ip="192.0.2.51")
        second.get("/p/3/")
        second.get("/p/3/")
    finally:
        set_buffer(old)
    field = f"3:{int(hour_of(timezone.now()).timestamp())}".encode()
    assert client.hgetall(key) == {field: b"2"}
