"""Runs one job by id, in whatever process django-tasks chose. Every backend ends here, so the
lifecycle (claim, progress, success, retry, failure, recovery) is the same for inline, the database
worker and RQ."""
import logging
import os
import socket
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from . import Retry, registry
from .models import Job

log = logging.getLogger(__name__)

# Sent after recover_orphans(), whether or not it marked anything (marked=<count>).
jobs_recovered = Signal()

HOST = socket.gethostname()


def worker_id():
    return f"{HOST}:{os.getpid()}"


class Progress:
    """The callback a job function receives: progress(percent, message="")."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.percent = 0

    def __call__(self, percent, message=""):
        try:
            percent = int(percent)
        except (TypeError, ValueError):
            raise ValueError(f"progress() needs a number from 0 to 100, not {percent!r}") from None
        # Never go backwards: a poller seeing 60 then 40 would think the job restarted.
        self.percent = max(self.percent, min(100, max(0, percent)))
        _retrying(
            lambda: Job.objects.filter(pk=self.job_id, status=Job.RUNNING).update(
                progress=self.percent, message=str(message)[:255], heartbeat_at=timezone.now()
            )
        )


# Failures of the machine rather than of the input: another attempt may well succeed.
TRANSIENT = (Retry, OperationalError, InterfaceError, ConnectionError, TimeoutError)


def backoff_seconds(attempt):
    """Delay before attempt `attempt + 1`: 10 s, 40 s, 90 s … capped at 15 minutes."""
    base = getattr(settings, "COMMUNIQUE_JOBS_RETRY_SECONDS", 10)
    return min(base * attempt * attempt, 900)


def run_job(job_id):
    """Claim the job (queued -> running) and run it. Returns the Job, or None if another process
    claimed it first: the status update is the lock, so a job id delivered twice runs once."""
    now = timezone.now()
    claimed = _retrying(
        lambda: Job.objects.filter(pk=job_id, status=Job.QUEUED).update(
            status=Job.RUNNING, started_at=now, heartbeat_at=now, worker=worker_id(), progress=0,
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    progress = Progress(job.pk)
    try:
        func = registry.get(job.kind)
        result = func(progress, **(job.args or {}))
    except TRANSIENT as exc:
        log.warning("Job %s (%s) attempt %s failed: %s", job.pk, job.kind, job.attempts, exc)
        from .reasons import plain_reason

        if not _retry_later(job, plain_reason(exc), error=_describe(exc)):
            _finish(job.pk, Job.FAILED, error=_describe(exc), message=f"Failed: {plain_reason(exc)}"[:255])
    except Exception as exc:  # a job's failure is data for the user, not a crash of the worker
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        from .reasons import plain_reason

        # The message is what the person who started the job sees; the traceback stays in error.
        _finish(job.pk, Job.FAILED, error=_describe(exc), message=f"Failed: {plain_reason(exc)}"[:255])
    else:
        _finish(job.pk, Job.SUCCEEDED, result=_jsonable(result), message=_done_message(progress), progress=100)
    job.refresh_from_db()
    return job


def _retry_later(job, why, *, error="", expected_status=Job.RUNNING):
    """Put the job back in the queue for another attempt when it has attempts left. Returns
    whether it did."""
    from .backends import dispatch

    if job.attempts >= job.max_attempts:
        return False
    delay = backoff_seconds(job.attempts)
    message = f"Attempt {job.attempts} of {job.max_attempts} stopped ({why}); trying again in {delay} s"
    updated = _retrying(
        lambda: Job.objects.filter(pk=job.pk, status=expected_status).update(
            status=Job.QUEUED, message=message[:255], error=error, worker="", heartbeat_at=None
        )
    )
    if updated:
        dispatch(job, job.backend or None, delay=delay)
    return bool(updated)


def _finish(job_id, status, **fields):
    _retrying(lambda: Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields))


def _retrying(write, attempts=50):
    """SQLite answers "database table is locked" at once, without its busy timeout, when another
    connection holds the table (shared-cache databases, as in tests). A job's state write must not
    be lost to that, so try again for a few seconds; other errors pass through."""
    import time

    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def _done_message(progress):
    return "Done"



def _first_line(exc):
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def _describe(exc):
    """What the user reads first (the exception's own message), then the traceback for whoever
    has to fix it."""
    head = f"{exc.__class__.__name__}: {str(exc).strip() or '(no message)'}"
    return head + "\n\n" + "".join(traceback.format_exception(exc))[-8000:]


def _jsonable(value):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def recover_orphans(*, stale_after=None):
    """Retry, or fail with the reason, the jobs left "running" by a process that is gone.

    On this host we can ask the OS whether the recorded pid is alive. For other hosts (workers
    elsewhere) only the heartbeat tells: a job that has not reported progress for
    COMMUNIQUE_JOBS_STALE_SECONDS is taken as dead. Returns the number of jobs recovered."""
    if stale_after is None:
        stale_after = getattr(settings, "COMMUNIQUE_JOBS_STALE_SECONDS", 6 * 3600)
    marked = 0
    for job in list(Job.objects.filter(status=Job.RUNNING).only("pk", "worker", "heartbeat_at", "started_at")):
        host, _, pid = job.worker.rpartition(":")
        if host == HOST and pid.isdigit():
            if int(pid) == os.getpid():
                # Same pid as ours (containers reuse pid 1): dead if it started before we did.
                dead = _started_before_us(job)
            else:
                dead = not _alive(int(pid))
        else:
            beat = job.heartbeat_at or job.started_at
            dead = beat is None or beat < timezone.now() - timedelta(seconds=stale_after)
        if not dead:
            continue
        job = Job.objects.get(pk=job.pk)
        if _retry_later(job, f"the worker {job.worker or 'running it'} stopped"):
            marked += 1
        else:
            marked += Job.objects.filter(pk=job.pk, status=Job.RUNNING).update(
                status=Job.FAILED,
                finished_at=timezone.now(),
                message="Interrupted: the process running this job stopped",
                error=(
                    f"The process running this job ({job.worker or 'unknown'}) stopped before the job "
                    f"finished (a restart or a crash), after {job.attempts} of {job.max_attempts} attempt(s). "
                    "Nothing was published from it; start the job again."
                ),
            )
    # Apps whose rows follow a job (a kit build's state) bring themselves in line now.
    jobs_recovered.send(sender=Job, marked=marked)
    return marked


_PROCESS_STARTED = timezone.now()


def _started_before_us(job):
    return job.started_at is not None and job.started_at < _PROCESS_STARTED


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_in_worker(job_id):
    """Entry point for django-tasks workers and threads: they own their DB connection and must
    give it back."""
    close_old_connections()
    try:
        return run_job(job_id)
    except Exception:
        log.exception("Job %s could not be run", job_id)
    finally:
        from django.db import connections

        connections.close_all()


run_in_thread = run_in_worker
