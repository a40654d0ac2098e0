"""Newsroom roles (data migration + setup_roles) and the editorial workflow they allow:
contributors draft and submit but cannot publish, editors publish and schedule, revisions are
kept and restorable. Pages are created and edited through the Wagtail admin views, as people do."""
from datetime import timedelta

from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from communique.core.roles import ROLES
from communique.magazine.models import ArticlePage
from communique.magazine.tests.factories import build_magazine

pytestmark = pytest.mark.django_db


def _user(name, *groups):
    user = User.objects.create_user(name, f"{name}@example.org", "pw-" + name)
    for group in groups:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


def _article_form(title, *, go_live_at="", authors=(), action="action-publish"):
    data = nested_form_data(
        {
            "title": title,
            "slug": "",
            "standfirst": "A standfirst.",
            "date": timezone.now().strftime("%Y-%m-%d %H:%M"),
            "lead_image": "",
            "lead_image_alt": "",
            "lead_image_caption": "",
            "lead_image_credit": "",
            "body": streamfield([("paragraph", rich_text(f"<p>Body of {title}.</p>"))]),
            "tags": "",
            "article_authors": inline_formset([{"author": a.pk} for a in authors]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": go_live_at,
            "expire_at": "",
        }
    )
    from django.utils.text import slugify

    data["slug"] = slugify(title)
    if action:
        data[action] = action
    return data


def _create(client, parent, data):
    url = reverse("wagtailadmin_pages:add", args=("magazine", "articlepage", parent.pk))
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # the form came back: show why
        form = response.context.get("form")
        raise AssertionError(f"admin form rejected: {form.errors if form else response.content[:500]}")
    return ArticlePage.objects.get(slug=data["slug"])


@pytest.fixture
def mag():
    return build_magazine(n_articles=2, sections=("OpEd", "News"), with_images=False)


def test_data_migration_created_groups_and_locales():
    for name in ("Editors", "Contributors", "Translators", "Authors"):
        assert Group.objects.filter(name=name).exists(), name
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"en", "ur", "ar", "fa", "zh-hans", "ru", "fr", "es", "de", "tr", "hi"} <= codes

    root = Page.get_first_root_node()

    def page_perms(group):
        return set(
            GroupPagePermission.objects.filter(group__name=group, page=root).values_list(
                "permission__codename", flat=True
            )
        )

    assert {"add_page", "change_page", "publish_page"} <= page_perms("Editors")
    assert page_perms("Contributors") == {"add_page", "change_page"}
    assert page_perms("Translators") == {"change_page"}
    assert page_perms("Authors") == set()
    assert not Group.objects.get(name="Authors").permissions.filter(codename="access_admin").exists()
    assert Group.objects.get(name="Contributors").permissions.filter(codename="access_admin").exists()


