"""Editors and the admin (issue 12, defect 16): submitted books are announced in the Wagtail
admin (a Books menu item with the count, a dashboard panel), a kit build reads as its book in
the job list, admin avatars never ask Gravatar, and the portal has no inline style block (its
forms are styled by the site stylesheet)."""
import pytest
from django.contrib.auth.models import Group, Permission

from communique.books.models import Book, KitBuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_editor(django_user_model):
    user = django_user_model.objects.create_user("edith", password="pw-edith-123", email="edith@example.org")
    user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def submitted(django_user_model):
    author = django_user_model.objects.create_user("sam", password="pw-sam-123")
    return Book.objects.create(owner=author, title="Letters from Kabul", status=Book.Status.SUBMITTED)


def test_admin_menu_and_dashboard_announce_submitted_books(client, admin_editor, submitted):
    client.force_login(admin_editor)
    html = client.get("/admin/").content.decode()
    assert "Books (1 submitted)" in html
    assert "Books submitted for approval" in html
    assert "Letters from Kabul" in html
    assert "gravatar.com" not in html


def test_no_books_waiting_means_no_panel(client, admin_editor):
    client.force_login(admin_editor)
    html = client.get("/admin/").content.decode()
    assert "Books submitted for approval" not in html
    assert '"/portal/"' in html  # the Books menu item is there, without a count


def test_kit_build_reads_as_its_book(submitted):
    from communique.books.models import Manuscript

    manuscript = Manuscript.objects.create(book=submitted, file="x.md", original_name="x.md", kind="markdown")
    build = KitBuild.objects.create(book=submitted, manuscript=manuscript)
    assert str(build) == "Kit for “Letters from Kabul” (queued)"


def test_portal_uses_the_site_stylesheet_not_an_inline_style(client, admin_editor):
    client.force_login(admin_editor)
    html = client.get("/portal/").content.decode()
    assert "/static/css/communique.css" in html
    assert "<style>" not in html


def test_admin_menu_links_editors_to_authors_and_exchange_rates(client, admin_editor, django_user_model):
    client.force_login(admin_editor)
    html = client.get("/admin/").content.decode()
    assert "/portal/authors/" in html and "/portal/exchange-rates/" in html
    contributor = django_user_model.objects.create_user("cora", password="pw-cora-123")
    contributor.groups.add(Group.objects.get_or_create(name="Contributors")[0])
    contributor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(contributor)
    html = client.get("/admin/").content.decode()
    assert "/portal/exchange-rates/" not in html and "/portal/authors/" not in html
