import os
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.utils import timezone

from communique.jobs import enqueue, registry, runner
from communique.jobs.models import Job

from . import jobs_for_tests  # noqa: F401  (registers tests.* jobs)


@pytest.fixture
def user(db):
    return User.objects.create_user("owner", password="x")


def test_inline_job_succeeds_with_progress_and_result(user):
    job = enqueue("tests.add", owner=user, a=2, b=3)
    assert job.status == Job.SUCCEEDED
    assert job.result == {"sum": 5}
    assert job.progress == 100
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert job.backend == "inline"
    assert job.owner == user
    assert isinstance(job.pk, uuid.UUID)


def test_progress_is_recorded_while_running(db):
    seen = []

    @registry.job("tests.observe")
    def observe(progress):
        progress(42, "half-way-ish")
        seen.append(Job.objects.get(kind="tests.observe").progress)
        seen.append(Job.objects.get(kind="tests.observe").message)
        progress(10, "backwards")
        seen.append(Job.objects.get(kind="tests.observe").progress)

    job = enqueue("tests.observe")
    assert job.status == Job.SUCCEEDED
    assert seen == [42, "half-way-ish", 42]


def test_failure_is_recorded_with_its_message(db):
    job = enqueue("tests.fail", why="the printer is on fire")
    assert job.status == Job.FAILED
    assert job.error.startswith("RuntimeError: the printer is on fire")
    assert "Traceback" in job.error
    assert "the printer is on fire" in job.message
    assert job.progress == 40
    assert job.finished_at is not None


def test_unknown_job_is_refused_before_a_row_exists(db):
    with pytest.raises(registry.UnknownJob, match="tests.nope"):
        enqueue("tests.nope")
    assert not Job.objects.exists()


def test_a_job_runs_once_even_if_delivered_twice(db):
    job = enqueue("tests.add", a=1, b=1)
    assert runner.run_job(job.pk) is None  # already claimed and finished
    assert Job.objects.get(pk=job.pk).status == Job.SUCCEEDED


def test_bad_backend_name_is_a_clear_error(db):
    with override_settings(COMMUNIQUE_JOBS_BACKEND="celery"):
        with pytest.raises(ValueError, match="celery"):
            enqueue("tests.add", a=1, b=1)
    assert not Job.objects.exists()


def test_restart_recovery_retries_dead_processes_jobs_then_fails_them(db):
    long_ago = timezone.now() - timedelta(days=1)
    dead_pid = _dead_pid()
    here_dead = Job.objects.create(kind="tests.add", args={"a": 1, "b": 2}, status=Job.RUNNING, worker=f"{runner.HOST}:{dead_pid}", started_at=long_ago, attempts=1, backend="inline")
    out_of_attempts = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker=f"{runner.HOST}:{dead_pid}", started_at=long_ago, attempts=3, max_attempts=3)
    here_alive = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker=f"{runner.HOST}:{os.getppid()}", started_at=long_ago, heartbeat_at=long_ago)
    elsewhere_stale = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker="other-host:123", started_at=long_ago, heartbeat_at=long_ago, attempts=3, max_attempts=3)
    elsewhere_fresh = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker="other-host:124", started_at=long_ago, heartbeat_at=timezone.now())
    queued = Job.objects.create(kind="tests.add")

    assert runner.recover_orphans(stale_after=3600) == 3
    here_dead.refresh_from_db()
    # Retried (inline here, so at once): the second attempt ran to the end.
    assert here_dead.status == Job.SUCCEEDED and here_dead.attempts == 2 and here_dead.result == {"sum": 3}
    for job in (out_of_attempts, elsewhere_stale):
        job.refresh_from_db()
        assert job.status == Job.FAILED
        assert "stopped before the job finished" in job.error and "3 of 3 attempt(s)" in job.error
        assert job.finished_at is not None
    for job, status in ((here_alive, Job.RUNNING), (elsewhere_fresh, Job.RUNNING), (queued, Job.QUEUED)):
        job.refresh_from_db()
        assert job.status == status


def test_transient_failures_are_retried_until_attempts_run_out(db):
    job = enqueue("tests.flaky", failures=2)
    assert job.status == Job.SUCCEEDED and job.attempts == 3 and job.result == {"attempts": 3}
    job = enqueue("tests.flaky", failures=5, max_attempts=2)
    assert job.status == Job.FAILED and job.attempts == 2
    assert "the service is busy" in job.error


def test_input_errors_are_not_retried(db):
    job = enqueue("tests.fail", why="the manuscript has no chapters")
    assert job.status == Job.FAILED and job.attempts == 1


def test_backoff_grows_and_is_capped():
    with override_settings(COMMUNIQUE_JOBS_RETRY_SECONDS=10):
        assert [runner.backoff_seconds(n) for n in (1, 2, 3, 50)] == [10, 40, 90, 900]


