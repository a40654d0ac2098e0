"""The redis backend against the real Redis (REDIS_URL, 127.0.0.1:6379 here): jobs wait in the
list until a worker takes them. Skipped, saying so, when Redis cannot be reached."""
import threading
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from communique.jobs import enqueue
from communique.jobs.backends import RedisBackend, reset_backends
from communique.jobs.management.commands.worker import run_loop
from communique.jobs.models import Job

from . import jobs_for_tests  # noqa: F401
from .test_jobs import _wait_for


def _redis_or_skip():
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {settings.REDIS_URL}: {exc}")
    return client


@pytest.fixture
def redis_queue():
    client = _redis_or_skip()
    key = f"communique:jobs:test:{uuid.uuid4().hex}"
    reset_backends()
    with override_settings(COMMUNIQUE_JOBS_BACKEND="redis", COMMUNIQUE_JOBS_QUEUE=key):
        yield key
    client.delete(key)
    reset_backends()


@pytest.mark.django_db(transaction=True)
def test_jobs_wait_in_redis_until_the_worker_command_runs_them(redis_queue):
    client = _redis_or_skip()
    ok = enqueue("tests.add", a=2, b=40)
    bad = enqueue("tests.fail", why="no such font")
    assert Job.objects.get(pk=ok.pk).status == Job.QUEUED
    assert client.lrange(redis_queue, 0, -1) == [str(ok.pk).encode(), str(bad.pk).encode()]

    call_command("worker", "--burst", "--concurrency", "2", "--queue", redis_queue, "--poll", "1")

    ok.refresh_from_db()
    bad.refresh_from_db()
    assert ok.status == Job.SUCCEEDED and ok.result == {"sum": 42} and ok.backend == "redis"
    assert bad.status == Job.FAILED and "no such font" in bad.error
    assert client.llen(redis_queue) == 0


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_picks_up_jobs_as_they_come(redis_queue):
    stop = threading.Event()
    backend = RedisBackend(key=redis_queue)
    worker = threading.Thread(target=run_loop, args=(backend,), kwargs={"stop": stop, "poll": 1, "log": lambda *_: None})
    worker.start()
    try:
        jobs_for_tests.gate.clear()
        slow = enqueue("tests.wait", seconds=20)
        _wait_for(lambda: Job.objects.get(pk=slow.pk).progress == 10)
        assert Job.objects.get(pk=slow.pk).status == Job.RUNNING
        assert Job.objects.get(pk=slow.pk).worker.endswith(f":{__import__('os').getpid()}")
        jobs_for_tests.gate.set()
        _wait_for(lambda: Job.objects.get(pk=slow.pk).done)
        assert Job.objects.get(pk=slow.pk).status == Job.SUCCEEDED
    finally:
        jobs_for_tests.gate.set()
        stop.set()
        worker.join(timeout=15)
    assert not worker.is_alive()


def test_worker_command_names_an_unreachable_redis(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Cannot reach Redis at redis://127.0.0.1:1/0"):
        call_command("worker", "--burst", "--redis-url", "redis://127.0.0.1:1/0")


@pytest.mark.django_db(transaction=True)
def test_worker_start_requeues_a_job_lost_between_pop_and_start(redis_queue):
    from datetime import timedelta

    from django.utils import timezone

    client = _redis_or_skip()
    job = enqueue("tests.add", a=1, b=1)
    assert client.lpop(redis_queue) == str(job.pk).encode()  # a worker took it and died
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    fresh = enqueue("tests.add", a=2, b=2)  # still in the list: must not be pushed twice

    assert RedisBackend(key=redis_queue).requeue_lost(older_than=600) == [str(job.pk)]
    assert client.llen(redis_queue) == 2
    call_command("worker", "--burst", "--queue", redis_queue, "--poll", "1")
    assert Job.objects.get(pk=job.pk).result == {"sum": 2}
    assert Job.objects.get(pk=fresh.pk).result == {"sum": 4}
