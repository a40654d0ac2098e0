"""The distributed backend against the real Redis (REDIS_URL, 127.0.0.1:6379 here): jobs wait in
RQ's queue until `communique worker` takes them. Skipped, saying so, when Redis cannot be reached."""
import pytest
from django.core.management import call_command
from django.test import override_settings

from communique.core.tests.redis_db import redis_test_url
from communique.jobs import enqueue
from communique.jobs.models import Job

from . import jobs_for_tests  # noqa: F401

# A database of its own, emptied around each test, so a real deployment's queue is never touched.
TEST_REDIS = redis_test_url(13)
RQ = {
    "COMMUNIQUE_JOBS_BACKEND": "rq",
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend"}},
    "RQ_QUEUES": {"default": {"URL": TEST_REDIS}},
}


@pytest.fixture
def rq_redis():
    try:
        import redis

        client = redis.Redis.from_url(TEST_REDIS, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {TEST_REDIS}: {exc}")
    client.flushdb()
    with override_settings(**RQ):
        yield client
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_jobs_wait_in_rq_until_a_worker_runs_them(rq_redis):
    import django_rq

    ok = enqueue("tests.add", a=2, b=40)
    bad = enqueue("tests.fail", why="no such font")
    assert Job.objects.get(pk=ok.pk).status == Job.QUEUED
    assert django_rq.get_queue("default").count == 2

    call_command("worker", "--burst", "--no-scheduler", "--no-fork")

    ok.refresh_from_db()
    bad.refresh_from_db()
    assert ok.status == Job.SUCCEEDED and ok.result == {"sum": 42} and ok.backend == "rq"
    assert bad.status == Job.FAILED and "no such font" in bad.error
    assert django_rq.get_queue("default").count == 0


@pytest.mark.django_db(transaction=True)
def test_a_transient_failure_is_retried_through_rq(rq_redis):
    with override_settings(COMMUNIQUE_JOBS_RETRY_SECONDS=0):
        job = enqueue("tests.flaky", failures=1)
        call_command("worker", "--burst", "--no-scheduler", "--no-fork")
        job.refresh_from_db()
        if job.status == Job.QUEUED:  # RQ's scheduler moved the retry in after the burst ended
            call_command("worker", "--burst", "--no-scheduler", "--no-fork")
            job.refresh_from_db()
    assert job.status == Job.SUCCEEDED and job.attempts == 2


def test_worker_command_names_an_unreachable_redis(db):
    from django.core.management.base import CommandError

    with override_settings(**{**RQ, "RQ_QUEUES": {"default": {"URL": "redis://127.0.0.1:1/0"}}}):
        with pytest.raises(CommandError, match="Cannot reach Redis"):
            call_command("worker", "--burst", "--no-scheduler")
