"""What each newsroom group can do in Wagtail's admin, as set up by the data migration."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

pytestmark = pytest.mark.django_db


def test_authors_have_no_admin_access_and_no_page_permissions(client, author, mag):
    group = Group.objects.get(name="Authors")
    assert not group.permissions.filter(codename="access_admin").exists()
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not author.has_perm("wagtailadmin.access_admin")
    client.force_login(author)
    article = mag["articles"][0]
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[article.pk]),
                reverse("wagtailadmin_explore", args=[mag["home"].pk]), reverse("wagtailimages:add")):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert response.status_code == 403 or "/admin/login/" in response["Location"], (url, response["Location"])


@pytest.mark.parametrize("role", ["contributor", "translator"])
def test_contributor_and_translator_cannot_publish(client, mag, role, request):
    from communique.magazine.models import ArticlePage

    user = request.getfixturevalue(role)
    assert user.has_perm("wagtailadmin.access_admin")
    article = mag["articles"][0]
    perms = article.permissions_for_user(user)
    assert not perms.can_publish() and not perms.can_unpublish()
    client.force_login(user)

    # The edit view offers no publish action to them...
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    if response.status_code == 200:
        assert b'name="action-publish"' not in response.content
    else:
        assert response.status_code in (302, 403)

    # ...and the unpublish view refuses and leaves the page live.
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    assert ArticlePage.objects.get(pk=article.pk).live



def test_editors_can_publish(mag, editor):
    assert mag["articles"][0].permissions_for_user(editor).can_publish()


def test_translator_and_contributor_edit_drafts_only(mag, contributor, translator):
    # roles.py gives both "change" on the root: they edit any page, and only editors publish it.
    article = mag["articles"][0]
    for user in (contributor, translator):
        perms = article.permissions_for_user(user)
        assert perms.can_edit() and not perms.can_publish() and not perms.can_delete()


def test_moderation_approval_is_editors_only(mag, contributor, translator, editor):
    """Submitting for moderation must not be a way round publish: only Editors are in the approval task."""
    from wagtail.models import GroupApprovalTask

    approvers = set()
    for task in GroupApprovalTask.objects.filter(active=True):
        approvers |= set(task.groups.values_list("name", flat=True))
    assert "Editors" in approvers
    assert not approvers & {"Contributors", "Translators", "Authors"}
