"""Page-cached responses served before Django does any work.

Django's cache middleware sits inside the WSGI handler: a hit still builds a request object, sends
the request signals, runs the middleware in front of the cache and parses cookies, which costs more
than looking the page up. This WSGI wrapper looks up the finished response — status, the final
headers (CSP, nosniff, Referrer-Policy, X-Frame-Options, Cache-Control, ETag: everything the
middleware stack added) and the bytes — before Django is called, and answers If-None-Match with a
304 itself.

Never stale: the key carries the publish generation (page_cache.generation), so a publish,
unpublish, move or delete in any worker misses every stored page at once. Never personal: only GETs
and HEADs (answered from a stored GET) without a session or CSRF cookie or an Authorization header
are looked up, and only 200s that the stack marked `public` (CacheHeadersMiddleware makes a
signed-in user's pages private), that set no cookie and whose policy names no CSP nonce are
stored. The key holds every request header the response varies on (language, cookie, encoding)
and the scheme and host, so a plain-HTTP request still gets its HTTPS redirect and an unknown host
still gets its 400 from Django. Admin and preview URLs are never looked up or stored.

Cached hits still count as views: the article's id, which the view counter reads from the response
and strips, is copied into the WSGI environ by PageIdMiddleware on the way out and stored with the
response, and a hit is counted with the same rules (bots, prefetches, one count per reader)."""
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.http import parse_etags

from . import page_cache

log = logging.getLogger(__name__)

ENVIRON_PAGE_ID = "communique.page_id"
KEY_PREFIX = "communique:served"
# Request headers a stored response may vary on; a response varying on anything else is not stored.
VARY_HEADERS = {"accept-language": "HTTP_ACCEPT_LANGUAGE", "cookie": "HTTP_COOKIE",
                "accept-encoding": "HTTP_ACCEPT_ENCODING"}
MAX_BODY_BYTES = 2 * 1024 * 1024
# What a 304 keeps from the stored response (RFC 9110 §15.4.5), plus the security headers.
NOT_MODIFIED_DROPS = {"content-length", "content-type", "content-language", "content-encoding"}


class _StoredOK:
    """What the view counter asks of a response: only 200s are stored."""

    status_code = 200


class _EnvironRequest:
    """What the view counter's rules read of a request (its method and headers), straight from the
    WSGI environ: building a WSGIRequest on every hit cost a third of answering it."""

    is_preview = False

    def __init__(self, environ):
        self.META = environ
        self.method = environ.get("REQUEST_METHOD", "").upper()


class PageIdMiddleware:
    """Just inside the view counter: leaves the served article's id in the WSGI environ
    (request.META is the environ) before the counter removes the header."""

    def __init__(self, get_response):
        from .popularity.middleware import PAGE_HEADER

        self.get_response = get_response
        self.header = PAGE_HEADER

    def __call__(self, request):
        response = self.get_response(request)
        page_id = response.get(self.header)
        if page_id is not None:
            request.META[ENVIRON_PAGE_ID] = page_id
        return response