def _dead_pid():
    import subprocess

    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_database_backend_jobs_wait_for_the_worker_command():
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    with override_settings(COMMUNIQUE_JOBS_BACKEND="database", TASKS=DATABASE_TASKS):
        ok = enqueue("tests.add", a=20, b=22)
        failing = enqueue("tests.fail", why="bad input")
        assert Job.objects.get(pk=ok.pk).status == Job.QUEUED
        assert DBTaskResult.objects.filter(status="READY").count() == 2
        assert Job.objects.get(pk=ok.pk).task_id  # linked to django-tasks' own record
        call_command("worker", "--burst", "--no-scheduler")
    assert Job.objects.get(pk=ok.pk).result == {"sum": 42}
    failed = Job.objects.get(pk=failing.pk)
    assert failed.status == Job.FAILED and "bad input" in failed.error
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_for_its_backoff_in_the_database_queue():
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    with override_settings(COMMUNIQUE_JOBS_BACKEND="database", TASKS=DATABASE_TASKS, COMMUNIQUE_JOBS_RETRY_SECONDS=600):
        job = enqueue("tests.flaky", failures=1)
        call_command("worker", "--burst", "--no-scheduler")
        job.refresh_from_db()
        assert job.status == Job.QUEUED and job.attempts == 1 and "trying again in 600 s" in job.message
        waiting = DBTaskResult.objects.filter(status="READY").get()
        assert waiting.run_after > timezone.now() + timedelta(seconds=500)
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # time passes
        call_command("worker", "--burst", "--no-scheduler")
    job.refresh_from_db()
    assert job.status == Job.SUCCEEDED and job.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_cannot_take_the_job_fails_it_with_the_reason():
    broken = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    with override_settings(COMMUNIQUE_JOBS_BACKEND="rq", TASKS=broken, RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:1/0"}}):
        job = enqueue("tests.add", a=1, b=1)
    job.refresh_from_db()
    assert job.status == Job.FAILED
    assert "could not take this job" in job.error and job.message == "Could not be queued"


def _wait_for(condition, timeout=20):
    import time

    deadline = time.monotonic() + timeout
    from django.db import OperationalError

    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError as exc:  # the in-memory test database is locked by a job thread
            if "locked" not in str(exc):
                raise
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


# ---- the progress endpoint ------------------------------------------------------------------


def test_progress_endpoint_for_owner(client, user):
    job = enqueue("tests.fail", owner=user, why="font missing: Noto Nastaliq")
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "failed" and data["done"] is True
    assert data["progress"] == 40
    assert "font missing: Noto Nastaliq" in data["error"]
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_progress_endpoint_refuses_others_and_allows_editors(client, user):
    job = enqueue("tests.add", owner=user, a=1, b=1)
    assert client.get(f"/jobs/{job.pk}/").status_code == 401
    stranger = User.objects.create_user("stranger", password="x")
    client.force_login(stranger)
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    editor = User.objects.create_user("editor", password="x")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    client.force_login(editor)
    assert client.get(f"/jobs/{job.pk}/").json()["result"] == {"sum": 2}
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert client.get(f"/jobs/{uuid.uuid4()}/").status_code == 404


def test_progress_include_renders_a_progress_bar_and_the_error(db):
    from django.template.loader import render_to_string

    job = enqueue("tests.fail", why="cover image is CMYK")
    html = render_to_string("jobs/includes/progress.html", {"job": job})
    assert '<progress max="100" value="40">' in html
    assert f'data-job-url="/jobs/{job.pk}/"' in html
    assert "cover image is CMYK" in html
    assert "fetch(" in html


def test_non_json_arguments_are_refused_naming_the_argument(user):
    with pytest.raises(TypeError, match="'who' of job 'tests.add' must be JSON"):
        enqueue("tests.add", a=1, b=2, who=user)
    assert not Job.objects.exists()


def test_editors_see_recent_jobs_and_why_they_failed(client, user):
    enqueue("tests.fail", owner=user, why="EPUB writer: missing cover")
    enqueue("tests.add", owner=user, a=1, b=1)
    client.force_login(user)
    assert client.get("/admin/jobs/").status_code == 302  # no admin access, not an editor
    editor = User.objects.create_user("jobs-editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))  # the newsroom role, with admin access
    client.force_login(editor)
    response = client.get("/admin/jobs/")
    assert response.status_code == 200
    assert b"EPUB writer: missing cover" in response.content
    assert b"tests.add" in response.content
    failed_only = client.get("/admin/jobs/?status=failed").content
    assert b"tests.add" not in failed_only and b"tests.fail" in failed_only
