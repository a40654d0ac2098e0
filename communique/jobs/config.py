"""settings.TASKS for a COMMUNIQUE_JOBS_BACKEND name. Plain data, no Django imports: the settings
module and the tests both call it."""

BACKENDS = {
    # The queue lives in our own database; `communique worker` runs it. One machine, no service.
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    # RQ on Redis; `communique worker` processes on any number of machines.
    "rq": {"BACKEND": "django_tasks_rq.RQBackend"},
    # In the caller, before enqueue() returns (tests, scripts).
    "inline": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# Names the first releases used, kept so an old environment file still starts.
LEGACY = {"thread": "database", "redis": "rq", "immediate": "inline"}


def normalise(name):
    name = LEGACY.get(name, name)
    if name not in BACKENDS:
        raise ValueError(f"COMMUNIQUE_JOBS_BACKEND is {name!r}; it must be one of {', '.join(sorted(BACKENDS))}.")
    return name


def tasks_setting(name):
    """Wagtail's own tasks (reference index, renditions) share the queue with ours: one engine."""
    return {"default": dict(BACKENDS[normalise(name)])}


def rq_queues(redis_url):
    return {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 6 * 3600}}
