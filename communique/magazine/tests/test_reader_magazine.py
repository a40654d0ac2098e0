"""The magazine as readers meet it (issue 12): the editor's home page (lead, featured, section
grids, falling back to the latest), pictures on every card, reading time and "updated" dates,
author counts and links, the editable menu with print issues, descriptions from the first
paragraph, Most Popular without the article being read, full-text feeds with a stylesheet."""
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html as lxml_html

from communique.magazine.models import HomeFeatured, HomeSectionGrid, MenuItem, Navigation
from communique.magazine.popularity import record_views

from .factories import build_magazine

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag():
    from communique.magazine.models import ArticlePage

    mag = build_magazine(n_articles=10)
    # Every article pictured except one (the factory pictures only the first).
    ArticlePage.objects.filter(pk__in=[a.pk for a in mag["articles"][:-1]]).update(lead_image=mag["images"][0])
    return mag


def doc_of(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def titles(nodes):
    return [" ".join(n.text_content().split()) for n in nodes]


def test_home_falls_back_to_the_latest_then_follows_the_editors_choices(client, mag):
    articles = sorted(mag["articles"], key=lambda a: a.date, reverse=True)
    doc = doc_of(client.get("/"))
    assert titles(doc.cssselect(".lead-title a")) == [articles[0].title]
    featured = titles(doc.cssselect(".featured .card-title a"))
    assert featured == [a.title for a in articles[1:4]]

    home = mag["home"]
    chosen_lead, chosen = articles[-1], [articles[-2], articles[5]]
    home.lead_story = chosen_lead
    home.featured_links = [HomeFeatured(article=a, sort_order=i) for i, a in enumerate(chosen)]
    oped = mag["section"]["oped"]
    home.section_grids = [HomeSectionGrid(section=oped, count=2)]
    home.save_revision().publish()

    doc = doc_of(client.get("/"))
    assert titles(doc.cssselect(".lead-title a")) == [chosen_lead.title]
    assert titles(doc.cssselect(".featured .card-title a")) == [a.title for a in chosen]
    grids = doc.cssselect(".section-block")
    assert [titles(g.cssselect(".section-heading a")) for g in grids] == [["OpEd"]]
    grid_titles = titles(grids[0].cssselect(".card-title a"))
    assert 0 < len(grid_titles) <= 2
    shown = {chosen_lead.title, *[a.title for a in chosen]}
    assert not shown & set(grid_titles), "a story appears once on the home page"


def test_every_card_has_its_picture_and_reading_time_without_a_query_per_card(client, mag):
    with_image = [a for a in mag["articles"] if a.lead_image_id]
    assert with_image
    for url in ["/", mag["section"]["oped"].url, mag["authors"][0].get_absolute_url(),
                f"/tags/{mag['tags'][0]}/", "/search/?q=diplomacy"]:
        doc = doc_of(client.get(url))
        cards = doc.cssselect("article.card")
        assert cards, url
        pictured = [c for c in cards if c.cssselect(".card-image img")]
        assert pictured, f"no card pictures on {url}"
        assert all(c.cssselect(".reading-time") for c in cards if "search-result" not in c.get("class")), url
    # The section page's queries do not grow with its number of cards.
    section = mag["section"]["oped"]
    from django.core.cache import cache

    cache.clear()  # rendered afresh both times (publishing below purges the fragments anyway)
    with CaptureQueriesContext(connection) as few:
        client.get(section.url)
    from .test_feeds import _article

    for n in range(4):  # four more cards, each with an author and a picture
        _article(section, f"Extra story {n}", [mag["authors"][n % 3]], timezone.now() - timedelta(hours=n),
                 image=mag["images"][0])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(section.url)
    assert len(many) <= len(few) + 2, (len(few), len(many))


def test_related_cards_have_thumbnails_and_the_article_shows_reading_time_and_update(client, mag):
    article = mag["articles"][0]
    article.updated = article.date + timedelta(days=2)
    article.save_revision().publish()
    doc = doc_of(client.get(article.url))
    meta = " ".join(doc.cssselect(".article-header .meta")[0].text_content().split())
    assert "min read" in meta
    assert "Updated" in meta
    related = doc.cssselect(".related .card")
    assert related and any(c.cssselect("img") for c in related)


def test_author_page_counts_articles_and_links_profiles(client, mag):
    author = mag["authors"][0]
    author.x_handle, author.linkedin = "@amina", "https://www.linkedin.com/in/amina"
    author.save()
    count = len([a for a in mag["articles"] if author in a.authors])
    doc = doc_of(client.get(author.get_absolute_url()))
    assert " ".join(doc.cssselect(".article-count")[0].text_content().split()) == f"{count} articles"
    assert "https://x.com/amina" in doc.xpath("//ul[@class='author-links']//a/@href")
    article = next(a for a in mag["articles"] if author in a.authors)
    doc = doc_of(client.get(article.url))
    assert "https://www.linkedin.com/in/amina" in doc.xpath("//section[@class='author-boxes']//a/@href")


def test_menu_has_print_issues_and_follows_the_editors_setting(client, mag):
    doc = doc_of(client.get("/"))
    nav = doc.cssselect("nav.sections-nav a")
    assert "Print issues" in titles(nav)
    assert mag["issue_index"].url in [a.get("href") for a in nav]
    footer = doc.cssselect("footer a")
    assert "/portal/" in [a.get("href") for a in footer] and "/publish/" in [a.get("href") for a in footer]

    nav_setting = Navigation.for_site(mag["site"])
    nav_setting.save()
    MenuItem.objects.create(navigation=nav_setting, link_page=mag["issue_index"], label="Archive", sort_order=0)
    MenuItem.objects.create(navigation=nav_setting, link_url="/publish/", label="Publish with us", sort_order=1)
    doc = doc_of(client.get("/"))
    assert titles(doc.cssselect("nav.sections-nav a")) == ["Archive", "Publish with us"]


def test_article_without_standfirst_is_described_by_its_first_paragraph(client, mag):
    article = mag["articles"][0]
    article.standfirst = ""
    article.save_revision().publish()
    doc = doc_of(client.get(article.url))
    description = doc.xpath("//meta[@name='description']/@content")[0]
    og = doc.xpath("//meta[@property='og:description']/@content")[0]
    tagline = mag["settings"].tagline
    for text in (description, og):
        assert tagline not in text
        assert text.startswith(article.first_paragraph[:40])
    assert "[^" not in article.first_paragraph


def test_most_popular_leaves_out_the_article_being_read(client, mag):
    first, second = mag["articles"][0], mag["articles"][1]
    record_views(first.pk, 50)
    record_views(second.pk, 10)
    doc = doc_of(client.get(first.url))
    listed = doc.xpath("//section[@class='most-popular']//li/a/@href")
    assert second.url in listed
    assert first.url not in listed
    doc = doc_of(client.get(second.url))
    assert first.url in doc.xpath("//section[@class='most-popular']//li/a/@href")


def test_full_text_feed_carries_the_article_and_feeds_name_a_stylesheet(client, mag):
    summary = client.get("/feeds/rss/")
    pi = summary.content.split(b"?>", 2)[1]
    assert b"<?xml-stylesheet" in pi and b'href="/feeds/feed.xsl"' in pi and b'type="text/xsl"' in pi
    full = client.get("/feeds/rss/full/")
    assert full.status_code == 200
    feed = feedparser.parse(full.content)
    assert not feed.bozo, feed.get("bozo_exception")
    article = mag["articles"][0]
    entry = next(e for e in feed.entries if e.link.endswith(article.url))
    assert "Energy and connectivity" in entry.description  # a heading deep in the body
    assert 'src="http' in entry.description  # images with whole addresses
    atom = feedparser.parse(client.get("/feeds/atom/full/").content)
    assert "Energy and connectivity" in atom.entries[0].summary
    short = feedparser.parse(summary.content)
    assert "Energy and connectivity" not in short.entries[0].description
    xsl = client.get("/feeds/feed.xsl")
    assert xsl.status_code == 200 and xsl["Content-Type"].startswith("text/xsl")
    from lxml import etree

    page = str(etree.XSLT(etree.fromstring(xsl.content))(etree.fromstring(summary.content)))
    assert "feed reader" in page and 'href="/feeds/rss/full/"' in page
    assert article.title in page
    # Under /ur/ the stylesheet's note is in Urdu (tests/e2e/test_feed_in_browser.py opens it).
    ur = client.get("/ur/feeds/feed.xsl").content.decode()
    assert "feed reader" not in ur and 'href="/ur/feeds/rss/full/"' in ur
