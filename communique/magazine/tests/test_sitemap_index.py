"""/sitemap.xml is an index of parts: one per language (with hreflang alternates) and one for the
authors, each split into pages of at most SITEMAP_LIMIT URLs, each built in a bounded number of
queries, so a 100,000-article archive gives many small sitemaps instead of one huge response."""
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communique.magazine import outreach_urls
from communique.magazine.tests.factories import build_magazine, translate_page

from .sitemap_helpers import SM, part_urls, parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag(db):
    cache.clear()
    mag = build_magazine(n_articles=12, with_images=False)
    mag["fr"] = translate_page(mag["articles"][0], "fr", title="Le dialogue")
    return mag


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(outreach_urls.PageSitemap, "limit", 4)
    monkeypatch.setattr(outreach_urls.AuthorSitemap, "limit", 4)
    return 4


def _locs(root):
    return [u.findtext(f"{SM}loc") for u in root.iter(f"{SM}url")]


def test_the_index_lists_a_part_per_language_and_the_authors(client, mag):
    urls = part_urls(client)
    assert "/sitemap-pages-en.xml" in urls
    assert "/sitemap-pages-fr.xml" in urls
    assert "/sitemap-authors.xml" in urls
    assert not any("pages-de" in u for u in urls)  # no German home page, no German part


def test_each_part_holds_at_most_the_limit_and_the_big_ones_are_split(client, mag, small_parts):
    found = parts(client)
    english = [url for url in found if url.startswith("/sitemap-pages-en.xml")]
    assert len(english) > 1, english  # 12 articles + home, sections, issues > 4
    assert "/sitemap-pages-en.xml?p=2" in english
    for url, root in found.items():
        assert 0 < len(_locs(root)) <= small_parts, (url, len(_locs(root)))


def test_every_article_appears_in_exactly_one_part(client, mag, small_parts):
    seen = Counter()
    where = {}
    for url, root in parts(client).items():
        for loc in _locs(root):
            seen[loc] += 1
            where[loc] = url
    for article in mag["articles"]:
        assert seen[article.full_url] == 1, (article.full_url, seen[article.full_url])
        assert where[article.full_url].startswith("/sitemap-pages-en.xml")
    assert seen[mag["fr"].full_url] == 1
    assert where[mag["fr"].full_url] == "/sitemap-pages-fr.xml"


def test_parts_keep_the_hreflang_alternates(client, mag):
    xml = client.get("/sitemap-pages-fr.xml").content.decode()
    assert f'hreflang="en" href="{mag["articles"][0].full_url}"' in xml
    assert f'hreflang="x-default" href="{mag["articles"][0].full_url}"' in xml
    english = client.get("/sitemap-pages-en.xml").content.decode()
    assert f'hreflang="fr" href="{mag["fr"].full_url}"' in english


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_a_part_costs_the_same_queries_however_many_urls_it_holds(client, mag, monkeypatch):
    monkeypatch.setattr(outreach_urls.PageSitemap, "limit", 3)
    few = _queries(client, "/sitemap-pages-en.xml")
    monkeypatch.setattr(outreach_urls.PageSitemap, "limit", 20)
    many = _queries(client, "/sitemap-pages-en.xml")
    assert many == few, (few, many)
    assert _queries(client, "/sitemap.xml") <= 16


def test_an_unknown_part_or_page_is_404(client, mag, small_parts):
    assert client.get("/sitemap-pages-xx.xml").status_code == 404
    assert client.get("/sitemap-pages-en.xml?p=99").status_code == 404


def test_robots_points_at_the_index(client, mag):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://localhost/sitemap.xml" in lines  # the Wagtail site's address, as every absolute URL
