"""Fault tests (issue 8): kill the process mid-kit-build and mid-upload parse. After the restart's
recovery nothing partial is visible or served, the job says why it failed, and a retry succeeds."""
import multiprocessing
import os
import signal
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communique.books.tests.conftest import SMALL_MD


def _wait_for(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


_inherited = []


def _run_job_in_child(job_id):
    from django.db import connections

    # The child needs its own connections. Closing the inherited ones would end the parent's
    # PostgreSQL session (they share the socket), so drop them unclosed, kept from the GC.
    _inherited.extend(c.connection for c in connections.all() if c.connection is not None)
    for c in connections.all():
        c.connection = None
    from communique.jobs import runner

    runner.run_job(job_id)
    os._exit(0)


@pytest.mark.django_db(transaction=True)
def test_kill_the_worker_mid_kit_build(client, author):
    from communique.books import services
    from communique.books.models import Book, KitBuild
    from communique.jobs import api, runner
    from communique.jobs.models import Job

    book = Book.objects.create(owner=author, title="Killed")
    ms = services.import_manuscript(book, SimpleUploadedFile("book.md", SMALL_MD.encode()), author)
    original = api.dispatch
    api.dispatch = lambda job, backend: None  # queued, for the "worker" below to run
    try:
        build = services.start_build(book, ms, author)
    finally:
        api.dispatch = original
    worker = multiprocessing.get_context("fork").Process(target=_run_job_in_child, args=(build.job_id,))
    worker.start()
    try:
        # Kill it once the interior is written and the covers are being drawn.
        assert _wait_for(lambda: Job.objects.get(pk=build.job_id).progress >= 45), "the build never got going"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.join(10)

    assert runner.recover_orphans() >= 1  # what a restarted worker does first
    job = Job.objects.get(pk=build.job_id)
    build.refresh_from_db()
    assert job.status == Job.FAILED and "stopped" in job.error
    assert build.state == KitBuild.State.FAILED and build.error
    parent = build.folder_path.parent
    assert not parent.exists() or not [p.name for p in parent.iterdir() if p.name.startswith(".")]
    assert not build.folder_path.exists()
    client.force_login(author)
    page = client.get(reverse("books:build", args=[book.public_id, build.public_id])).content.decode()
    assert ">Failed</strong>" in page
    assert client.get(reverse("books:build_zip", args=[book.public_id, build.public_id])).status_code == 404

    retry = services.start_build(book, ms, author)  # inline: has run on return
    assert retry.state == KitBuild.State.DONE, retry.error
    assert (retry.folder_path / "ebook.epub").is_file()


def _slow_read(staged, tmpdir, name, kind):
    from pathlib import Path

    Path(tmpdir, "..", "reader.pid").resolve().write_text(str(os.getpid()))
    time.sleep(120)


@pytest.mark.django_db
def test_kill_the_reader_mid_upload_parse(client, author, monkeypatch, tmp_path):
    from communique.books import services
    from communique.books.models import Book, Manuscript
    from communique.jobs import api, runner
    from communique.jobs.models import Job

    book = Book.objects.create(owner=author, title="Killed read")
    monkeypatch.setattr(api, "dispatch", lambda job, backend: None)
    ms = services.receive_manuscript(book, SimpleUploadedFile("book.md", SMALL_MD.encode()), author)
    stored = ms.path
    monkeypatch.setattr(services, "_read_report", _slow_read)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pid_file = tmp_path / "reader.pid"

    def killer():
        if _wait_for(pid_file.exists, 60):
            time.sleep(0.2)
            os.kill(int(pid_file.read_text()), signal.SIGKILL)

    thread = threading.Thread(target=killer)
    thread.start()
    runner.run_job(ms.job_id)
    thread.join()

    job = Job.objects.get(pk=ms.job_id)
    ms.refresh_from_db()
    assert job.status == Job.FAILED and "interrupted" in job.public_error
    assert ms.state == Manuscript.State.FAILED and not stored.exists()
    assert book.latest_manuscript is None
    assert [p.name for p in tmp_path.iterdir()] == ["reader.pid"]  # no staging folder left

    monkeypatch.undo()
    client.force_login(author)
    response = client.post(reverse("books:upload", args=[book.public_id]),
                           {"file": SimpleUploadedFile("book.md", SMALL_MD.encode())})
    assert response.status_code == 302
    assert book.latest_manuscript is not None and book.latest_manuscript.state == Manuscript.State.READY


@pytest.mark.django_db
def test_upload_whose_reader_job_died_fails_after_recovery(author, monkeypatch):
    """A worker killed while it ran the reading job: recovery fails the job and the upload."""
    from communique.books import services
    from communique.books.models import Book, Manuscript
    from communique.jobs import api, runner
    from communique.jobs.models import Job

    book = Book.objects.create(owner=author, title="Dead reader")
    monkeypatch.setattr(api, "dispatch", lambda job, backend: None)
    ms = services.receive_manuscript(book, SimpleUploadedFile("book.md", SMALL_MD.encode()), author)
    proc = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    proc.start()
    proc.join()
    Job.objects.filter(pk=ms.job_id).update(status=Job.RUNNING, worker=f"{runner.HOST}:{proc.pid}")
    runner.recover_orphans()
    ms.refresh_from_db()
    assert ms.state == Manuscript.State.FAILED and ms.error and not ms.file
