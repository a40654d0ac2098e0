"""Where a queued job runs. Chosen by settings.COMMUNIQUE_JOBS_BACKEND:

- "inline": in the caller, before enqueue() returns (tests, scripts).
- "thread": a bounded pool of threads in the web process. One machine, no extra service; the state
  is in the database, so a page reload or another web worker still sees progress.
- "redis": the job id is pushed onto a Redis list; `communique worker` processes pop and run them,
  on as many machines as you like.
"""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction

from . import runner

log = logging.getLogger(__name__)

QUEUE_KEY = "communique:jobs:queue"


class InlineBackend:
    name = "inline"

    def submit(self, job_id):
        runner.run_job(job_id)


class ThreadBackend:
    name = "thread"

    def __init__(self, max_workers=None):
        self.max_workers = max_workers or getattr(settings, "COMMUNIQUE_JOBS_THREADS", 2)
        # Bounded so a burst of build requests queues up instead of starving the web workers.
        self.executor = ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="communique-job")
        self._recovered = False
        self._lock = threading.Lock()

    def recover(self):
        """Once per process, before the first job: fail the jobs a dead process left running."""
        with self._lock:
            if self._recovered:
                return 0
            self._recovered = True
        return runner.recover_orphans()

    def submit(self, job_id):
        self.recover()
        return self.executor.submit(runner.run_in_thread, job_id)

    def shutdown(self, wait=True):
        self.executor.shutdown(wait=wait)


class RedisBackend:
    name = "redis"

    def __init__(self, url=None, key=None):
        self.url = url or settings.REDIS_URL
        # Separate keys let two sites (or a test run) share one Redis without taking each other's jobs.
        self.key = key or getattr(settings, "COMMUNIQUE_JOBS_QUEUE", QUEUE_KEY)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.url)
        return self._client

    def submit(self, job_id):
        self.client.rpush(self.key, str(job_id))

    def requeue_lost(self, older_than=600):
        """Push again the redis jobs still "queued" in the database long after they were enqueued
        but no longer in the list: a worker that died between taking an id and starting the job
        loses it otherwise. A job delivered twice still runs once (the claim in run_job)."""
        from datetime import timedelta

        from django.utils import timezone

        from .models import Job

        waiting = {item.decode() for item in self.client.lrange(self.key, 0, -1)}
        lost = [
            str(pk)
            for pk in Job.objects.filter(
                backend=self.name, status=Job.QUEUED, created_at__lt=timezone.now() - timedelta(seconds=older_than)
            ).values_list("pk", flat=True)
            if str(pk) not in waiting
        ]
        if lost:
            self.client.rpush(self.key, *lost)
        return lost

    def pop(self, timeout=5):
        """Wait up to `timeout` seconds for a job id; None if the queue stayed empty."""
        item = self.client.blpop([self.key], timeout=timeout)
        if item is None:
            return None
        return item[1].decode()


BACKENDS = {"inline": InlineBackend, "thread": ThreadBackend, "redis": RedisBackend}
_instances = {}
_instances_lock = threading.Lock()


def get_backend(name=None):
    name = name or settings.COMMUNIQUE_JOBS_BACKEND
    if name not in BACKENDS:
        raise ValueError(
            f"COMMUNIQUE_JOBS_BACKEND is {name!r}; it must be one of {', '.join(sorted(BACKENDS))}."
        )
    with _instances_lock:
        if name not in _instances:
            _instances[name] = BACKENDS[name]()
        return _instances[name]


def reset_backends():
    """For tests: forget backend instances (and their thread pools)."""
    with _instances_lock:
        for backend in _instances.values():
            if hasattr(backend, "shutdown"):
                backend.shutdown(wait=True)
        _instances.clear()


def dispatch(job, backend_name=None):
    """Hand the job to its backend once the row is committed: a thread or a worker on another
    machine must be able to read it."""
    backend = get_backend(backend_name)
    if backend.name == "inline":
        backend.submit(job.pk)
    else:
        transaction.on_commit(lambda: backend.submit(job.pk))
    return backend
