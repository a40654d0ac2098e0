"""The whole-page cache for anonymous readers that is never stale.

Every cached page's key carries the site's *publish generation*, a counter kept in the cache
itself. Publishing, unpublishing, moving or deleting a page, and saving an author, the site
settings or a menu, raise the generation: from that moment every worker sharing the cache (Redis in
production) misses the old copies of the page, its section, home, feeds, sitemap, author and tag
pages at once, and they expire on their own. Changes are rare next to reads, so purging all rather
than computing exactly which pages show a headline costs little and can't miss one.

Production answers page-cached requests in front of Django (served_from_cache.py, wrapped around
the WSGI application in communique/wsgi.py) under the same generation; the Django cache middleware
below stays for a deployment that serves through another entry point (ASGI) and for tests.

With a CDN in front, Wagtail's own front-end cache invalidation (WAGTAILFRONTENDCACHE) is switched
on by settings and purges the CDN's copies on the same events."""
import fcntl
import logging
import os
from pathlib import Path

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware

log = logging.getLogger(__name__)

GENERATION_KEY = "communique:pages:generation"


def _shared_counter():
    """Where the generation lives when the cache is not shared between processes.

    A process-local cache (LocMemCache: the demo, a single machine without Redis) is one per
    process, but the web server, its other workers and the job worker (scheduled publishing,
    research results) must all see a purge at once; so the counter is then kept in a small file
    beside the database, which every process on the machine reads. With a shared cache (Redis)
    the counter is kept in the cache itself."""
    from django.conf import settings

    if not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return None
    return Path(getattr(settings, "COMMUNIQUE_GENERATION_FILE", None) or Path(settings.VAR_DIR) / "publish-generation")


def _read(path: Path) -> int:
    try:
        return int(path.read_text() or 1)
    except (FileNotFoundError, ValueError):
        return 1


# The counter file as last read in this process: (path, what stat said of it, the number). Every
# request asks for the generation, and a stat costs a fraction of opening and reading the file.
_last_read = None


