"""Where a queued job runs: django-tasks (settings.TASKS, derived from COMMUNIQUE_JOBS_BACKEND in
settings/base.py) decides. We keep no queue of our own:

- "database": django-tasks-db keeps the queue in our own database; `communique worker` processes run
  it (the demo starts one itself). One machine, no extra service.
- "rq": django-tasks-rq on Redis; `communique worker` processes on any number of machines.
- "inline": django-tasks' ImmediateBackend, in the caller before enqueue() returns (tests, scripts).
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .config import normalise

log = logging.getLogger(__name__)


def backend_name(name=None):
    return normalise(name or settings.COMMUNIQUE_JOBS_BACKEND)


def is_immediate(name=None):
    return backend_name(name) == "inline"


def dispatch(job, backend=None, *, delay=None):
    """Hand the job to django-tasks once its row is committed (a worker on another machine must be
    able to read it). A retry passes `delay` seconds; the inline backend retries at once."""
    name = backend_name(backend)
    if name == "inline":
        from . import runner

        runner.run_job(job.pk)
        return name
    transaction.on_commit(lambda: _enqueue(job.pk, name, delay))
    return name


def _enqueue(job_id, name, delay):
    from .models import Job
    from .tasks import run_job_task

    task = run_job_task
    if delay:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    try:
        result = task.enqueue(str(job_id))
    except Exception as exc:  # the queue is down: say so on the job instead of a 500 or a silent wait
        log.exception("Could not queue job %s on %s", job_id, name)
        Job.objects.filter(pk=job_id, status=Job.QUEUED).update(
            status=Job.FAILED,
            finished_at=timezone.now(),
            message="Could not be queued",
            error=f"The job queue ({name}) could not take this job: {exc.__class__.__name__}: {exc}",
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def get_backend(name=None):
    """The django-tasks backend object for our alias (workers and tests use it)."""
    from django_tasks import task_backends

    backend_name(name)  # a clear error for a bad name before django-tasks' own
    return task_backends["default"]
