"""Settings shared by every environment. Environment variables override the defaults:
DATABASE_URL (SQLite file by default), COMMUNIQUE_VAR_DIR (where the database and media live),
COMMUNIQUE_JOBS_BACKEND ("thread" on one machine, "redis" with a worker), REDIS_URL."""
import os
from pathlib import Path

import dj_database_url

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
]

MIDDLEWARE = [
    "communique.magazine.popularity.middleware.ViewCountingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
    # WAL lets readers and the job thread work while a request writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The magazine's eleven languages. Urdu, Arabic and Persian are right to left.
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("en", "English"),
    ("ur", "اردو"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("zh-hans", "简体中文"),
    ("ru", "Русский"),
    ("fr", "Français"),
    ("es", "Español"),
    ("de", "Deutsch"),
    ("tr", "Türkçe"),
    ("hi", "हिन्दी"),
]
WAGTAIL_I18N_ENABLED = True
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
WAGTAILEMBEDS_FINDERS = []  # no oEmbed calls to the network: embeds store their own HTML
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 40 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "communique",
    }
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/portal/"

COMMUNIQUE_JOBS_BACKEND = os.environ.get("COMMUNIQUE_JOBS_BACKEND", "thread")
# Scheduled publishing ("Go live at"): each web process runs publish_scheduled this often, one
# process at a time (communique/magazine/scheduling.py). 0 turns it off.
COMMUNIQUE_SCHEDULER_SECONDS = int(os.environ.get("COMMUNIQUE_SCHEDULER_SECONDS", "15"))
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

# Most Popular: hits are buffered in memory and flushed in batches, never written on the request path.
COMMUNIQUE_POPULARITY = {
    "FLUSH_SECONDS": 10,
    "FLUSH_AT": 200,
    "DEDUP_WINDOW_SECONDS": 30 * 60,
    "BUFFER": os.environ.get("COMMUNIQUE_POPULARITY_BUFFER", "memory"),  # "redis": one buffer for all workers
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
