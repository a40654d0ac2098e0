"""A worker process killed mid-job (SIGKILL: no chance to clean up) on the database backend: the
next worker to start finds the job, puts it back in the queue and finishes it; a job out of
attempts is failed with the reason instead of "running" forever."""
import os
import signal
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings

from communique.jobs import enqueue
from communique.jobs.models import Job

from . import jobs_for_tests  # noqa: F401
from .test_jobs import DATABASE_TASKS, _wait_for

WORKER = (
    "import sys, django; django.setup(); import communique.jobs.tests.jobs_for_tests; "
    "from django.core.management import call_command; call_command('worker', *sys.argv[1:])"
)


def _database_url():
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    return f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def _worker(tmp_path, *args):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="communique.settings.dev",
        DATABASE_URL=_database_url(),
        COMMUNIQUE_VAR_DIR=str(tmp_path / "var"),
        COMMUNIQUE_JOBS_BACKEND="database",
        COMMUNIQUE_JOBS_RETRY_SECONDS="0",
    )
    return subprocess.Popen([sys.executable, "-c", WORKER, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_retried_by_the_next_worker(tmp_path):
    marker = tmp_path / "first-attempt"
    with override_settings(COMMUNIQUE_JOBS_BACKEND="database", TASKS=DATABASE_TASKS):
        job = enqueue("tests.crash_once", marker=str(marker))
    first = _worker(tmp_path, "--no-scheduler", "--interval", "0.2")
    try:
        _wait_for(lambda: Job.objects.get(pk=job.pk).progress == 25, timeout=120)
        running = Job.objects.get(pk=job.pk)
        assert running.status == Job.RUNNING and running.worker.endswith(f":{first.pid}")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert Job.objects.get(pk=job.pk).status == Job.RUNNING  # nobody has noticed yet

    second = _worker(tmp_path, "--burst", "--no-scheduler")
    output = second.communicate(timeout=300)[0].decode()
    assert second.returncode == 0, output
    assert "Recovered 1 job(s)" in output
    job.refresh_from_db()
    assert job.status == Job.SUCCEEDED, (job.message, job.error, output)
    assert job.attempts == 2 and job.result == {"finished_after_restart": True}


@pytest.mark.django_db(transaction=True)
def test_a_killed_job_out_of_attempts_fails_with_the_reason(tmp_path):
    marker = tmp_path / "first-attempt"
    with override_settings(COMMUNIQUE_JOBS_BACKEND="database", TASKS=DATABASE_TASKS):
        job = enqueue("tests.crash_once", marker=str(marker), max_attempts=1)
    first = _worker(tmp_path, "--no-scheduler", "--interval", "0.2")
    try:
        _wait_for(lambda: Job.objects.get(pk=job.pk).progress == 25, timeout=120)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    second = _worker(tmp_path, "--burst", "--no-scheduler")
    output = second.communicate(timeout=300)[0].decode()
    assert second.returncode == 0, output
    job.refresh_from_db()
    assert job.status == Job.FAILED
    assert "stopped before the job finished" in job.error and "1 of 1 attempt(s)" in job.error
    assert job.finished_at is not None
