"""Suite-wide switches. With COMMUNIQUE_DB_PASS=postgres (the second pass of `dev.py test`) only
the tests that touch the database run, against PostgreSQL; when it cannot be reached they are
reported as skipped with the address, or fail the run when COMMUNIQUE_REQUIRE_POSTGRES=1."""
import os

import pytest

from dev import postgres_reachable  # the test command's own check, so both agree

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "client", "admin_client", "django_user_model", "admin_user", "live_server"}


def _uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def _restore_migration_data_after_flush(items):
    """A transactional test ends with a flush, which also removes what migrations created (Wagtail's
    root page and collection, the locales, the newsroom groups). Serialized rollback puts it back
    before the next transactional test, whichever app's suite runs in the same session."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & fixtures
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            kwargs = dict(marker.kwargs) if marker else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_collection_modifyitems(config, items):
    _restore_migration_data_after_flush(items)
    if os.environ.get("COMMUNIQUE_DB_PASS") != "postgres":
        return
    url = os.environ.get("DATABASE_URL", "")
    keep, dropped = [], []
    for item in items:
        wanted = _uses_database(item) and not item.get_closest_marker("browser") and not item.get_closest_marker("sqlite_only")
        (keep if wanted else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = keep
    if not postgres_reachable(url):
        if os.environ.get("COMMUNIQUE_REQUIRE_POSTGRES") == "1":
            raise pytest.UsageError(f"PostgreSQL is required (COMMUNIQUE_REQUIRE_POSTGRES=1) but {url} is not reachable")
        skip = pytest.mark.skip(reason=f"PostgreSQL not reachable at {url}")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language():
    """Django leaves the language of the last request active in the thread; a test that follows an
    Urdu page would otherwise render in Urdu."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache. The fragment and route caches are keyed by page id and
    publish generation; a rolled-back test frees its ids for the next test (SQLite reuses them), which
    would otherwise be served the previous test's fragments. Production ids are never reused."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


def pytest_sessionfinish(session):
    """Page views that the last tests recorded belong to a test database that is gone by the time
    the interpreter exits: the flusher's exit hook would try to write them there and log a
    traceback after every run. They are dropped here instead (only the in-memory buffer: a Redis
    buffer's hits are the Redis tests' own business)."""
    try:
        from communique.magazine.popularity.buffer import MemoryBuffer, get_buffer
        from communique.magazine.popularity.flush import flusher
    except Exception:  # noqa: BLE001 - Django not configured in this session
        return
    flusher.stop(flush=False)
    buffer = get_buffer()
    if isinstance(buffer, MemoryBuffer):
        buffer.drain()
