"""Lists that stay cheap on a large archive (docs/performance.md, "archive"): section, author and
tag pages paginate ids and fetch only the page's cards, read the far half of a list from its
other end, and count on the page tree; on PostgreSQL, search reads Wagtail's index directly with
the reader's language configuration, newest first, only as far as the page asked for."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communique.magazine import search as search_module
from communique.magazine import views
from communique.magazine.models import ArticlePage
from communique.magazine.queries import ArticlePaginator

from .factories import build_magazine

pytestmark = pytest.mark.django_db
needs_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def mag(db, settings):
    settings.COMMUNIQUE_FRAGMENT_CACHE_SECONDS = 0  # every request does its own queries
    cache.clear()
    # Two sections, so that the first holds three pages of ten.
    return build_magazine(n_articles=46, sections=("OpEd", "News"), with_images=False)


def _titles(html):
    from lxml import html as lxml_html

    return [" ".join(a.text_content().split()) for a in lxml_html.fromstring(html).cssselect(".list .card-title a")]


def _queries(client, url):
    client.get(url)  # the first request of a process also loads content types, the site, templates
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content.decode()


def test_every_page_forward_and_from_the_far_end_lists_the_archive_once_in_order(mag):
    qs = ArticlePage.objects.live().order_by("-date", "-pk")
    expected = list(qs.values_list("pk", flat=True))
    paginator = ArticlePaginator(qs, 4)
    seen = []
    for number in paginator.page_range:  # pages past the middle are read reversed
        seen += [a.pk for a in paginator.page(number).object_list]
    assert seen == expected


def test_a_paginator_needs_an_order(mag):
    with pytest.raises(ValueError, match="explicit order"):
        ArticlePaginator(ArticlePage.objects.live().order_by(), 4)


def test_a_section_costs_the_same_queries_on_its_first_and_last_page(client, mag):
    section = mag["sections"][0]
    first, html_first = _queries(client, section.url)
    last, html_last = _queries(client, section.url + "?page=99")  # beyond: the last page
    assert first == last, (first, last)
    assert _titles(html_first) and _titles(html_last)
    assert not set(_titles(html_first)) & set(_titles(html_last))


def test_the_last_section_page_holds_the_oldest_articles(client, mag):
    section = mag["sections"][0]
    oldest = section.articles().order_by("date", "pk").first()
    _, html = _queries(client, section.url + "?page=99")
    assert oldest.title in _titles(html)


def test_author_and_tag_pages_cost_the_same_queries_on_every_page(client, mag):
    author = mag["authors"][0]
    one, _ = _queries(client, author.get_absolute_url())
    other, html = _queries(client, author.get_absolute_url() + "?page=2")
    assert one == other
    tag = reverse("magazine:tag", args=["diplomacy"])
    one, html = _queries(client, tag)
    other, _ = _queries(client, tag + "?page=2")
    assert one == other
    # Counted once each: an article with two tags or two authors is not listed twice.
    assert len(_titles(html)) == len(set(_titles(html)))


def test_an_article_by_two_authors_is_listed_once_on_each(client, mag):
    joint = next(a for a in mag["articles"] if len(a.authors) > 1)
    for author in joint.authors:
        titles = [t for n in (1, 2, 3) for t in _titles(client.get(author.get_absolute_url() + f"?page={n}").content.decode())]
        assert titles.count(joint.title) == 1


@needs_postgres
def test_postgres_search_is_newest_first_and_stemmed(client, mag):
    response = client.get("/search/", {"q": "diplomacy"})
    found = _titles(response.content.decode())
    by_date = list(ArticlePage.objects.filter(title__in=found).order_by("-date", "-pk").values_list("title", flat=True))
    assert found and found == by_date


@needs_postgres
def test_postgres_search_reads_only_a_few_pages_ahead(client, mag, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    asked = []
    real = search_module.pg_search_ids

    def spy(pages, query, language, limit, listing=None):
        asked.append(limit)
        return real(pages, query, language, limit, listing=listing)

    monkeypatch.setattr(views, "pg_search_ids", spy)
    html = client.get("/search/", {"q": "standfirst"}).content.decode()
    assert asked == [10]  # page 1 and four more pages of two
    assert "More than 10 results" in html


@needs_postgres
def test_postgres_search_uses_the_readers_language_configuration(mag):
    from wagtail.models import Locale

    from communique.magazine.queries import reader_pages

    pages = reader_pages().filter(locale=Locale.objects.get(language_code="en"))
    # "energies" → "energi" with the English stemmer; 'simple' would not find "energy".
    assert search_module.pg_search_ids(pages, "energies", "en", 50)
    assert not search_module.pg_search_ids(pages, "energies", "ur", 50)


def test_the_index_is_read_for_a_rare_query_deep_in_a_large_archive_and_the_list_walked_otherwise():
    use = search_module.use_index
    # 100,000 articles, a phrase in 8,000 of them, page 50 (511 wanted): thousands of rows walked.
    assert use(8_000, 100_000, 511)
    # A word in half of them: its page 50 is a thousand rows down the list.
    assert not use(50_000, 100_000, 511)
    # Page 1 of the phrase: ~70 rows walked beats reading 8,000 matches.
    assert not use(8_000, 100_000, 11)
    assert use(500, 100_000, 11)
    # Nearly every article of a 4,000-article language list matches: its page 50 is walked.
    assert not use(3_800, 4_000, 541)
    assert not use(search_module.MAX_INDEX_MATCHES + 1, 10**7, 511)
    assert not use(10, 0, 11)


@needs_postgres
def test_postgres_search_finds_the_same_articles_through_the_index_as_down_the_list(mag, monkeypatch):
    from wagtail.models import Locale, PageViewRestriction

    from communique.magazine.listings import language_key
    from communique.magazine.queries import reader_pages

    # One section behind a login: neither path may list its articles.
    PageViewRestriction.objects.create(page=mag["sections"][1], restriction_type=PageViewRestriction.LOGIN)
    cache.clear()
    en = Locale.objects.get(language_code="en")
    pages, key = reader_pages().filter(locale=en), language_key(en.pk)
    restricted = set(ArticlePage.objects.descendant_of(mag["sections"][1]).values_list("pk", flat=True))
    # Large enough an index that the planner is asked (an unanalysed table reports -1 rows).
    monkeypatch.setattr(search_module, "_indexed_rows", lambda cursor: search_module.MIN_INDEXED)
    planned = search_module._planned_rows
    # One magazine for every case (building it is most of the time): each query, with the
    # matches' order read from the list in batches (a short list) or looked up by id (a long one).
    for query in ("standfirst", "part 2", "nothing-matches-this"):
        for listed in (60, 100_000):
            # A small test site: the list's length the choice is made for is given (the planner's
            # estimate of the matches is kept), the choice itself forced.
            monkeypatch.setattr(search_module, "_planned_rows", lambda *args, n=listed: (planned(*args)[0], n))
            results = {}
            for chosen in (True, False):
                monkeypatch.setattr(search_module, "use_index", lambda *args, chosen=chosen: chosen)
                with CaptureQueriesContext(connection) as ctx:
                    results[chosen] = {limit: search_module.pg_search_ids(pages, query, "en", limit, listing=key)
                                       for limit in (1, 5, 50)}
                sql = " ".join(q["sql"] for q in ctx.captured_queries)
                assert ("CAST(e.object_id AS integer)" in sql) is chosen, (query, listed)
            assert results[True] == results[False], (query, listed)
            found = results[True][50]
            if query == "nothing-matches-this":
                assert found == []
                continue
            assert found and len(found) <= 51 and not restricted & set(found), (query, listed)
            dates = list(ArticlePage.objects.filter(pk__in=found).order_by("-date", "-pk").values_list("pk", flat=True))
            assert found == dates, (query, listed)
            assert results[True][1] == found[:2] and results[True][5] == found[:6], (query, listed)


@needs_postgres
def test_wagtails_index_rows_keep_their_texts_out_of_line():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'wagtailsearch_indexentry'")
        assert "toast_tuple_target=128" in cursor.fetchone()[0]


@needs_postgres
def test_each_articles_walk_vectors_follow_wagtails_index(mag):
    """The trigger of magazine.search_vectors keeps the copy that the walk reads: written with the
    index entry, stripped of positions, changed with it and gone with it."""
    from communique.magazine.search_vectors import ArticleVector

    article = mag["articles"][0]

    def vectors():
        with connection.cursor() as cursor:
            cursor.execute("SELECT title::text, body::text FROM magazine_articlevector WHERE article_id = %s", [article.pk])
            return cursor.fetchone()

    title, body = vectors()
    assert title and body and ":" not in title + body, (title, body)  # lexemes only, no positions
    article.title = "Lithium corridors reopened"
    article.save_revision().publish()
    assert "'lithium'" in vectors()[0]
    assert ArticleVector.objects.count() == ArticlePage.objects.count()
    article.delete()
    assert vectors() is None
    assert ArticleVector.objects.count() == ArticlePage.objects.count()


def test_pagination_shows_a_bounded_window_of_page_links(client, mag, monkeypatch):
    from lxml import html as lxml_html

    from communique.magazine.models import SectionPage

    monkeypatch.setattr(SectionPage, "per_page", 1)  # 23 pages
    section = mag["sections"][0]
    doc = lxml_html.fromstring(client.get(section.url + "?page=12").content)
    numbers = [a.text_content().split()[-1] for a in doc.cssselect(".pagination a:not([rel])")]
    assert numbers == ["1", "10", "11", "12", "13", "14", "23"]
    assert len(doc.cssselect('.pagination li[aria-hidden="true"]')) == 2
    assert doc.cssselect('.pagination a[aria-current="page"]')[0].get("href") == "?page=12"
