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
    MIDDLEWARE = [MIDDLEWARE[0], "django.middleware.cache.UpdateCacheMiddleware", *MIDDLEWARE[1:], "django.middleware.cache.FetchFromCacheMiddleware"]  # noqa: F405
