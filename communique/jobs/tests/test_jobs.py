import os
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.utils import timezone

from communique.jobs import enqueue, registry, runner
from communique.jobs.backends import get_backend, reset_backends
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
            get_backend()


def test_restart_recovery_marks_dead_processes_jobs_failed(db):
    long_ago = timezone.now() - timedelta(days=1)
    dead_pid = _dead_pid()
    here_dead = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker=f"{runner.HOST}:{dead_pid}", started_at=long_ago)
    here_alive = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker=f"{runner.HOST}:{os.getppid()}", started_at=long_ago, heartbeat_at=long_ago)
    elsewhere_stale = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker="other-host:123", started_at=long_ago, heartbeat_at=long_ago)
    elsewhere_fresh = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker="other-host:124", started_at=long_ago, heartbeat_at=timezone.now())
    queued = Job.objects.create(kind="tests.add")

    assert runner.recover_orphans(stale_after=3600) == 2
    for job in (here_dead, elsewhere_stale):
        job.refresh_from_db()
        assert job.status == Job.FAILED
        assert "stopped before the job finished" in job.error
        assert job.finished_at is not None
    for job, status in ((here_alive, Job.RUNNING), (elsewhere_fresh, Job.RUNNING), (queued, Job.QUEUED)):
        job.refresh_from_db()
        assert job.status == status


def _dead_pid():
    import subprocess

    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


@pytest.mark.django_db(transaction=True)
def test_thread_backend_runs_jobs_in_the_background():
    reset_backends()
    try:
        with override_settings(COMMUNIQUE_JOBS_BACKEND="thread", COMMUNIQUE_JOBS_THREADS=2):
            jobs_for_tests.gate.clear()
            waiting = enqueue("tests.wait", seconds=20)
            failing = enqueue("tests.fail", why="bad input")
            ok = enqueue("tests.add", a=20, b=22)
            assert waiting.backend == "thread"
            # enqueue returned while the first job is still blocked: it really runs elsewhere.
            _wait_for(lambda: Job.objects.get(pk=waiting.pk).progress == 10)
            assert Job.objects.get(pk=waiting.pk).status == Job.RUNNING
            jobs_for_tests.gate.set()
            for job in (waiting, failing, ok):
                _wait_for(lambda job=job: Job.objects.get(pk=job.pk).done)
            assert Job.objects.get(pk=waiting.pk).status == Job.SUCCEEDED
            assert Job.objects.get(pk=ok.pk).result == {"sum": 42}
            failed = Job.objects.get(pk=failing.pk)
            assert failed.status == Job.FAILED and "bad input" in failed.error
    finally:
        jobs_for_tests.gate.set()
        reset_backends()


@pytest.mark.django_db(transaction=True)
def test_thread_backend_recovers_orphans_on_first_use():
    reset_backends()
    orphan = Job.objects.create(
        kind="tests.add", status=Job.RUNNING, worker=f"{runner.HOST}:{_dead_pid()}", started_at=timezone.now()
    )
    try:
        with override_settings(COMMUNIQUE_JOBS_BACKEND="thread"):
            job = enqueue("tests.add", a=1, b=2)
            _wait_for(lambda: Job.objects.get(pk=job.pk).done)
        orphan.refresh_from_db()
        assert orphan.status == Job.FAILED
        assert "Interrupted" in orphan.message
    finally:
        reset_backends()


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


@pytest.mark.django_db(transaction=True)
def test_thread_backend_web_process_recovers_on_its_first_request(client):
    from django.core.signals import request_started

    from communique.jobs.apps import _recover_on_first_request

    reset_backends()
    orphan = Job.objects.create(kind="tests.add", status=Job.RUNNING, worker=f"{runner.HOST}:{_dead_pid()}")
    request_started.connect(_recover_on_first_request, dispatch_uid="communique.jobs.recover")
    try:
        client.get("/jobs/00000000-0000-0000-0000-000000000000/")
        orphan.refresh_from_db()
        assert orphan.status == Job.FAILED
        # one-shot: later requests do not scan again
        assert not request_started.disconnect(dispatch_uid="communique.jobs.recover")
    finally:
        reset_backends()


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