class PageCacheApplication:
    def __init__(self, application, seconds):
        self.application = application
        self.seconds = seconds
        self.admin_prefix = getattr(settings, "COMMUNIQUE_ADMIN_PREFIX", "/admin/")
        self.private_cookies = tuple(
            f"{name}=" for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        )
        self.proxy_ssl = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        self._counter = None

    # What may be looked up -------------------------------------------------------------------

    def _eligible(self, environ):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
            return False
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.admin_prefix):
            return False
        cookie = environ.get("HTTP_COOKIE", "")
        if cookie:
            names = [c.strip() for c in cookie.split(";")]
            if any(c.startswith(self.private_cookies) for c in names):
                return False
        return True

    def _scheme(self, environ):
        if self.proxy_ssl:
            header, value = self.proxy_ssl
            return "https" if environ.get(header, "").split(",")[0].strip() == value else "http"
        return environ.get("wsgi.url_scheme", "http")

    def _key(self, environ):
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
        parts = (self._scheme(environ), host, environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""),
                 environ.get("QUERY_STRING", ""), *(environ.get(h, "") for h in VARY_HEADERS.values()))
        digest = hashlib.blake2s("\x00".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
        return f"{KEY_PREFIX}:g{page_cache.generation()}:{digest}"

    # The WSGI application ----------------------------------------------------------------------

    def __call__(self, environ, start_response):
        if not self._eligible(environ):
            return self.application(environ, start_response)
        key = self._key(environ)
        stored = cache.get(key)
        if stored is not None:
            return self._replay(stored, environ, start_response)
        if environ["REQUEST_METHOD"] == "HEAD":  # answered from a stored GET only, never stored
            return self.application(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.application(environ, capture)
        try:
            self._store(key, captured, result, environ)
        except Exception:  # a full or unreachable cache must never fail the page
            log.exception("Could not store a page in the page cache")
        return result

    def _store(self, key, captured, result, environ):
        if not captured.get("status", "").startswith("200") or getattr(result, "streaming", True):
            return
        headers = captured["headers"]
        names = {name.lower(): value for name, value in headers}
        if "set-cookie" in names:
            return
        cache_control = {d.strip().split("=")[0] for d in names.get("cache-control", "").lower().split(",")}
        if "public" not in cache_control or cache_control & {"private", "no-store", "no-cache"}:
            return
        if "'nonce-" in names.get("content-security-policy", ""):
            # A nonce is good for one response only: replaying it would let any script that
            # learnt it from one copy of the page run in every later copy.
            return
        vary = {v.strip().lower() for v in names.get("vary", "").split(",") if v.strip()}
        if not vary <= VARY_HEADERS.keys():
            return
        body = result.content
        if len(body) > MAX_BODY_BYTES:
            return
        page_id = environ.get(ENVIRON_PAGE_ID)
        cache.set(key, (captured["status"], list(headers), body, names.get("etag"), page_id), self.seconds)

    def _replay(self, stored, environ, start_response):
        status, headers, body, etag, page_id = stored
        if etag and self._not_modified(environ.get("HTTP_IF_NONE_MATCH"), etag):
            start_response("304 Not Modified", [(n, v) for n, v in headers if n.lower() not in NOT_MODIFIED_DROPS])
            return [b""]
        head = environ["REQUEST_METHOD"] == "HEAD"  # a link checker or monitor: the headers, no view
        if page_id is not None and not head:
            self._count(environ, page_id)
        start_response(status, headers)
        return [b"" if head else body]

    @staticmethod
    def _not_modified(if_none_match, etag):
        # Weak comparison, as Django's ConditionalGetMiddleware does for GET.
        if not if_none_match:
            return False
        wanted = parse_etags(if_none_match)
        return "*" in wanted or etag.removeprefix("W/") in {e.removeprefix("W/") for e in wanted}

    def _count(self, environ, page_id):
        """The view counter's rules, for a response Django never saw."""
        from .popularity.api import record_hit
        from .popularity.middleware import ViewCountingMiddleware, client_ip

        if not page_id.isdigit():
            return
        try:
            if self._counter is None:
                self._counter = self._django_counter() or ViewCountingMiddleware(lambda request: None)
            request = _EnvironRequest(environ)
            if self._counter.should_count(request, _StoredOK) and self._counter.first_visit(client_ip(request), page_id):
                record_hit(int(page_id))
        except Exception:
            log.exception("Could not count a view of page %s", page_id)


    def _django_counter(self):
        """The view counter in Django's own middleware stack (outermost, so the chain wraps it),
        so a reader is remembered once per process whether Django or the cache served them."""
        from .popularity.middleware import ViewCountingMiddleware

        chain = getattr(self.application, "_middleware_chain", None)
        if chain is None:
            chain = getattr(getattr(self.application, "handler", None), "_middleware_chain", None)
        counter = getattr(chain, "__wrapped__", None)
        return counter if isinstance(counter, ViewCountingMiddleware) else None


def wrap(application):
    """The site's WSGI application with the page cache in front, when the settings turn it on
    (PAGE_CACHE_SECONDS > 0, from COMMUNIQUE_PAGE_CACHE_SECONDS in production)."""
    seconds = int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)
    if seconds <= 0:
        return application
    return PageCacheApplication(application, seconds)
