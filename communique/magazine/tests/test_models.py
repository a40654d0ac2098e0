"""Content model and template helpers that the reader pages rely on."""
import pytest
from django.template import Context, Template
from wagtail.models import Page, Site

from communique.magazine.models import ArticlePage, Author, HomePage
from communique.magazine.queries import related_articles
from communique.magazine.templatetags.magazine_tags import footnote_id, footnote_refs, iso_datetime
from communique.magazine.tests.factories import build_magazine, translate_page


def test_footnote_refs_link_both_ways_and_escape_labels():
    html = footnote_refs("<p>Claim.[^1] Other claim.[^a&amp;b]</p>")
    assert '<sup class="fn-ref"><a href="#fn-1" id="fnref-1" aria-label="Note 1">1</a></sup>' in html
    # The label is shown escaped; its id keeps only safe characters.
    assert 'href="#fn-a-b" id="fnref-a-b" aria-label="Note a&amp;b">a&amp;b</a>' in html
    assert "[^" not in html


def test_footnote_refs_do_not_match_markup_or_quotes():
    source = '<p>[^<script>] [^"onmouseover=alert(1)] [^ spaced]</p>'
    assert footnote_refs(source) == source


def test_footnote_cited_twice_gets_distinct_ids_across_paragraphs():
    registry = {}
    first = footnote_refs("<p>One.[^n]</p>", registry)
    second = footnote_refs("<p>Again.[^n]</p>", registry)
    assert 'id="fnref-n"' in first
    assert 'id="fnref-n-2"' in second and 'href="#fn-n"' in second


def test_footnote_id_is_never_empty():
    assert footnote_id("***") == "note"
    assert footnote_id("ا١") == "ا١"


def test_iso_datetime_drops_microseconds():
    from datetime import datetime, timezone

    assert iso_datetime(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)) == "2026-01-02T03:04:05+00:00"
    assert iso_datetime(None) == ""


def test_paragraph_block_template_applies_footnote_filter():
    tpl = Template("{% load magazine_tags %}{{ v|footnote_refs:reg }}")
    out = tpl.render(Context({"v": "<p>x[^2]</p>", "reg": {}}))
    assert 'href="#fn-2"' in out


@pytest.mark.django_db
def test_build_magazine_tree_and_default_site():
    mag = build_magazine(n_articles=7, with_images=False)
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == mag["home"].pk
    assert isinstance(site.root_page.specific, HomePage)
    # The Wagtail "Welcome" placeholder is gone; only our home sits under the root.
    assert [p.specific_class for p in Page.get_first_root_node().get_children()] == [HomePage]
    assert [s.slug for s in mag["sections"]] == ["oped", "analysis", "news", "interviews", "books"]
    assert mag["section"]["oped"].is_opinion
    assert len(mag["articles"]) == 7
    assert all(a.live for a in mag["articles"])
    dates = [a.date for a in mag["articles"]]
    assert dates == sorted(dates, reverse=True)
    assert mag["home"].get_children().count() == 6  # five sections and the issue archive
    assert [a.pk for a in mag["issue"].articles()] == [a.pk for a in mag["articles"][:4]]
    assert mag["settings"].follow_links.count() == 3


@pytest.mark.django_db
def test_build_magazine_rejects_bad_arguments():
    with pytest.raises(ValueError, match="n_articles"):
        build_magazine(n_articles=-1)
    with pytest.raises(ValueError, match="section"):
        build_magazine(sections=())


@pytest.mark.django_db
def test_article_authors_section_and_author_url():
    mag = build_magazine(n_articles=5, with_images=False)
    article = mag["articles"][0]
    assert [a.name for a in article.authors] == [mag["authors"][0].name, mag["authors"][1].name]
    assert article.section.pk == mag["section"]["oped"].pk
    assert Author.objects.get(slug="amina-rehman").get_absolute_url() == "/authors/amina-rehman/"


@pytest.mark.django_db
def test_section_articles_exclude_drafts_and_other_sections():
    mag = build_magazine(n_articles=10, with_images=False)
    oped = mag["section"]["oped"]
    listed = list(oped.articles())
    assert {a.pk for a in listed} == {mag["articles"][0].pk, mag["articles"][5].pk}
    mag["articles"][5].unpublish()
    assert [a.pk for a in oped.articles()] == [mag["articles"][0].pk]


@pytest.mark.django_db
def test_related_articles_share_tags_and_language():
    mag = build_magazine(n_articles=8, with_images=False)
    article = mag["articles"][0]
    related = related_articles(article)
    assert article not in related
    assert related and all(set(r.tags.names()) & set(article.tags.names()) for r in related)
    urdu = translate_page(article, "ur")
    assert urdu.locale.language_code == "ur"
    assert related_articles(urdu) == []  # no other Urdu articles yet, and never English ones
    assert [a.name for a in urdu.authors] == [a.name for a in article.authors]
    assert ArticlePage.objects.filter(translation_key=article.translation_key).count() == 2
