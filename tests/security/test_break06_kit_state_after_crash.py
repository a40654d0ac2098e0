"""Issue 8, break 6: after a crash mid-kit-build the job was failed (by the restart's recovery)
but the kit said "Building" forever and a partial folder stayed on disk. Issue 12, defect 10: the
kit page said "State: Queued." while its progress bar was at 55%."""
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.fixture
def crashed(author):
    """A kit build whose worker died at 55%: the row says Building, the job says running, and
    the kit's temporary build folder (and a half-written zip) are on disk."""
    from communique.books.models import Book, KitBuild, Manuscript
    from communique.books.services import kit_folder
    from communique.jobs.models import Job
    from communique.jobs.runner import HOST

    book = Book.objects.create(owner=author, title="Crashed")
    ms = Manuscript(book=book, original_name="b.md", kind="markdown", size=10, uploaded_by=author)
    ms.file.save("m.md", ContentFile(b"# One\n\nWords.\n"), save=True)
    build = KitBuild.objects.create(book=book, manuscript=ms, requested_by=author,
                                    state=KitBuild.State.RUNNING, percent=55, message="Drawing the eBook cover")
    build.folder = kit_folder(build)
    job = Job.objects.create(kind="books.build_kit", owner=author, target=build, status=Job.RUNNING, progress=55,
                             message="Drawing the eBook cover", worker=f"{HOST}:{_dead_pid()}",
                             args={"build_id": str(build.public_id)},
                             # its last attempt: with attempts left the next worker builds it again
                             # (communique/jobs/tests/test_worker_killed.py)
                             attempts=3, max_attempts=3)
    build.job_id = str(job.pk)
    build.save()
    parent = build.folder_path.parent
    parent.mkdir(parents=True, exist_ok=True)
    partial = parent / f".{build.folder_path.name}.building-deadbeef"
    partial.mkdir()
    (partial / "interior.pdf").write_bytes(b"%PDF-1.7 half")
    half_zip = parent / f".{build.folder_path.name}.x1y2.zip.partial"
    half_zip.write_bytes(b"PK")
    return build, job, [partial, half_zip]


def test_restart_recovery_fails_the_kit_and_removes_partial_files(crashed):
    from communique.books.models import KitBuild
    from communique.jobs import runner

    build, job, leftovers = crashed
    assert runner.recover_orphans() == 1
    job.refresh_from_db()
    build.refresh_from_db()
    assert job.status == job.FAILED
    assert build.state == KitBuild.State.FAILED, build.state
    assert build.error and "/" not in build.error
    assert not any(p.exists() for p in leftovers)


def test_kit_page_follows_a_failed_job(client, author, crashed):
    from communique.books.models import KitBuild
    from communique.jobs.models import Job

    build, job, leftovers = crashed
    Job.objects.filter(pk=job.pk).update(status=Job.FAILED, message="Failed: Interrupted")
    client.force_login(author)
    page = client.get(reverse("books:build", args=[build.book.public_id, build.public_id])).content.decode()
    assert ">Building</strong>" not in page and ">Failed</strong>" in page
    build.refresh_from_db()
    assert build.state == KitBuild.State.FAILED
    assert not any(p.exists() for p in leftovers)
    detail = client.get(reverse("books:detail", args=[build.book.public_id])).content.decode()
    assert "<td>Building" not in detail and "<td>Failed" in detail


def test_kit_page_never_says_queued_beside_a_running_bar(client, author, crashed):
    """Defect 10: the row is still "queued" while the job already reports 55%."""
    from communique.books.models import KitBuild

    build, job, _ = crashed
    KitBuild.objects.filter(pk=build.pk).update(state=KitBuild.State.QUEUED, percent=0)
    job.worker = f"{job.worker.rpartition(':')[0]}:1"  # alive: pid 1
    job.save()
    client.force_login(author)
    page = client.get(reverse("books:build", args=[build.book.public_id, build.public_id])).content.decode()
    assert 'value="55"' in page
    assert "State: <strong" in page and "Queued.</strong>" not in page and ">Building</strong>" in page
    # and the polling script updates the same label when the job moves on
    assert 'data-job-state-for="' in page and 'data-running="Building"' in page
