"""WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]: Wagtail's database backend, language-aware on
PostgreSQL. Each object is indexed with its own language's text-search configuration (an Urdu
article is not run through the English stemmer) and each query uses the active language's.
SQLite and other databases get Wagtail's database backend unchanged (see magazine.search)."""
import threading
from contextlib import contextmanager

from django.db import connection
from django.utils.translation import get_language

from .search import pg_config


def SearchBackend(params):
    from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

    if connection.vendor == "postgresql":
        return _language_aware_backend()(params)
    return DatabaseSearchBackend(params)


def _language_of(obj):
    locale = getattr(obj, "locale", None)
    return getattr(locale, "language_code", None)


def _language_aware_backend():
    from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend

    class LanguageAwareIndex(PostgresIndex):
        def add_items(self, model, objs):
            groups = {}
            for obj in objs:
                groups.setdefault(pg_config(_language_of(obj) or "en"), []).append(obj)
            for config, group in groups.items():
                with self.backend.using_config(config):
                    super().add_items(model, group)

    class LanguageAwarePostgresSearchBackend(PostgresSearchBackend):
        index_class = LanguageAwareIndex
        _local = threading.local()

        @property
        def config(self):
            return getattr(self._local, "config", None) or pg_config(get_language())

        @config.setter
        def config(self, value):
            pass  # SEARCH_CONFIG is per language here

        @contextmanager
        def using_config(self, config):
            previous = getattr(self._local, "config", None)
            self._local.config = config
            try:
                yield
            finally:
                self._local.config = previous

    return LanguageAwarePostgresSearchBackend
