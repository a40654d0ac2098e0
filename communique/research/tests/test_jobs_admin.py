import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from communique.jobs.models import Job
from communique.research.models import Entity, EntityName, Mention, Source

from .articles import LAVROV, magazine_with_articles

pytestmark = pytest.mark.django_db


def test_publishing_an_article_queues_extraction_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mag, pages = magazine_with_articles([LAVROV])
    job = Job.objects.filter(kind="research.extract_page").latest("pk")
    assert job.status == Job.SUCCEEDED, job.error if hasattr(job, "error") else job
    source = Source.objects.get(page=pages[0])
    assert source.mentions.filter(entity__name="Shah Mahmood Qureshi").exists()


def test_archive_command_reads_every_live_article(capsys):
    mag, pages = magazine_with_articles([LAVROV])
    call_command("research_archive", "extract")
    assert "0 failed" in capsys.readouterr().out
    assert Source.objects.filter(page__in=[p.pk for p in pages]).count() == 1
    assert Source.objects.count() == len(mag["articles"]) + 1


@pytest.fixture
def editor_client(client):
    user = User.objects.create_superuser("editor", "editor@example.org", "pw-editor-123")
    client.force_login(user)
    return client


def test_admin_merge_confirm_reject_and_split(editor_client):
    a = Entity.objects.create(kind="person", name="S. Lavrov", status="suggested")
    b = Entity.objects.create(kind="person", name="Sergey Lavrov", status="confirmed")
    c = Entity.objects.create(kind="person", name="Lavrof", status="suggested")
    listing = editor_client.get("/admin/snippets/research/entity/")
    assert listing.status_code == 200 and "Split" in listing.content.decode()

    url = f"/admin/bulk/research/entity/research_merge/?id={a.pk}&id={b.pk}&next=/admin/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"target": b.pk})
    assert response.status_code == 302
    assert not Entity.objects.filter(pk=a.pk).exists()
    assert "S. Lavrov" in Entity.objects.get(pk=b.pk).all_names()

    editor_client.post(f"/admin/bulk/research/entity/research_reject/?id={c.pk}&next=/admin/", {})
    assert Entity.objects.get(pk=c.pk).status == "rejected"
    d = Entity.objects.create(kind="place", name="Lahore", status="suggested")
    editor_client.post(f"/admin/bulk/research/entity/research_confirm/?id={d.pk}&next=/admin/", {})
    assert Entity.objects.get(pk=d.pk).status == "confirmed"

    response = editor_client.post(f"/admin/research/entity/{b.pk}/split/", {"names": ["S. Lavrov"], "new_name": ""})
    assert response.status_code == 302
    assert Entity.objects.filter(name="S. Lavrov", kind="person").exists()
    assert "S. Lavrov" not in Entity.objects.get(pk=b.pk).all_names()
    bad = editor_client.post(f"/admin/research/entity/{b.pk}/split/", {"names": ["Sergey Lavrov"]})
    assert bad.status_code == 200 and "must stay" in bad.content.decode()


def test_admin_actions_need_the_permission(client):
    user = User.objects.create_user("reader", password="pw-reader-123")
    client.force_login(user)
    e = Entity.objects.create(kind="person", name="X Y", status="suggested")
    assert client.post(f"/admin/research/entity/{e.pk}/split/", {"names": ["X Y"]}).status_code in (302, 403)
    assert client.post("/admin/research/extract-archive/").status_code in (302, 403)
    assert not Job.objects.filter(kind="research.extract_archive").exists()


def test_admin_starts_the_archive_job(editor_client):
    assert editor_client.get("/admin/research/extract-archive/").status_code == 200
    response = editor_client.post("/admin/research/extract-archive/")
    assert response.status_code == 302
    assert Job.objects.get(kind="research.extract_archive").status == Job.SUCCEEDED
