"""Feeds (RSS, Atom), sitemap.xml and robots.txt.

build_outreach_site() is a small site tree for these tests and test_seo/test_popularity, kept
here until the shared factories (tests/factories.py) exist."""
from datetime import timedelta
from types import SimpleNamespace

import feedparser
import pytest
from django.utils import timezone
from lxml import etree
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file_jpeg
from wagtail.models import Page, Site

from communique.core.models import FollowLink, PublicationSettings
from communique.magazine.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage

pytestmark = pytest.mark.django_db


def _article(section, title, authors, date, tags=(), image=None, standfirst="", publish=True):
    article = ArticlePage(title=title, standfirst=standfirst or f"About {title}.", date=date, lead_image=image,
                          lead_image_alt=f"Picture for {title}" if image else "")
    article.article_authors = [ArticleAuthor(author=a, sort_order=i) for i, a in enumerate(authors)]
    for tag in tags:
        article.tags.add(tag)
    if not publish:
        article.live = False
    section.add_child(instance=article)
    if publish:
        article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def build_outreach_site():
    root = Page.get_first_root_node()
    home = HomePage(title="The Diplomatic Insight", slug="insight-home")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.hostname = "testserver"
    site.port = 80
    site.save()

    logo = Image.objects.create(title="Logo", file=get_test_image_file_jpeg(filename="logo.jpg", size=(300, 100)))
    pub = PublicationSettings.for_site(site)
    pub.name = "The Diplomatic Insight"
    pub.tagline = "Peace Through Informed Dialogue"
    pub.email = "editor@example.org"
    pub.logo = logo
    pub.save()
    FollowLink.objects.create(settings=pub, network="x", url="https://x.com/diplomaticinsight", sort_order=0)
    FollowLink.objects.create(settings=pub, network="facebook", url="https://facebook.com/dipinsight", sort_order=1)

    oped = SectionPage(title="OpEd", slug="oped", is_opinion=True, intro="Opinion and comment")
    news = SectionPage(title="News", slug="news", intro="Reporting")
    home.add_child(instance=oped)
    home.add_child(instance=news)
    oped.save_revision().publish()
    news.save_revision().publish()

    amina = Author.objects.create(name="Amina Rahman", slug="amina-rahman",
                                  role_line="President, Institute of Peace and Diplomatic Studies",
                                  x_handle="@aminar", website="https://amina.example.org")
    tomas = Author.objects.create(name="Tomás Ruiz", slug="tomas-ruiz", role_line="Correspondent in Geneva")

    now = timezone.now()
    lead = Image.objects.create(title="Harbour", file=get_test_image_file_jpeg(filename="harbour.jpg", size=(1600, 900)))
    opinion = _article(oped, "Why dialogue still matters", [amina], now - timedelta(days=1),
                       tags=["Diplomacy", "South Asia"], image=lead)
    report = _article(news, "Talks resume in Geneva", [tomas], now - timedelta(days=2), tags=["Geneva"])
    joint = _article(news, "A joint dispatch", [amina, tomas], now - timedelta(days=3))
    draft = _article(news, "Unpublished draft", [amina], now, publish=False)
    return SimpleNamespace(site=site, home=home, oped=oped, news=news, amina=amina, tomas=tomas,
                           opinion=opinion, report=report, joint=joint, draft=draft, pub=pub, logo=logo,
                           lead=lead)


@pytest.fixture
def mag():
    return build_outreach_site()


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def _full(page):
    return page.get_full_url()


