"""An Urdu reader's paths (issue 12, defect 6): Latin names and English fragments isolated in
right-to-left text, and author, tag, search and feed links from an Urdu article that stay in
Urdu (language-prefixed URLs) instead of dropping the reader into English."""
import feedparser
import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from lxml import html as lxml_html
from wagtail.models import Locale

from .factories import build_magazine

pytestmark = pytest.mark.django_db

URDU_FRAGMENT = "<p>روسی وزیر خارجہ (Sergey Lavrov) نے کہا: &quot;new beginning&quot; ایک حقیقت ہے۔</p>"


@pytest.fixture
def mag():
    Locale.objects.get_or_create(language_code="ur")
    mag = build_magazine(n_articles=3, translate_to=("ur",))
    urdu = mag["translations"]["ur"]["article"]
    urdu.body = [{"type": "paragraph", "value": URDU_FRAGMENT}] + list(urdu.body.raw_data)
    urdu.save_revision().publish()
    mag["urdu"] = type(urdu).objects.get(pk=urdu.pk)
    return mag


def doc_of(response):
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content)


def test_byline_isolates_latin_author_names(client, mag):
    doc = doc_of(client.get(mag["urdu"].url))
    byline = doc.cssselect(".article-header .byline")[0]
    names = [b.text for b in byline.iter("bdi")]
    assert names and names == [a.name for a in mag["urdu"].authors]


def test_english_fragments_in_urdu_text_are_isolated_with_their_punctuation_outside(client, mag):
    doc = doc_of(client.get(mag["urdu"].url))
    first = doc.cssselect(".article-body .rich-text p")[0]
    isolated = [(b.text, b.get("lang")) for b in first.iter("bdi")]
    assert ("Sergey Lavrov", "en") in isolated and ("new beginning", "en") in isolated
    html = lxml_html.tostring(first, encoding="unicode")
    assert '(<bdi lang="en">Sergey Lavrov</bdi>)' in html


def test_isolate_latin_leaves_english_pages_and_markup_alone():
    template = Template("{% load magazine_tags %}{{ html|isolate_latin }}")
    source = '<p>Read <a href="https://example.org/a-b">the report</a> &amp; <code>x = 1</code>.</p>'
    assert template.render(Context({"html": mark_safe(source)})) == source
    with translation.override("ur"):
        out = template.render(Context({"html": mark_safe("<p>دیکھیے <a href=\"https://example.org/a-b\">the report</a> &amp; <code>x = 1</code></p>")}))
    assert 'href="https://example.org/a-b"' in out
    assert '<bdi lang="en">the report</bdi>' in out
    assert "&amp;" in out and "<code>x = 1</code>" in out


def test_links_from_an_urdu_article_stay_in_urdu(client, mag):
    urdu = mag["urdu"]
    doc = doc_of(client.get(urdu.url))
    author_links = doc.xpath("//a[@rel='author']/@href")
    tag_links = doc.xpath("//a[@rel='tag']/@href")
    search = doc.xpath("//nav[contains(@class,'sections-nav')]//a[contains(@href,'search')]/@href")
    feeds = doc.xpath("//link[@type='application/rss+xml']/@href")
    assert author_links and all(h.startswith("/ur/authors/") for h in author_links), author_links
    assert tag_links and all(h.startswith("/ur/tags/") for h in tag_links), tag_links
    assert search == ["/ur/search/"]
    assert feeds and all("/ur/feeds/" in h for h in feeds), feeds

    for url in (author_links[0], tag_links[0]):
        page = doc_of(client.get(url))
        assert page.get("lang") == "ur" and page.get("dir") == "rtl", url
        assert urdu.title in page.text_content(), url

    from urllib.parse import urlsplit

    feed = feedparser.parse(client.get(urlsplit(feeds[0]).path).content)
    assert feed.feed.language == "ur"
    assert [e.title for e in feed.entries] == [urdu.title]


def test_search_in_urdu_finds_the_urdu_article_and_answers_in_urdu(client, mag):
    urdu = mag["urdu"]
    word = "سفارت"  # from the headline
    assert word in urdu.title
    doc = doc_of(client.get("/ur/search/", {"q": word}))
    assert doc.get("lang") == "ur"
    results = [" ".join(a.text_content().split()) for a in doc.cssselect(".search-result .card-title a")]
    assert results == [urdu.title]
    # Urdu spelled with Arabic letters (Arabic yeh and kaf) still finds it.
    arabic_spelling = "وزير"  # Arabic yeh; the text has Urdu yeh: "وزیر"
    doc = doc_of(client.get("/ur/search/", {"q": arabic_spelling}))
    assert [" ".join(a.text_content().split()) for a in doc.cssselect(".search-result .card-title a")] == [urdu.title]


def test_the_publications_english_about_text_keeps_its_direction_on_urdu_pages(client, mag):
    # Without it the footer's English "About" ran right to left with its full stop at the start.
    doc = doc_of(client.get(mag["urdu"].url))
    about = doc.cssselect("footer .about div")
    assert about and about[0].get("dir") == "auto" and about[0].text_content().strip()
    assert doc.cssselect(".site-header .tagline")[0].get("dir") == "auto"
