"""Background jobs. Register with `@job("app.name")` (communique.jobs.registry), start with
`enqueue("app.name", owner=user, target=obj, **json_kwargs)` (communique.jobs.api)."""
from .registry import job  # noqa: F401


class Retry(Exception):
    """Raise from a job function for a failure worth another attempt (a busy service, a lock)."""


def enqueue(name, **kwargs):
    # Imported late: this package is imported before Django's app registry is ready.
    from .api import enqueue as _enqueue

    return _enqueue(name, **kwargs)