def test_site_rss_has_every_live_article_with_metadata(client, mag):
    response, feed = _parse(client, "/feeds/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.title == "The Diplomatic Insight"
    assert feed.feed.link == _full(mag.home)
    assert feed.feed.subtitle == "Peace Through Informed Dialogue"
    assert [e.title for e in feed.entries] == [
        "Why dialogue still matters", "Talks resume in Geneva", "A joint dispatch"]
    first = feed.entries[0]
    assert first.link == _full(mag.opinion)
    assert first.link.startswith("http://testserver/")
    assert first.author == "Amina Rahman"
    assert first.summary == "About Why dialogue still matters."
    assert {t.term for t in first.tags} == {"OpEd", "Diplomacy", "South Asia"}
    assert first.published_parsed[:5] == mag.opinion.date.utctimetuple()[:5]
    [enclosure] = first.enclosures
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/")
    assert int(enclosure.length) > 0
    # Articles without a lead image carry no enclosure.
    assert feed.entries[1].enclosures == []
    assert feed.entries[2].author == "Amina Rahman, Tomás Ruiz"


def test_site_atom_feed(client, mag):
    response, feed = _parse(client, "/feeds/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert feed.feed.title == "The Diplomatic Insight"
    assert feed.feed.subtitle == "Peace Through Informed Dialogue"
    entry = feed.entries[0]
    assert entry.title == "Why dialogue still matters"
    assert entry.link == _full(mag.opinion)
    assert entry.author_detail.name == "Amina Rahman"
    assert entry.author_detail.href == "http://testserver/authors/amina-rahman/"
    assert entry.updated_parsed is not None
    assert any(link.rel == "enclosure" and link.type == "image/jpeg" for link in entry.links)
    assert {t.term for t in entry.tags} >= {"Diplomacy", "OpEd"}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_lists_only_that_section(client, mag, kind):
    _, feed = _parse(client, f"/feeds/section/news/{kind}/")
    assert feed.feed.title == "The Diplomatic Insight: News"
    assert feed.feed.link == _full(mag.news)
    assert [e.title for e in feed.entries] == ["Talks resume in Geneva", "A joint dispatch"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_author_feed_lists_only_their_articles(client, mag, kind):
    _, feed = _parse(client, f"/feeds/author/tomas-ruiz/{kind}/")
    assert feed.feed.title == "The Diplomatic Insight: Tomás Ruiz"
    assert feed.feed.link == "http://testserver/authors/tomas-ruiz/"
    assert [e.title for e in feed.entries] == ["Talks resume in Geneva", "A joint dispatch"]
    assert all("Tomás Ruiz" in e.author for e in feed.entries)


@pytest.mark.parametrize("url", ["/feeds/section/nope/rss/", "/feeds/author/nobody/atom/"])
def test_unknown_section_or_author_feed_is_404(client, mag, url):
    assert client.get(url).status_code == 404


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_pages_and_authors_with_lastmod(client, mag):
    from .sitemap_helpers import entries as sitemap_entries

    entries = sitemap_entries(client)
    for page in (mag.home, mag.oped, mag.news, mag.opinion, mag.report, mag.joint):
        assert _full(page) in entries
    assert _full(mag.opinion) == "http://testserver/oped/why-dialogue-still-matters/"
    assert entries[_full(mag.opinion)] == mag.opinion.last_published_at.date().isoformat()
    assert not any("unpublished-draft" in loc for loc in entries)
    assert entries["http://testserver/authors/amina-rahman/"] == mag.joint.last_published_at.date().isoformat()
    assert "http://testserver/authors/tomas-ruiz/" in entries


def test_sitemap_author_lastmod_is_latest_live_article(client, mag):
    later = timezone.now() + timedelta(days=3)
    ArticlePage.objects.filter(pk=mag.report.pk).update(last_published_at=later)
    ArticlePage.objects.filter(pk=mag.draft.pk).update(last_published_at=later)
    root = etree.fromstring(client.get("/sitemap-authors.xml").content)
    entries = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}
    assert entries["http://testserver/authors/tomas-ruiz/"] == later.date().isoformat()
    # Amina's only article updated later is the unpublished draft, which must not count.
    assert entries["http://testserver/authors/amina-rahman/"] != later.date().isoformat()


def test_robots_txt_points_to_sitemap(client, mag):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_a_browser_gets_the_feed_as_a_page_and_a_feed_reader_gets_xml(client, mag):
    # Chromium shows application/rss+xml as plain text and is removing XSLT: browsers (they ask
    # for text/html) get a page of the site listing the same items.
    browser = client.get("/feeds/rss/", HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert browser["Content-Type"].startswith("text/html")
    page = browser.content.decode()
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    for entry in feed.entries:
        assert f">{entry.title}</a>" in page.replace("&#x27;", "'")
    assert "http://testserver/feeds/rss/" in page and 'href="/feeds/rss/full/"' in page
    reader = client.get("/feeds/atom/", HTTP_ACCEPT="application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1")
    assert reader["Content-Type"].startswith("application/atom+xml")
    assert "Accept" in browser["Vary"] and "Accept" in reader["Vary"]
    # An author's feed as a page lists that author's articles only.
    mine = client.get(f"/feeds/author/{mag.amina.slug}/rss/", HTTP_ACCEPT="text/html")
    assert mine["Content-Type"].startswith("text/html")
    listed = feedparser.parse(client.get(f"/feeds/author/{mag.amina.slug}/rss/").content).entries
    assert listed and mine.content.decode().count('class="card-title"') == len(listed)
