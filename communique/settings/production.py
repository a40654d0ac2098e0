import os

from .base import *  # noqa: F401,F403
from .secret_key import require_strong_secret_key

DEBUG = False
SECRET_KEY = require_strong_secret_key(os.environ.get("DJANGO_SECRET_KEY"))

# HTTPS by default: every plain-HTTP request is redirected, browsers are told to stay on HTTPS
# (HSTS, sent on HTTPS responses only) and cookies never travel in clear. A server run on loopback
# without TLS (the benchmarks, a trial install) opts out explicitly with COMMUNIQUE_PLAIN_HTTP=1.
PLAIN_HTTP = os.environ.get("COMMUNIQUE_PLAIN_HTTP", "") == "1"
SECURE_SSL_REDIRECT = not PLAIN_HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not PLAIN_HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("COMMUNIQUE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("COMMUNIQUE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
# Preloading is an opt-in to browsers' built-in lists that takes months to undo, so it is the site
# owner's decision (COMMUNIQUE_HSTS_PRELOAD=1), not a default; `check --deploy` would otherwise warn.
SECURE_HSTS_PRELOAD = os.environ.get("COMMUNIQUE_HSTS_PRELOAD", "") == "1"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a proxy that terminates TLS (nginx, a load balancer) Django sees plain HTTP; the proxy says
# the request was HTTPS in X-Forwarded-Proto. Only set this when such a proxy always overwrites it.
if os.environ.get("COMMUNIQUE_BEHIND_TLS_PROXY", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    COMMUNIQUE_TRUSTED_PROXIES = COMMUNIQUE_TRUSTED_PROXIES or 1  # noqa: F405  (client addresses for throttling and counting)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if os.environ.get("REDIS_CACHE") == "1":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}  # noqa: F405

# Whole-page cache for anonymous readers, answered in front of Django (communique/wsgi.py,
# magazine/served_from_cache.py); keys carry the publish generation, so publishing purges every
# worker's copies at once. PageIdMiddleware, just inside the view counter, hands the article's id to
# it so cached hits still count.
PAGE_CACHE_SECONDS = int(os.environ.get("COMMUNIQUE_PAGE_CACHE_SECONDS", "0"))
if PAGE_CACHE_SECONDS > 0:
    _at = MIDDLEWARE.index("communique.magazine.popularity.middleware.ViewCountingMiddleware") + 1  # noqa: F405
    MIDDLEWARE = [*MIDDLEWARE[:_at], "communique.magazine.served_from_cache.PageIdMiddleware", *MIDDLEWARE[_at:]]  # noqa: F405

# A CDN in front: Wagtail purges its copies on publish (see docs/deploy.md). JSON, e.g.
# {"cloudflare": {"BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend", ...}}
if os.environ.get("WAGTAILFRONTENDCACHE"):
    import json

    WAGTAILFRONTENDCACHE = json.loads(os.environ["WAGTAILFRONTENDCACHE"])
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
