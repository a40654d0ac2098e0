"""Authors and the publication's text on the translator's desk (issue 9 item 2): they are
wagtail-localize translatable snippets, sent to a translator like an article, translated segment by
segment, approved and published by an editor; readers of that language then see the translation,
and the original where there is none."""
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.models import Locale

from communique.magazine.models import Author
from communique.translation.page_models import PageTranslationWork

pytestmark = pytest.mark.django_db

URDU_NAME = "آصف درانی"
URDU_ROLE = "صدر، ادارہ برائے امن"


@pytest.fixture
def mag(db):
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=2, with_images=False, translate_to=("ur",))


def _assign(client, people, value, code="ur"):
    client.force_login(people["editor"])
    r = client.post(reverse("translation_assign"), {"page": value, "locale": Locale.objects.get(language_code=code).pk,
                                                   "translator": people["translator"].pk})
    assert r.status_code == 302, r.content[:500]
    return PageTranslationWork.objects.order_by("-pk").first()


def _save(client, work, context, text):
    rec = work.segments.get(context=context)
    r = client.post(reverse("translation_page_work", args=[work.pk]), {"action": "save", "segment": rec.pk, "target": text})
    assert r.status_code == 302
    rec.refresh_from_db()
    return rec


def _approve_all_and_publish(client, people, work):
    from communique.translation import page_work

    client.force_login(people["editor"])
    for rec in work.segments.filter(state="translated"):
        page_work.approve(work, rec, people["editor"], override=True)
    # Segments left untranslated keep the original's words: published by a recorded override.
    r = client.post(reverse("translation_page_work", args=[work.pk]), {"action": "publish", "override": "1"})
    assert r.status_code == 302


def test_existing_authors_are_originals_in_the_default_language(mag):
    default = Locale.get_default()
    for author in mag["authors"]:
        assert author.locale_id == default.pk and author.translation_key
    a = mag["authors"][0]
    # The slug is unique per language, the (translation_key, locale) pair always.
    with transaction.atomic(), pytest.raises(IntegrityError):
        Author.objects.create(name="Someone else", slug=a.slug, locale=default)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Author.objects.create(name="Copy", slug="copy", locale=default, translation_key=a.translation_key)


def test_author_translated_on_the_desk_shows_on_the_urdu_author_page(client, people, mag, django_user_model):
    author = mag["authors"][0]
    author.user = django_user_model.objects.create_user("the-author")
    author.save()
    en_name = author.name
    work = _assign(client, people, f"magazine.author:{author.pk}")
    contexts = set(work.segments.values_list("context", flat=True))
    assert {"name", "role_line"} <= contexts
    assert any(c.startswith("bio") for c in contexts)
    assert "slug" not in contexts and "user" not in contexts  # synchronised / not copied

    # The translator finds it on their desk, and only they (and editors) may open it.
    client.force_login(people["translator"])
    desk = client.get(reverse("translation_desk")).content.decode()
    assert f"Author: {en_name}" in desk
    assert reverse("translation_page_work", args=[work.pk]) in desk
    _save(client, work, "name", URDU_NAME)
    rec = _save(client, work, "role_line", URDU_ROLE)
    assert rec.state == "translated"
    client.post(reverse("translation_page_work", args=[work.pk]), {"action": "publish", "override": "1"})
    client.force_login(people["other"])
    assert client.get(reverse("translation_page_work", args=[work.pk])).status_code == 404

    # Before an editor publishes, Urdu readers see the original's words.
    ur_page = client.get(f"/ur/authors/{author.slug}/").content.decode()
    assert URDU_NAME not in ur_page and en_name in ur_page

    _approve_all_and_publish(client, people, work)
    ur = Author.objects.get(slug=author.slug, locale__language_code="ur")
    assert (ur.name, ur.role_line, ur.translation_key) == (URDU_NAME, URDU_ROLE, author.translation_key)
    assert ur.user_id is None  # the account stays with the original byline
    author.refresh_from_db()
    assert author.user_id is not None and author.name == en_name

    client.logout()
    ur_page = client.get(f"/ur/authors/{author.slug}/").content.decode()
    assert URDU_NAME in ur_page and URDU_ROLE in ur_page
    # The Urdu article (a copy that links the original byline) is listed on the Urdu author page.
    assert mag["translations"]["ur"]["article"].title in ur_page
    en_page = client.get(f"/authors/{author.slug}/").content.decode()
    assert en_name in en_page and URDU_NAME not in en_page


