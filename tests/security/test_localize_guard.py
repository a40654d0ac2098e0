"""Issue 9 item 5: wagtail-localize's own views behind the newsroom's roles. Translators may only
translate (its string and override editor, PO files, machine drafts, preview) and only translations
they may edit: not live ones, not desk work. Syncing from the source, submitting, stopping,
converting to an alias, the report and the snippet API are for editors. Contributors and authors
reach none of it."""
import re

import pytest
from django.urls import resolve, reverse
from wagtail.models import Locale

from communique.translation import localize_guard

pytestmark = pytest.mark.django_db


def _refused(response):
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard; a 403 is a refusal too.
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _sample_path(route: str) -> str:
    return "/admin/localize/" + re.sub(r"<int:\w+>", "1", re.sub(r"<(?:str|slug):\w+>", "a", route))


def test_every_wagtail_localize_url_is_classified_and_guarded():
    from wagtail_localize.wagtail_hooks import register_admin_urls

    classified = localize_guard.TRANSLATE | localize_guard.OPEN | localize_guard.REVIEWERS_ONLY
    (resolver,) = register_admin_urls()
    for pattern in resolver.url_patterns:
        assert pattern.name in classified, f"wagtail-localize URL {pattern.name} is not classified in localize_guard"
        match = resolve(_sample_path(str(pattern.pattern)))
        assert getattr(match.func, "guards", None) == pattern.name, (pattern.name, match.view_name)
        # reverse() of wagtail-localize's own names (its templates and JavaScript) lands on the guard too.
    url = reverse("wagtail_localize:edit_string_translation", args=[1, 2])
    assert resolve(url).func.guards == "edit_string_translation"


@pytest.fixture
def localize_draft(mag, editor):
    """An article sent for translation into Urdu through wagtail-localize itself (not the desk)."""
    from wagtail_localize.models import StringSegment, Translation, TranslationSource
    from wagtail_localize.operations import translate_object

    article = mag["articles"][0].specific
    translate_object(article, [Locale.objects.get(language_code="ur")], user=editor)
    source, _ = TranslationSource.get_or_create_from_instance(article)
    translation = Translation.objects.get(source=source, target_locale__language_code="ur")
    segment = StringSegment.objects.filter(source=source, context__path="title").get()
    target = translation.get_target_instance()
    assert not target.live
    return {"article": article, "source": source, "translation": translation, "segment": segment, "target": target}


def _put(client, url, value):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    # As wagtail-localize's editor sends it: a multipart form body on PUT.
    return client.put(url, encode_multipart(BOUNDARY, {"value": value}), content_type=MULTIPART_CONTENT)


def _put_string(client, d, value="عنوان"):
    url = reverse("wagtail_localize:edit_string_translation", args=[d["translation"].pk, d["segment"].pk])
    return _put(client, url, value)


def _translated(d):
    from wagtail_localize.models import StringTranslation

    return StringTranslation.objects.filter(translation_of=d["segment"].string, locale=d["translation"].target_locale,
                                            context=d["segment"].context).first()


def test_translator_translates_a_draft_translation(client, translator, localize_draft):
    d = localize_draft
    client.force_login(translator)
    r = _put_string(client, d)
    assert r.status_code in (200, 201), r.content[:300]
    assert _translated(d).data == "عنوان"
    po = client.get(reverse("wagtail_localize:download_pofile", args=[d["translation"].pk]))
    assert po.status_code == 200 and b"msgid" in po.content
    assert client.get(reverse("wagtail_localize:javascript_catalog")).status_code == 200


def test_translator_cannot_change_a_live_translation_or_desk_work(client, translator, editor, localize_draft, mag):
    d = localize_draft
    d["target"].save_revision(user=editor).publish()
    assert type(d["target"]).objects.get(pk=d["target"].pk).live
    client.force_login(translator)
    assert _refused(_put_string(client, d))
    assert _translated(d) is None

    from communique.translation import page_work

    work = page_work.start(mag["articles"][1], Locale.objects.get(language_code="es"), editor, translator)
    seg = page_work._segment(work, work.segments.get(context="title"))
    url = reverse("wagtail_localize:edit_string_translation", args=[work.translation.pk, seg.pk])
    assert _refused(_put(client, url, "Título"))
    assert work.segments.get(context="title").state == "new"
    assert _refused(client.get(reverse("wagtail_localize:download_pofile", args=[work.translation.pk])))


def _reviewer_only_requests(d, mag):
    author = mag["authors"][0]
    return [
        ("get", reverse("wagtail_localize:submit_page_translation", args=[mag["articles"][1].pk])),
        ("post", reverse("wagtail_localize:submit_page_translation", args=[mag["articles"][1].pk])),
        ("get", reverse("wagtail_localize:submit_snippet_translation", args=["magazine", "author", author.pk])),
        ("get", reverse("wagtail_localize:update_translations", args=[d["source"].pk])),
        ("post", reverse("wagtail_localize:update_translations", args=[d["source"].pk])),
        ("post", reverse("wagtail_localize:stop_translation", args=[d["translation"].pk])),
        ("get", reverse("wagtail_localize:convert_to_alias", args=[d["target"].pk])),
        ("get", reverse("wagtail_localize:translations_report")),
        ("get", reverse("wagtail_localize:translations_report_results")),
        ("get", reverse("wagtail_localize:snippets_api_listing", args=["magazine", "author"])),
        ("get", reverse("wagtail_localize:snippets_api_detail", args=["magazine", "author", author.pk])),
    ]


def test_translator_cannot_sync_submit_stop_convert_or_list(client, translator, localize_draft, mag):
    d = localize_draft
    updated = d["source"].last_updated_at
    client.force_login(translator)
    for method, url in _reviewer_only_requests(d, mag):
        r = getattr(client, method)(url)
        assert _refused(r), (method, url, r.status_code)
        assert mag["authors"][0].name.encode() not in r.content
    d["translation"].refresh_from_db()
    d["source"].refresh_from_db()
    assert d["translation"].enabled and d["source"].last_updated_at == updated
    assert not d["target"].__class__.objects.get(pk=d["target"].pk).alias_of_id


def test_contributors_authors_and_readers_reach_none_of_it(client, contributor, author, localize_draft, mag):
    d = localize_draft
    translate = [reverse("wagtail_localize:download_pofile", args=[d["translation"].pk]),
                 reverse("wagtail_localize:preview_translation", args=[d["translation"].pk])]
    for user in (contributor, author, None):
        client.logout()
        if user:
            client.force_login(user)
        r = _put_string(client, d)
        if user is contributor:
            assert _refused(r), (user, r.status_code)
        else:  # no admin access at all: Wagtail sends them to its sign-in
            assert r.status_code == 302 and "/login/" in r["Location"], (user, r.status_code)
        for url in translate + [u for _, u in _reviewer_only_requests(d, mag)]:
            r = client.get(url)
            assert r.status_code in (302, 403), (user, url, r.status_code)
            if r.status_code == 302:
                assert r["Location"] == "/admin/" or "/login/" in r["Location"], (user, url, r["Location"])
    assert _translated(d) is None


def test_editors_keep_wagtail_localize(client, editor, localize_draft, mag):
    d = localize_draft
    client.force_login(editor)
    assert _put_string(client, d, "ایڈیٹر").status_code in (200, 201)
    assert _translated(d).data == "ایڈیٹر"
    assert client.get(reverse("wagtail_localize:update_translations", args=[d["source"].pk])).status_code == 200
    assert client.get(reverse("wagtail_localize:translations_report")).status_code == 200
