"""Issue 8 break 12: translators could edit drafts of any page, English originals and live pages
included. Now a translator edits only translations in progress (not the original, not live) and the
explorer lists only translation work."""
import pytest
from django.urls import reverse
from wagtail.models import Locale

pytestmark = pytest.mark.django_db


def _draft_translation(page, code="ur"):
    translated = page.specific.copy_for_translation(Locale.objects.get(language_code=code), copy_parents=True)
    return type(translated.specific).objects.get(pk=translated.pk)


def _edit_post(client, page):
    from communique.core.tests.test_roles import _article_form

    data = _article_form("Edited by the translator", authors=[], action=None)
    data["slug"] = page.slug
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_translator_cannot_open_or_save_the_english_original(client, translator, mag):
    article = mag["articles"][0]
    client.force_login(translator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code in (302, 403)
    revisions = article.revisions.count()
    response = _edit_post(client, article)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert reverse("wagtailadmin_pages:edit", args=[article.pk]) not in response["Location"]
    assert article.revisions.count() == revisions
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, article.latest_revision.pk])
    assert client.get(revert).status_code in (302, 403)


def test_translator_cannot_edit_a_live_translation(client, translator, mag):
    from communique.magazine.tests.factories import translate_page

    live = translate_page(mag["articles"][0], "ur")
    assert live.live
    client.force_login(translator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[live.pk])).status_code in (302, 403)


def test_translator_edits_a_translation_in_progress(client, translator, mag):
    draft = _draft_translation(mag["articles"][1])
    assert not draft.live
    client.force_login(translator)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).status_code == 200


def test_editors_still_edit_originals(client, editor, mag):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[mag["articles"][0].pk])).status_code == 200


def test_translator_explorer_lists_translations_only(client, translator, mag):
    from wagtail.models import Page

    _draft_translation(mag["articles"][1])
    client.force_login(translator)
    root = Page.get_first_root_node()
    html = client.get(reverse("wagtailadmin_explore", args=[root.pk])).content.decode()
    assert "The Diplomatic Insight" in html  # the Urdu home (a copy keeps the English title until translated)
    en_home = mag["home"]
    assert reverse("wagtailadmin_explore", args=[en_home.pk]) not in html