def test_setup_roles_is_idempotent_and_repairs_drift():
    call_command("setup_roles", verbosity=0)
    before = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Locale.objects.count(),
        sorted(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)),
    )
    call_command("setup_roles", verbosity=0)
    after = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Locale.objects.count(),
        sorted(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)),
    )
    assert before == after

    # Someone grants contributors "publish" by hand: the command takes it away again.
    GroupPagePermission.objects.create(
        group=Group.objects.get(name="Contributors"), page=Page.get_first_root_node(), permission_type="publish"
    )
    call_command("setup_roles", verbosity=0)
    assert not GroupPagePermission.objects.filter(
        group__name="Contributors", permission__codename="publish_page"
    ).exists()
    assert set(ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_contributor_drafts_but_cannot_publish(mag):
    contributor, client = _user("casey", "Contributors")
    section = mag["section"]["oped"]

    page = _create(client, section, _article_form("Contributor tries to publish", authors=mag["authors"][:1]))
    page.refresh_from_db()
    assert not page.live
    assert page.has_unpublished_changes
    assert page.latest_revision is not None and page.latest_revision.user == contributor
    assert page.first_published_at is None
    assert not page.permissions_for_user(contributor).can_publish()

    # Editing an existing live article and asking to publish only saves a draft.
    live = mag["articles"][0]
    edit_url = reverse("wagtailadmin_pages:edit", args=(live.pk,))
    data = _article_form("Rewritten by contributor", authors=mag["authors"][:1])
    data["slug"] = live.slug
    response = client.post(edit_url, data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title != "Rewritten by contributor"
    assert live.live and live.has_unpublished_changes
    assert live.latest_revision.as_object().title == "Rewritten by contributor"

    # Submitting for moderation starts the workflow; an editor can approve it, the contributor cannot.
    data = _article_form("Submitted for review", authors=mag["authors"][:1], action="action-submit")
    submitted = _create(client, section, data)
    state = submitted.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert not submitted.live
    task = state.current_task_state.task.specific
    editor, _ = _user("edna", "Editors")
    assert any(name == "approve" for name, *_ in task.get_actions(submitted, editor))
    assert not task.get_actions(submitted, contributor)


def test_editor_publishes_and_schedules(mag):
    editor, client = _user("edna", "Editors")
    section = mag["section"]["news"]

    page = _create(client, section, _article_form("Published by the editor", authors=mag["authors"][:1]))
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert Client().get(page.url).status_code == 200

    future = timezone.now() + timedelta(days=2)
    scheduled = _create(
        client, section, _article_form("Scheduled piece", go_live_at=future.strftime("%Y-%m-%d %H:%M"))
    )
    scheduled.refresh_from_db()
    assert not scheduled.live
    revision = scheduled.latest_revision
    assert revision.approved_go_live_at is not None
    assert Client().get(section.url + scheduled.slug + "/").status_code == 404

    call_command("publish_scheduled", verbosity=0)
    scheduled.refresh_from_db()
    assert not scheduled.live, "published before its go-live time"

    # Time passes: run the command with the clock moved past the go-live time.
    later = future + timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
    scheduled.refresh_from_db()
    assert scheduled.live
    assert Client().get(scheduled.url).status_code == 200


def test_revisions_are_kept_and_restorable(mag):
    editor, client = _user("edna", "Editors")
    article = mag["articles"][0]
    original_title = article.title
    edit_url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    for title in ("Second version", "Third version"):
        data = _article_form(title, authors=mag["authors"][:1])
        data["slug"] = article.slug
        assert client.post(edit_url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Third version"
    revisions = list(article.revisions.order_by("created_at", "pk"))
    assert len(revisions) >= 3
    first = revisions[0]
    assert first.as_object().title == original_title

    # The admin's revisions screen and its "review this revision" editor are available.
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=(article.pk, first.pk))
    assert client.get(revert_url).status_code == 200

    # Restore: a new revision whose content is the old one, recorded as a revert, then published.
    restored = first.as_object().save_revision(user=editor, previous_revision=first)
    restored.publish(user=editor, previous_revision=first)
    article.refresh_from_db()
    assert article.title == original_title
    assert article.revisions.count() == len(revisions) + 1
    assert Client().get(article.url).content.decode().count(original_title) >= 1


def test_translator_edits_but_cannot_publish(mag):
    translator, client = _user("tara", "Translators")
    article = mag["articles"][0]
    perms = article.permissions_for_user(translator)
    assert perms.can_edit()
    assert not perms.can_publish()
    assert translator.has_perm("simple_translation.submit_translation")


def test_authors_group_has_no_admin(mag):
    _, client = _user("arif", "Authors")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]
    _, editor_client = _user("edna", "Editors")
    assert editor_client.get("/admin/").status_code == 200


def test_preview_shows_unsaved_changes_without_publishing(mag):
    for name, group in (("edna", "Editors"), ("casey", "Contributors")):
        _, client = _user(name, group)
        article = mag["articles"][0]
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
        data = _article_form(f"Previewed by {name}", authors=mag["authors"][:1], action=None)
        data["slug"] = article.slug
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.json()["is_valid"] is True
        preview = client.get(url)
        assert preview.status_code == 200
        html = preview.content.decode()
        assert f"<h1>Previewed by {name}</h1>" in html
        assert 'aria-label="Breadcrumb"' in html
        article.refresh_from_db()
        assert article.title != f"Previewed by {name}"
        assert f"Previewed by {name}" not in Client().get(article.url).content.decode()


def test_preview_of_a_new_article_before_its_first_save(mag):
    _, client = _user("casey", "Contributors")
    section = mag["section"]["oped"]
    url = reverse("wagtailadmin_pages:preview_on_add", args=("magazine", "articlepage", section.pk))
    data = _article_form("Not saved yet", authors=mag["authors"][:1], action=None)
    assert client.post(url, data).json()["is_valid"] is True
    html = client.get(url).content.decode()
    assert "<h1>Not saved yet</h1>" in html
    assert not ArticlePage.objects.filter(title="Not saved yet").exists()
