"""The page cache in front of Django (magazine/served_from_cache.py): a hit never reaches Django,
yet a publish is seen at once, signed-in readers never get a stored page, the stored response
carries every security header, and If-None-Match gets a 304."""
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communique.magazine.popularity.buffer import MemoryBuffer, hour_of, set_buffer
from communique.magazine.served_from_cache import PageCacheApplication

from .factories import build_magazine

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def _production_middleware():
    middleware = list(settings.MIDDLEWARE)
    at = middleware.index("communique.magazine.popularity.middleware.ViewCountingMiddleware") + 1
    return [*middleware[:at], "communique.magazine.served_from_cache.PageIdMiddleware", *middleware[at:]]


class Counting:
    """The Django application, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


class Served:
    def __init__(self, status, headers, body):
        self.status, self.status_code = status, int(status.split()[0])
        self.headers = {}
        for name, value in headers:
            self.headers.setdefault(name.lower(), value)
        self.body = body

    def __getitem__(self, name):
        return self.headers[name.lower()]


@pytest.fixture
def site(db):
    # Django's test client does the same: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()
    magazine = build_magazine(n_articles=3, with_images=False)
    with override_settings(MIDDLEWARE=_production_middleware(), ALLOWED_HOSTS=["testserver"]):
        django_app = Counting()
        app = PageCacheApplication(django_app, 300)
        for page in (magazine["home"], magazine["articles"][0]):
            get(app, page.url)  # the first render creates the site's settings rows (a purge)
        cache.clear()
        django_app.calls = 0
        yield magazine, django_app, app
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def get(app, url, method="GET", **headers):
    headers = {"REMOTE_ADDR": "198.51.100.4", "HTTP_USER_AGENT": BROWSER, **headers}
    environ = RequestFactory().generic(method, url, **headers).environ
    out = {}

    def start_response(status, response_headers, exc_info=None):
        out["status"], out["headers"] = status, response_headers

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Served(out["status"], out["headers"], body)


def test_a_second_request_is_answered_before_django_with_the_same_page(site):
    magazine, django_app, app = site
    url = magazine["articles"][0].url
    first = get(app, url)
    assert first.status_code == 200 and django_app.calls == 1
    with CaptureQueriesContext(connection) as ctx:
        second = get(app, url)
    assert django_app.calls == 1, "the stored page was not used"
    assert not ctx.captured_queries
    assert second.body == first.body and second.headers == first.headers


def test_publishing_is_seen_at_once(site):
    magazine, django_app, app = site
    article = magazine["articles"][0]
    url, home = article.url, magazine["home"].url
    get(app, url), get(app, home), get(app, url)
    assert django_app.calls == 2
    article.title = "A headline changed after it was cached"
    article.save_revision().publish()
    assert b"A headline changed after it was cached" in get(app, url).body
    assert b"A headline changed after it was cached" in get(app, home).body
    assert django_app.calls == 4
    article.unpublish()
    assert get(app, url).status_code == 404


def test_signed_in_readers_never_get_a_stored_page_and_never_fill_one(site, django_user_model):
    magazine, django_app, app = site
    url = magazine["articles"][0].url
    client = Client()
    client.force_login(django_user_model.objects.create_user("signed-in-reader", password="x"))
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    signed_in = get(app, url, HTTP_COOKIE=session)
    assert "private" in signed_in["Cache-Control"]
    anonymous = get(app, url)  # the signed-in render was not stored
    assert django_app.calls == 2 and "public" in anonymous["Cache-Control"]
    get(app, url, HTTP_COOKIE=session)  # a stored anonymous page exists now; still rendered
    assert django_app.calls == 3
    get(app, url, HTTP_COOKIE=f"{settings.CSRF_COOKIE_NAME}=abc")
    get(app, url, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert django_app.calls == 5


def test_the_stored_response_carries_the_security_and_cache_headers(site):
    magazine, django_app, app = site
    url = magazine["articles"][0].url
    get(app, url)
    cached = get(app, url)
    assert django_app.calls == 1
    assert "script-src" in cached["Content-Security-Policy"]
    assert cached["X-Content-Type-Options"] == "nosniff"
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["Referrer-Policy"] == "same-origin"
    assert cached["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "public" in cached["Cache-Control"] and "must-revalidate" in cached["Cache-Control"]
    assert cached["ETag"]
    # Any nonce the stored page's inline code carries is one its stored policy allows.
    allowed = set(re.findall(r"'nonce-([^']+)'", cached["Content-Security-Policy"]))
    assert set(re.findall(rb'nonce="([^"]+)"', cached.body)) <= {n.encode() for n in allowed}
    assert "X-Communique-Page" not in cached.headers and "x-communique-page" not in cached.headers


def test_if_none_match_gets_a_304_from_the_stored_page(site):
    magazine, django_app, app = site
    url = magazine["articles"][0].url
    etag = get(app, url)["ETag"]
    not_modified = get(app, url, HTTP_IF_NONE_MATCH=etag)
    assert django_app.calls == 1
    assert not_modified.status_code == 304 and not_modified.body == b""
    assert not_modified["ETag"] == etag and "content-length" not in not_modified.headers
    assert get(app, url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_head_is_answered_from_the_stored_get_without_a_body_or_a_view(site):
    magazine, django_app, app = site
    article = magazine["articles"][0]
    head = get(app, article.url, method="HEAD")  # nothing stored yet: Django answers, nothing is kept
    assert head.status_code == 200 and django_app.calls == 1
    full = get(app, article.url)
    assert django_app.calls == 2
    old = set_buffer(buffer := MemoryBuffer())
    try:
        head = get(app, article.url, method="HEAD", REMOTE_ADDR="198.51.100.77")
        assert django_app.calls == 2 and head.status_code == 200 and head.body == b""
        assert head["Content-Length"] == full["Content-Length"] == str(len(full.body))
        assert head["ETag"] == full["ETag"]
        assert buffer.drain()[0] == {}
    finally:
        set_buffer(old)


def test_a_response_whose_policy_carries_a_nonce_is_not_stored(db):
    from django.http import HttpResponse

    cache.clear()
    calls = []

    def nonce_page(environ, start_response):
        calls.append(1)
        response = HttpResponse(f'<script nonce="n{len(calls)}">go()</script>')
        headers = [("Content-Type", "text/html"), ("Cache-Control", "public, max-age=60"),
                   ("Content-Security-Policy", f"script-src 'self' 'nonce-n{len(calls)}'")]
        start_response("200 OK", headers)
        return response

    app = PageCacheApplication(nonce_page, 300)
    first, second = get(app, "/with-inline-script/"), get(app, "/with-inline-script/")
    assert len(calls) == 2
    assert first.body != second.body and "'nonce-n2'" in second["Content-Security-Policy"]


def test_admin_post_and_other_hosts_and_schemes_go_to_django(site):
    magazine, django_app, app = site
    url = magazine["articles"][0].url
    get(app, url)
    get(app, url, method="POST")
    get(app, "/admin/login/"), get(app, "/admin/login/")
    assert django_app.calls == 4
    # The same path on an HTTPS request is another entry (HSTS, redirects differ by scheme).
    get(app, url, **{"wsgi.url_scheme": "https"})
    assert django_app.calls == 5


def test_cached_hits_still_count_as_views(site):
    magazine, django_app, app = site
    article = magazine["articles"][0]
    buffer = MemoryBuffer()
    old = set_buffer(buffer)
    try:
        get(app, article.url, REMOTE_ADDR="192.0.2.76")  # a reader Django serves
        get(app, article.url, REMOTE_ADDR="192.0.2.76")  # the same reader again: not counted
        get(app, article.url, REMOTE_ADDR="192.0.2.77")  # another reader, served from the cache
        get(app, article.url, HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
        assert django_app.calls == 1
        assert buffer.drain()[0] == {(article.pk, hour_of(timezone.now())): 2}
    finally:
        set_buffer(old)


def test_the_cache_is_in_front_only_when_the_settings_turn_it_on(settings):
    from communique.magazine.served_from_cache import wrap

    def django_app(environ, start_response):
        raise AssertionError("not called")

    settings.PAGE_CACHE_SECONDS = 0
    assert wrap(django_app) is django_app
    settings.PAGE_CACHE_SECONDS = 120
    wrapped = wrap(django_app)
    assert isinstance(wrapped, PageCacheApplication) and wrapped.seconds == 120
