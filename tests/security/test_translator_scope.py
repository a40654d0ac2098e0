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


# ---- the translator's desk (issue 9) ------------------------------------------------------------


def _desk_work(editor, mag, translator=None, code="es"):
    from communique.translation import page_work

    return page_work.start(mag["articles"][0], Locale.objects.get(language_code=code), editor, translator)


DESK_URLS = ("translation_desk", "translation_status")


def test_authors_contributors_and_readers_cannot_reach_the_desk(client, author, contributor, editor, mag):
    work = _desk_work(editor, mag)
    urls = [reverse(n) for n in DESK_URLS] + [reverse("translation_page_work", args=[work.pk])]
    for user in (None, author, contributor):
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            r = client.get(url)
            assert r.status_code in (302, 403, 404), (user, url, r.status_code)
            if r.status_code == 302:
                from urllib.parse import urlsplit

                assert not urlsplit(r["Location"]).path.startswith("/admin/desk"), (user, url, r["Location"])
            assert mag["articles"][0].title.encode() not in r.content
        rec = work.segments.get(context="title")
        r = client.post(reverse("translation_page_work", args=[work.pk]),
                        {"action": "save", "segment": rec.pk, "target": "hacked"})
        assert r.status_code in (302, 403, 404)
        rec.refresh_from_db()
        assert rec.state == "new"


def test_translators_cannot_assign_approve_or_publish(client, translator, editor, mag):
    from communique.translation.page_work import translated_page

    work = _desk_work(editor, mag, translator)
    client.force_login(translator)
    r = client.post(reverse("translation_assign"), {"page": mag["articles"][1].pk,
                                                   "locale": Locale.objects.get(language_code="fr").pk})
    assert r.status_code in (302, 403)
    from communique.translation.page_models import PageTranslationWork

    assert PageTranslationWork.objects.count() == 1
    url = reverse("translation_page_work", args=[work.pk])
    rec = work.segments.get(context="title")
    client.post(url, {"action": "save", "segment": rec.pk, "target": "Título"})
    for action in ("approve", "review"):
        client.post(url, {"action": action, "segment": rec.pk, "override": "1"})
    rec.refresh_from_db()
    assert rec.state == "translated"
    client.post(url, {"action": "approve_page"})
    client.post(url, {"action": "publish", "override": "1"})
    assert not translated_page(work).live
    # Nor through the page editor (wagtail-localize's string editor): a translator is sent to the desk.
    page = translated_page(work)
    r = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert r.status_code == 302 and r["Location"] == url
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action-publish": "1"})
    page.refresh_from_db()
    assert not page.live


def test_translator_only_sees_their_own_books(client, translator, editor, django_user_model):
    from communique.books.models import Book
    from communique.translation.models import TranslatedEdition

    book = Book.objects.create(owner=editor, title="Someone Else's Book")
    theirs = TranslatedEdition.objects.create(book=book, language="fr", translator=editor)
    client.force_login(translator)
    assert b"Someone Else" not in client.get(reverse("translation_desk")).content
    assert client.get(reverse("translation_edition_work", args=[theirs.public_id])).status_code == 404
