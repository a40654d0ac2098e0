import os

from .base import *  # noqa: F401,F403
from .secret_key import require_strong_secret_key

DEBUG = False
SECRET_KEY = require_strong_secret_key(os.environ.get("DJANGO_SECRET_KEY"))
SESSION_COOKIE_SECURE = os.environ.get("COMMUNIQUE_HTTPS", "") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if os.environ.get("REDIS_CACHE") == "1":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}  # noqa: F405

# Whole-page cache for anonymous readers. The view counter stays outermost, so cached hits count.
PAGE_CACHE_SECONDS = int(os.environ.get("COMMUNIQUE_PAGE_CACHE_SECONDS", "0"))
if PAGE_CACHE_SECONDS > 0:
    CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
    CACHE_MIDDLEWARE_KEY_PREFIX = "page"
    # Outside everything but the view counter, ETags and Cache-Control (so cached hits count and get
    # 304s); keys carry the publish generation, so publishing purges every worker's copies at once.
    _at = MIDDLEWARE.index("communique.magazine.page_cache.CacheHeadersMiddleware") + 1  # noqa: F405
    MIDDLEWARE = [*MIDDLEWARE[:_at], "communique.magazine.page_cache.UpdatePageCacheMiddleware", *MIDDLEWARE[_at:], "communique.magazine.page_cache.FetchFromPageCacheMiddleware"]  # noqa: F405

# A CDN in front: Wagtail purges its copies on publish (see docs/deploy.md). JSON, e.g.
# {"cloudflare": {"BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend", ...}}
if os.environ.get("WAGTAILFRONTENDCACHE"):
    import json

    WAGTAILFRONTENDCACHE = json.loads(os.environ["WAGTAILFRONTENDCACHE"])
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
