"""Fault tests (issue 8), the other two long kinds of work: a job worker killed (SIGKILL) in the
middle of an issue's edition build, and an import process killed in the middle of a WordPress
export. After the restart nothing partial is visible or served, the job says what happened, and a
retry succeeds (for the job, the next worker retries it by itself)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from communique.jobs import enqueue
from communique.jobs.models import Job

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WXR = Path(__file__).resolve().parents[2] / "communique" / "importers" / "tests" / "fixtures" / "wxr" / "export.xml"


def _database_url():
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    return f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"


def _env(var_dir, **extra):
    return dict(os.environ, DJANGO_SETTINGS_MODULE="communique.settings.dev", DATABASE_URL=_database_url(),
                COMMUNIQUE_VAR_DIR=str(var_dir), COMMUNIQUE_JOBS_BACKEND="database", COMMUNIQUE_JOBS_RETRY_SECONDS="0",
                RESEARCH_EXTRACT_ON_PUBLISH="0", **extra)


def _wait(condition, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_kill_the_worker_mid_edition_build(tmp_path, client, settings):
    from communique.editions.models import Edition
    from communique.magazine.tests.factories import build_magazine

    settings.PRIVATE_ROOT = tmp_path / "var" / "private"  # the worker process's, from COMMUNIQUE_VAR_DIR
    issue = build_magazine(n_articles=4, with_images=False)["issue"]
    with override_settings(COMMUNIQUE_JOBS_BACKEND="database", TASKS=DATABASE_TASKS):
        job = enqueue("editions.build_issue", issue_id=issue.pk, formats=["pdf"])
    worker = subprocess.Popen([sys.executable, "-m", "communique.cli", "worker", "--no-scheduler", "--interval", "0.2"],
                              env=_env(tmp_path / "var"), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        # Killed while the PDF is being written: the job has said so and no file is in place yet.
        assert _wait(lambda: Job.objects.get(pk=job.pk).message.startswith("Writing PDF")), Job.objects.get(pk=job.pk).message
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert Job.objects.get(pk=job.pk).status == Job.RUNNING
    assert not Edition.objects.filter(page=issue, format="pdf").exclude(file="").exists()
    from django.urls import reverse

    url = reverse("editions:issue_download", args=[issue.pk, "pdf"])
    assert client.get(url).status_code == 404  # nothing half-built is served

    restarted = subprocess.run([sys.executable, "-m", "communique.cli", "worker", "--burst", "--no-scheduler"],
                               env=_env(tmp_path / "var"), capture_output=True, text=True, timeout=600)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    finished = Job.objects.get(pk=job.pk)
    assert finished.status == Job.SUCCEEDED and finished.attempts == 2, (finished.message, finished.error)
    edition = Edition.objects.get(page=issue, format="pdf")
    final = Path(settings.PRIVATE_ROOT) / edition.file
    assert final.read_bytes().startswith(b"%PDF")
    assert not list(final.parent.glob(".building-*")), "the killed build's half-written file is still there"
    assert client.get(url).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_kill_the_import_midway(tmp_path):
    from communique.magazine.models import ArticlePage
    from communique.magazine.tests.factories import build_magazine

    build_magazine(n_articles=1, with_images=False)  # the magazine the export goes into
    env = _env(tmp_path / "var")
    before = ArticlePage.objects.count()
    # A slow disk or a huge export: the importer is killed after it has started writing pages.
    importer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, django; django.setup()\n"
        "from communique.importers import to_wagtail\n"
        "real = to_wagtail.save_document\n"
        "def slow(*a, **k):\n"
        "    page = real(*a, **k)\n"
        "    print('saved', flush=True)\n"
        "    time.sleep(30)\n"
        "    return page\n"
        "to_wagtail.save_document = slow\n"
        "from django.core.management import call_command\n"
        f"call_command('import', 'wordpress', {str(WXR)!r})\n"
    )], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = importer.stdout.readline()
        assert "saved" in line, line + importer.stdout.read()
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.wait(timeout=30)
    assert ArticlePage.objects.count() == before, "a killed import left part of the export behind"
    from wagtail.images import get_image_model

    media = tmp_path / "var" / "media"
    Image = get_image_model()
    orphans = [p.relative_to(media).as_posix() for p in (media / "original_images").iterdir()]
    assert orphans and not Image.objects.filter(file__in=orphans).exists()  # files of a dead import

    # The next import (and every worker's clock) first removes what a killed import wrote.
    again = subprocess.run([sys.executable, "-m", "communique.cli", "import", "wordpress", str(WXR)],
                           env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert ArticlePage.objects.count() > before
    on_disk = {p.relative_to(media).as_posix() for p in (media / "original_images").iterdir()}
    referenced = set(Image.objects.filter(file__in=on_disk).values_list("file", flat=True))
    assert on_disk == referenced, f"files no image refers to: {on_disk - referenced}"
    assert not list((tmp_path / "var" / "import-journals").glob("*.journal"))
