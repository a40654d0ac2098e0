"""Job functions by name. A job function takes `progress` as its first argument, then the keyword
arguments given to `enqueue`, which must be JSON (they travel through the database and Redis):

    @job("editions.build_issue")
    def build_issue(progress, *, issue_id, formats):
        progress(10, "Reading the issue")
        ...
        return {"editions": [...]}   # stored as Job.result (JSON)
"""
from django.utils.module_loading import autodiscover_modules

_registry = {}


class UnknownJob(LookupError):
    pass


def job(name):
    if not name or not isinstance(name, str):
        raise ValueError("A job needs a name such as 'editions.build_issue'.")

    def register(func):
        existing = _registry.get(name)
        if existing is not None and existing is not func and _qualname(existing) != _qualname(func):
            raise ValueError(f"Job name {name!r} is already taken by {_qualname(existing)}.")
        _registry[name] = func
        func.job_name = name
        return func

    return register


def _qualname(func):
    return f"{func.__module__}.{func.__qualname__}"


def get(name):
    try:
        return _registry[name]
    except KeyError:
        raise UnknownJob(
            f"No job is registered as {name!r}. Registered: {', '.join(sorted(_registry)) or 'none'}."
        ) from None


def names():
    return sorted(_registry)


def autodiscover():
    """Import every installed app's `jobs` module, where its job functions are registered, and the
    modules named in COMMUNIQUE_JOB_MODULES (a site's own jobs, outside our apps)."""
    import importlib
    import os

    autodiscover_modules("jobs")
    for module in filter(None, os.environ.get("COMMUNIQUE_JOB_MODULES", "").split(",")):
        importlib.import_module(module.strip())