def test_articles_in_a_language_link_their_authors_translation(client, people, mag):
    from communique.translation import page_work

    article = mag["articles"][0]
    author = article.authors[0]
    ur_locale = Locale.objects.get(language_code="ur")
    # An author translated (by wagtail-localize, as the desk does) ...
    work = page_work.start(author, ur_locale, people["editor"], people["translator"])
    client.force_login(people["translator"])
    _save(client, work, "name", URDU_NAME)
    _approve_all_and_publish(client, people, work)
    ur_author = Author.objects.get(translation_key=author.translation_key, locale=ur_locale)

    # ... is the byline of the Urdu article, whether it was copied (linking the original) ...
    copied = type(article).objects.get(pk=mag["translations"]["ur"]["article"].pk)
    assert copied.article_authors.first().author_id == author.pk
    assert copied.authors[0].pk == ur_author.pk
    client.logout()
    html = client.get(copied.url).content.decode()
    assert URDU_NAME in html and f"/ur/authors/{author.slug}/" in html
    # ... or translated through wagtail-localize, which links the author's translation itself.
    second = mag["articles"][1]
    second_work = page_work.start(second, ur_locale, people["editor"])
    page_work.publish(second_work, people["editor"], override=True)
    translated = page_work.translated_page(second_work).specific
    linked = {link.author.translation_key: link.author.locale_id for link in translated.article_authors.all()}
    if author.translation_key in linked:
        assert linked[author.translation_key] == ur_locale.pk
    assert all(a.locale_id == ur_locale.pk for a in translated.authors if a.translation_key == author.translation_key)
    # The English article keeps the English byline.
    assert type(article).objects.get(pk=article.pk).authors[0].pk == author.pk


def test_publication_text_is_translated_per_language(client, people, mag):
    from communique.core.models import FollowLink, PublicationSettings

    settings = PublicationSettings.objects.get(pk=mag["settings"].pk)
    settings.tagline = "Peace Through Informed Dialogue"
    settings.about = "An independent magazine on diplomacy."
    settings.save()
    FollowLink.objects.create(settings=settings, network="other", url="https://example.org/letters",
                              label="Weekly newsletter")
    settings = PublicationSettings.objects.get(pk=settings.pk)
    text = settings.translatable_text()
    assert (text.tagline, text.about, text.label("Weekly newsletter")) == (settings.tagline, settings.about,
                                                                           "Weekly newsletter")
    assert [b.value["key"] for b in text.labels] == ["Weekly newsletter"]

    work = _assign(client, people, f"core.publicationtext:{text.pk}")
    contexts = set(work.segments.values_list("context", flat=True))
    assert {"tagline", "about"} <= contexts
    assert not any(c.endswith(".key") for c in contexts)  # the label's key is how it is found: kept
    label_ctx = next(c for c in contexts if c.startswith("labels."))
    client.force_login(people["translator"])
    _save(client, work, "tagline", "باخبر مکالمے کے ذریعے امن")
    _save(client, work, "about", "سفارت کاری پر ایک آزاد رسالہ۔")
    _save(client, work, label_ctx, "ہفتہ وار خبرنامہ")
    _approve_all_and_publish(client, people, work)

    client.logout()
    ur_home = client.get(mag["translations"]["ur"]["home"].url).content.decode()
    assert "باخبر مکالمے کے ذریعے امن" in ur_home
    assert "سفارت کاری پر ایک آزاد رسالہ۔" in ur_home
    assert "ہفتہ وار خبرنامہ" in ur_home
    en_home = client.get(mag["home"].url).content.decode()
    assert "Peace Through Informed Dialogue" in en_home and "Weekly newsletter" in en_home
    assert "باخبر" not in en_home
    # The words machines read are in the reader's language too: JSON-LD and the language's feed.
    import json
    import re

    from lxml import etree

    def jsonld(html):
        return json.dumps([json.loads(x) for x in re.findall(
            r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)], ensure_ascii=False)

    assert "سفارت کاری پر ایک آزاد رسالہ" in jsonld(ur_home)
    assert "سفارت" not in jsonld(en_home) and "An independent magazine on diplomacy." in jsonld(en_home)
    feed = client.get(mag["translations"]["ur"]["home"].url + "feeds/rss/")
    assert feed.status_code == 200
    assert etree.fromstring(feed.content).findtext("channel/description") == "باخبر مکالمے کے ذریعے امن"
    en_feed = client.get("/feeds/rss/")
    assert etree.fromstring(en_feed.content).findtext("channel/description") == "Peace Through Informed Dialogue"

    # The editor changes the English tagline: the desk marks the translated one stale.
    settings.tagline = "Peace through dialogue"
    settings.save()
    client.force_login(people["editor"])
    client.get(reverse("translation_page_work", args=[work.pk]))
    assert work.segments.get(context="tagline").state == "stale"
