"""Settings shared by every environment. Environment variables override the defaults:
DATABASE_URL (SQLite file by default), COMMUNIQUE_VAR_DIR (where the database and media live),
COMMUNIQUE_JOBS_BACKEND ("database" on one machine, "rq" on Redis; `communique worker` runs both),
REDIS_URL."""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

from communique.jobs import config as jobs_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("COMMUNIQUE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet: SQLite would not open

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret-change-me")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "communique.core",
    "communique.magazine",
    "communique.importers",
    "communique.documents",
    "communique.editions",
    "communique.books",
    "communique.kdp",
    "communique.jobs",
    "communique.demo",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "communique.translation",  # before simple_translation: its submit view is replaced (issue 8 break 21)
    "wagtail_localize",
    "communique.research",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "communique.magazine.popularity.middleware.ViewCountingMiddleware",
    # ETag + 304 for every GET, and Cache-Control that lets browsers keep reader pages but revalidate.
    "django.middleware.http.ConditionalGetMiddleware",
    "communique.magazine.page_cache.CacheHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "communique.core.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "communique.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "communique.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'communique.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and the job thread work while a request writes. BEGIN IMMEDIATE takes the
    # write lock when a transaction starts, so a second writer waits (up to `timeout` seconds) for
    # the first instead of failing at once with "database is locked": a deferred transaction that
    # has read and then wants to write cannot wait, since the snapshot it read is already stale.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's four validators: on the admin's user forms, password changes and `changepassword`.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes) on every sign-in that goes through authenticate(request, ...): the
# site's /accounts/login/ and Wagtail's /admin/login/. After AXES_FAILURE_LIMIT wrong passwords for
# one account from one address, that pair is refused, right password included, until the cool-off
# has passed. Keyed on the pair so a shared office address does not lock everyone out, and a
# stranger cannot lock an editor out from elsewhere. Attempts live in the database: every worker
# sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("COMMUNIQUE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("COMMUNIQUE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "communique.core.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "communique.core.client_ip.client_ip"
# How many reverse proxies stand in front and append to X-Forwarded-For (core/client_ip.py).
COMMUNIQUE_TRUSTED_PROXIES = int(os.environ.get("COMMUNIQUE_TRUSTED_PROXIES", "0"))

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The magazine's eleven languages, from the one language registry (Urdu, Arabic and Persian are
# right to left).
from communique.documents.languages import magazine_languages  # noqa: E402

LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = WAGTAILADMIN_PERMITTED_LANGUAGES = [
    (entry.web_code, entry.native_name) for entry in magazine_languages()
]
WAGTAIL_I18N_ENABLED = True
# A page sent for translation starts as a draft, whatever the original's status: readers see a
# translation only once it is approved on the translator's desk (or an editor overrides).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Reader interface text (templates) in every language; the .mo files are committed.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Built editions and KDP kits are not public media: they are served through views that check roles.
PRIVATE_ROOT = VAR_DIR / "private"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Communiqué"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend, language-aware on PostgreSQL (communique.magazine.search_backend).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "communique.magazine.search_backend"}}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # admin avatars: no request to Gravatar (a third party, email hashes)
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin dashboard would fetch releases.wagtail.org (a third party)
WAGTAILEMBEDS_FINDERS = []  # no oEmbed calls to the network: embeds store their own HTML
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 40 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# With the per-process cache below, the publish generation (magazine/page_cache.py) is kept in this
# file, shared by every process on the machine (default: VAR_DIR/publish-generation).
COMMUNIQUE_GENERATION_FILE = os.environ.get("COMMUNIQUE_GENERATION_FILE")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "communique",
        # Rendered fragments and routes of every reader page (magazine/fragments.py), not 300.
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

# Browser hardening on every response (production adds HTTPS: see production.py). Reader and portal
# pages load nothing from other origins and run no inline code without the request's nonce
# (`nonce="{{ request.csp_nonce }}"`); Wagtail's admin needs inline script and style (core/csp.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views set SAMEORIGIN for themselves
_CSP_COMMON = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
COMMUNIQUE_ADMIN_CSP = {
    **_CSP_COMMON,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}

LOGIN_URL = "login"  # a URL name: the sign-in page in the language of the page that asked
# A page or section kept for signed-in readers (Privacy: "Private, accessible to logged-in users")
# sends them to the same sign-in page, not Wagtail's unstyled /_util/login/.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/portal/"

# The clock in every `communique worker` (communique/jobs/schedule.py): scheduled publishing
# ("Go live at") and recovery of jobs whose worker died run this often, once per tick across
# workers that share a cache.
COMMUNIQUE_SCHEDULER_SECONDS = int(os.environ.get("COMMUNIQUE_SCHEDULER_SECONDS", "15"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Background work on django-tasks (the API Wagtail 8 itself uses): see communique/jobs/config.py.
COMMUNIQUE_JOBS_BACKEND = jobs_config.normalise(os.environ.get("COMMUNIQUE_JOBS_BACKEND", "database"))
TASKS = jobs_config.tasks_setting(COMMUNIQUE_JOBS_BACKEND)
RQ_QUEUES = jobs_config.rq_queues(REDIS_URL)
COMMUNIQUE_JOBS_MAX_ATTEMPTS = 3
# Browsers revalidate reader pages (0 s) so a purge is seen at once; a CDN may keep them this long
# when WAGTAILFRONTENDCACHE purges it (docs/deploy.md).
COMMUNIQUE_BROWSER_CACHE_SECONDS = 0
# Rendered fragments, routes and list counts, purged by the publish generation (magazine/fragments.py).
COMMUNIQUE_FRAGMENT_CACHE_SECONDS = int(os.environ.get("COMMUNIQUE_FRAGMENT_CACHE_SECONDS", "3600"))
COMMUNIQUE_CDN_CACHE_SECONDS = int(os.environ.get("COMMUNIQUE_CDN_CACHE_SECONDS", "0"))
COMMUNIQUE_JOBS_RETRY_SECONDS = int(os.environ.get("COMMUNIQUE_JOBS_RETRY_SECONDS", "10"))

# Most Popular: hits are buffered in memory and flushed in batches, never written on the request path.
COMMUNIQUE_POPULARITY = {
    "FLUSH_SECONDS": 10,
    "FLUSH_AT": 200,
    "DEDUP_WINDOW_SECONDS": 30 * 60,
    "BUFFER": os.environ.get("COMMUNIQUE_POPULARITY_BUFFER", "memory"),  # "redis": one buffer for all workers
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Mail (author invitations). The demo prints messages to the console; production sets
# COMMUNIQUE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the parts below. The
# portal also shows each invitation's link to the editor, so it works where mail is not set up.
EMAIL_BACKEND = os.environ.get("COMMUNIQUE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("COMMUNIQUE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COMMUNIQUE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("COMMUNIQUE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COMMUNIQUE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("COMMUNIQUE_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("COMMUNIQUE_FROM_EMAIL", "books@localhost")
BOOKS_INVITATION_DAYS = int(os.environ.get("COMMUNIQUE_INVITATION_DAYS", "14"))
BOOKS_MAX_COVER_BYTES = 40 * 1024 * 1024  # KDP recommends covers of 40 MB or less (facts.py)
