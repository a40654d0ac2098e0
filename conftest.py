"""Suite-wide switches. With COMMUNIQUE_DB_PASS=postgres (the second pass of `dev.py test`) only
the tests that touch the database run, against PostgreSQL; when it cannot be reached they are
reported as skipped with the address, or fail the run when COMMUNIQUE_REQUIRE_POSTGRES=1."""
import os
import socket
from urllib.parse import urlparse

import pytest

DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "client", "admin_client", "django_user_model", "admin_user", "live_server"}


def _uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


def _postgres_reachable(url):
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    if os.environ.get("COMMUNIQUE_DB_PASS") != "postgres":
        return
    url = os.environ.get("DATABASE_URL", "")
    keep, dropped = [], []
    for item in items:
        wanted = _uses_database(item) and not item.get_closest_marker("browser") and not item.get_closest_marker("sqlite_only")
        (keep if wanted else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = keep
    if not _postgres_reachable(url):
        if os.environ.get("COMMUNIQUE_REQUIRE_POSTGRES") == "1":
            raise pytest.UsageError(f"PostgreSQL is required (COMMUNIQUE_REQUIRE_POSTGRES=1) but {url} is not reachable")
        skip = pytest.mark.skip(reason=f"PostgreSQL not reachable at {url}")
        for item in items:
            item.add_marker(skip)
