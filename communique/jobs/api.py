"""The public API: enqueue a registered job and read it back."""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from . import registry
from .backends import backend_name, dispatch
from .models import Job


def enqueue(name, *, owner=None, target=None, backend=None, message="Waiting to start", max_attempts=None, **kwargs):
    """Create a Job row for the registered function `name` and hand it to the backend.

    kwargs are passed to the function and must be JSON. A job whose worker dies, or that fails with
    a transient error (communique.jobs.Retry, a lost database or network connection), runs again
    up to `max_attempts` times with growing delays; job functions must be safe to re-run (ours
    write all-or-nothing). `target` (any model instance) lets pages
    find their jobs (Job.for_target). With the inline backend the job has finished on return."""
    registry.get(name)  # fail here, in the request, rather than in a worker later
    _check_json(name, kwargs)
    chosen = backend_name(backend)
    job = Job.objects.create(
        kind=name,
        args=kwargs,
        owner=owner if owner is not None and owner.is_authenticated else None,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        backend=chosen,
        message=message,
        max_attempts=max_attempts or getattr(settings, "COMMUNIQUE_JOBS_MAX_ATTEMPTS", 3),
    )
    dispatch(job, chosen)
    if chosen == "inline":
        job.refresh_from_db()
    return job


def _check_json(name, kwargs):
    import json

    for key, value in kwargs.items():
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"Argument {key!r} of job {name!r} must be JSON (it travels through the database and "
                f"Redis); pass an id, not a {type(value).__name__}: {exc}"
            ) from None
