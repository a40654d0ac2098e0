"""Every configured language gets the same reader side as Urdu: the article page in its language and
direction, a switcher and hreflang alternates pairing it with the original, a feed and a search of
its own under its prefix, and sitemap entries that list the translations as alternates."""
import re
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
from django.conf import settings
from django.utils.translation import get_language_info

from communique.magazine.tests.factories import build_magazine, translate_page

pytestmark = pytest.mark.django_db

OTHERS = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture(scope="module")
def magazine(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        # Built once for the module inside a transaction that is rolled back at the end; each test
        # runs in its own savepoint within it.
        with transaction.atomic():
            mag = build_magazine(n_articles=2)
            article = mag["articles"][0]
            mag["tr"] = {code: translate_page(article, code, title=f"{code} Zephyrine headline") for code in OTHERS}
            yield mag
            transaction.set_rollback(True)


@pytest.fixture
def mag(magazine, db):
    return magazine


def test_eleven_languages_are_configured():
    assert len(OTHERS) == 10 and {"ur", "ar", "fa", "zh-hans", "ru", "fr", "es", "de", "tr", "hi"} == set(OTHERS)


@pytest.mark.parametrize("code", OTHERS)
def test_article_page_language_switcher_and_hreflang(client, mag, code):
    page = mag["tr"][code]
    html = client.get(page.url).content.decode()
    doc = lxml.html.fromstring(html)
    assert doc.get("lang") == code
    assert doc.get("dir") == ("rtl" if get_language_info(code)["bidi"] else "ltr")
    alternates = {l.get("hreflang"): l.get("href") for l in doc.xpath("//link[@rel='alternate'][@hreflang]")}
    assert set(alternates) == set(OTHERS) | {"en", "x-default"}
    assert urlsplit(alternates[code]).path == page.url
    assert urlsplit(alternates["en"]).path == mag["articles"][0].url == urlsplit(alternates["x-default"]).path
    switch = doc.xpath("//nav[contains(@class,'language-switcher')]//a")
    current = [a for a in switch if a.get("aria-current") == "true"]
    assert [a.get("href") for a in current] == [page.url] and current[0].get("lang") == code
    assert len(switch) == len(OTHERS) + 1


@pytest.mark.parametrize("code", OTHERS)
def test_feed_and_search_per_language(client, mag, code):
    prefix = f"/{code}/"
    feed = feedparser.parse(client.get(prefix + "feeds/rss/").content)
    titles = [e.title for e in feed.entries]
    assert f"{code} Zephyrine headline" in titles
    assert mag["articles"][0].title not in titles  # the English original stays in the English feed
    assert feed.feed.get("language", "").lower().startswith(code.split("-")[0])
    doc = lxml.html.fromstring(client.get(prefix + "search/", {"q": "Zephyrine"}).content.decode())
    assert doc.get("lang") == code
    found = [" ".join(a.text_content().split()) for a in doc.cssselect(".search-result .card-title a")]
    assert found == [f"{code} Zephyrine headline"]


def test_sitemap_lists_every_translation_with_alternates(client, mag):
    from .sitemap_helpers import all_text

    xml = all_text(client)  # every language's part of the sitemap index
    article = mag["articles"][0]
    entry = next(u for u in re.findall(r"<url>.*?</url>", xml, re.S) if f"<loc>http" in u
                 and urlsplit(re.search(r"<loc>(.*?)</loc>", u).group(1)).path == article.url)
    langs = set(re.findall(r'hreflang="([^"]+)"', entry))
    assert langs == set(OTHERS) | {"en", "x-default"}
    for code, page in mag["tr"].items():
        assert f'{page.url}</loc>' in xml, code
    # A page without translations carries no alternates.
    lone = mag["articles"][1]
    lone_entry = next(u for u in re.findall(r"<url>.*?</url>", xml, re.S)
                      if urlsplit(re.search(r"<loc>(.*?)</loc>", u).group(1)).path == lone.url)
    assert "hreflang" not in lone_entry