def _read_if_changed(path: Path) -> int:
    """The number in the file, read again only when stat says the file is another one. A purge
    replaces the file (os.replace), so the inode changes; the timestamps and size are compared too,
    so a freed inode that a later purge's file reuses within one clock tick is still told apart
    from the one read before, unless its size is the same as well."""
    global _last_read
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return 1
    seen = (st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
    last = _last_read
    if last is not None and last[0] == path and last[1] == seen:
        return last[2]
    value = _read(path)
    _last_read = (path, seen, value)
    return value


_UNSET = object()
_counter_path = _UNSET  # _shared_counter()'s answer, kept until a setting it reads changes


@receiver(setting_changed)
def _forget_counter_path(setting, **kwargs):
    global _counter_path
    if setting in ("CACHES", "COMMUNIQUE_GENERATION_FILE", "VAR_DIR"):
        _counter_path = _UNSET


def generation():
    global _counter_path
    if _counter_path is _UNSET:
        _counter_path = _shared_counter()
    path = _counter_path
    if path is not None:
        return _read_if_changed(path)
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def _bump_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two processes purging at once both count
        tmp = path.with_name(f"{path.name}.{os.getpid()}")
        tmp.write_text(str(_read(path) + 1))
        os.replace(tmp, path)  # readers see the old number or the new one, never an empty file


def purge(reason=""):
    """Make every cached page stale, in every worker that shares the cache."""
    path = _shared_counter()
    if path is not None:
        _bump_file(path)
    else:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no counter yet (or the cache was cleared): start one past any old one
            cache.add(GENERATION_KEY, 2, timeout=None)
    log.debug("Page cache purged: %s", reason)


class _GenerationPrefix:
    """Django's cache middleware reads self.key_prefix on every request: make it follow the
    generation. Assignments from Django's __init__ set the base prefix."""

    @property
    def key_prefix(self):
        return f"{self._base_prefix}:g{generation()}"

    @key_prefix.setter
    def key_prefix(self, value):
        self._base_prefix = value or "page"


class UpdatePageCacheMiddleware(_GenerationPrefix, UpdateCacheMiddleware):
    pass


class FetchFromPageCacheMiddleware(_GenerationPrefix, FetchFromCacheMiddleware):
    pass


def connect_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_on_page_event, dispatch_uid="communique.page_cache.published")
    page_unpublished.connect(_on_page_event, dispatch_uid="communique.page_cache.unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="communique.page_cache.moved")
    post_delete.connect(_on_delete, dispatch_uid="communique.page_cache.deleted")
    post_save.connect(_on_save, dispatch_uid="communique.page_cache.saved")
    del Page  # imported to fail early if Wagtail is missing


def _purge_now_and_on_commit(reason):
    """Purge at once, and again when the transaction commits: a reader's request between the two
    sees the old rows (the change is not committed yet) and may store them under the new
    generation; the second purge drops what it stored. Outside a transaction the second runs at
    once and costs only a counter increment."""
    from django.db import transaction

    purge(reason)
    try:
        transaction.on_commit(lambda: purge(f"{reason} (committed)"))
    except Exception:  # no usable connection (e.g. a signal sent from a management shell)
        pass


def _on_page_event(sender, instance=None, **kwargs):
    _purge_now_and_on_commit(f"{sender.__name__} {getattr(instance, 'pk', '')}")


# Models whose change shows on reader pages without a page being published.
_READER_MODELS = {("magazine", "author"), ("core", "publicationsettings"), ("core", "publicationtext"), ("core", "followlink"), ("core", "menu"), ("core", "menuitem"),
                  ("wagtailcore", "site"), ("wagtailredirects", "redirect"),
                  # who may read a page: lists, routes and fragments leave out restricted pages
                  ("wagtailcore", "pageviewrestriction"),
                  # an article's extracted facts, shown in its JSON-LD
                  ("research", "source"),
                  ("magazine", "navigation"), ("magazine", "menuitem"), ("taggit", "tag"),
                  ("wagtailcore", "locale")}


def _on_save(sender, instance=None, raw=False, **kwargs):
    if not raw and (sender._meta.app_label, sender._meta.model_name) in _READER_MODELS:
        _purge_now_and_on_commit(f"saved {sender._meta.label} {getattr(instance, 'pk', '')}")


def _on_delete(sender, instance=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page) or (sender._meta.app_label, sender._meta.model_name) in _READER_MODELS:
        _purge_now_and_on_commit(f"deleted {sender._meta.label} {getattr(instance, 'pk', '')}")


class CacheHeadersMiddleware:
    """Cache-Control for every GET: anonymous readers' pages may be kept by browsers and CDNs but
    revalidated (ETag from ConditionalGetMiddleware answers 304 when nothing changed), so a purge is
    never hidden by a browser's copy; anything for a signed-in user or setting a cookie is private.
    Sits outside Django's cache middleware, and the WSGI page cache stores the headers it set, so
    cached responses carry the same headers."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.browser_seconds = getattr(settings, "COMMUNIQUE_BROWSER_CACHE_SECONDS", 0)
        self.cdn_seconds = getattr(settings, "COMMUNIQUE_CDN_CACHE_SECONDS", 0)

    def __call__(self, request):
        from django.utils.cache import patch_cache_control

        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 301, 404):
            return response
        cache_control = response.get("Cache-Control", "")
        if "no-store" in cache_control or "private" in cache_control or "no-cache" in cache_control:
            return response  # the view said so (job status, downloads, admin)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.cookies:
            del response["Cache-Control"]
            patch_cache_control(response, private=True, no_cache=True)
            return response
        del response["Cache-Control"]
        if response.has_header("Expires"):
            del response["Expires"]
        directives = {"public": True, "max_age": self.browser_seconds}
        if self.browser_seconds == 0:
            directives["must_revalidate"] = True
        if self.cdn_seconds:
            directives["s_maxage"] = self.cdn_seconds
        patch_cache_control(response, **directives)
        return response
