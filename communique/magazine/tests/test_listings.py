"""The archive's list rows (magazine.listings) follow every change an editor can make: each test
compares them with the lists computed from the articles themselves, and reads the reader pages."""
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from communique.magazine import listings
from communique.magazine.models import ArticlePage, ArticleTag, Author, ListingEntry

from .factories import _publish, build_magazine, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag(db, settings):
    settings.COMMUNIQUE_FRAGMENT_CACHE_SECONDS = 0
    cache.clear()
    return build_magazine(n_articles=12, sections=("OpEd", "News"), with_images=False, translate_to=("ur",))


def _stored():
    return set(ListingEntry.objects.values_list("key", "article_id", "path", "date"))


def _from_articles():
    """What the lists hold by definition: every live article under its parent section, each
    byline (by translation key) and each tag, in the article's language."""
    rows = set()
    for article in ArticlePage.objects.live().prefetch_related("article_authors__author", "tagged_items"):
        rows.add((listings.section_key(article.get_parent().pk), article.pk, article.path, article.date))
        for link in article.article_authors.all():
            rows.add((listings.author_key(link.author.translation_key, article.locale_id), article.pk, article.path, article.date))
        for item in article.tagged_items.all():
            rows.add((listings.tag_key(item.tag_id, article.locale_id), article.pk, article.path, article.date))
        rows.add((listings.language_key(article.locale_id), article.pk, article.path, article.date))
    return rows


def _titles(client, url):
    from lxml import html as lxml_html

    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return [" ".join(a.text_content().split()) for a in lxml_html.fromstring(response.content).cssselect(".list .card-title a")]


def _tag_url(name):
    return reverse("magazine:tag", args=[ArticleTag.objects.filter(tag__name=name).first().tag.slug])


def test_saving_keeps_the_rows_equal_to_the_lists_by_definition(mag):
    assert _stored() == _from_articles()
    assert {key[0] for key, *_ in _stored()} == {"s", "a", "t", "l"}
    # The Urdu translation is listed under the Urdu section and in Urdu author and tag lists.
    urdu = mag["translations"]["ur"]["article"]
    keys = set(ListingEntry.objects.filter(article=urdu).values_list("key", flat=True))
    assert listings.section_key(urdu.get_parent().pk) in keys
    assert any(key.endswith(f":{urdu.locale_id}") and key.startswith("a:") for key in keys)


def test_rebuild_writes_the_same_rows_as_the_saves_did(mag):
    before = _stored()
    ListingEntry.objects.all().delete()
    assert listings.rebuild() == len(before)
    assert _stored() == before


def test_publishing_a_new_article_puts_it_first_on_its_section_author_and_tag_pages(client, mag):
    section, author = mag["sections"][0], mag["authors"][1]
    article = ArticlePage(title="A new treaty on shared rivers", slug="new-treaty", standfirst="New.")
    article.article_authors = [listings_link(author)]
    section.add_child(instance=article)
    article = ArticlePage.objects.get(pk=article.pk)
    article.live = False  # a draft until published
    article.save()
    assert not ListingEntry.objects.filter(article=article).exists()
    assert "A new treaty on shared rivers" not in _titles(client, section.url)
    article.tags.add("rivers-and-treaties")
    _publish(article)
    assert _stored() == _from_articles()
    for url in (section.url, author.get_absolute_url(), _tag_url("rivers-and-treaties")):
        assert _titles(client, url)[0] == "A new treaty on shared rivers", url


def listings_link(author):
    from communique.magazine.models import ArticleAuthor

    return ArticleAuthor(author=author, sort_order=0)


def test_unpublishing_takes_an_article_off_every_list(client, mag):
    article = mag["articles"][0]
    author = article.authors[0]
    tag = article.tag_list[0].name
    assert article.title in _titles(client, author.get_absolute_url())
    article.unpublish()
    assert not ListingEntry.objects.filter(article=article).exists()
    assert _stored() == _from_articles()
    for url in (mag["sections"][0].url, author.get_absolute_url(), _tag_url(tag)):
        assert article.title not in _titles(client, url), url


def test_a_byline_or_tag_removed_in_a_new_revision_leaves_that_list(client, mag):
    article = ArticlePage.objects.get(pk=mag["articles"][0].pk)
    dropped_author = article.article_authors.all()[1].author  # the first article has two bylines
    dropped_tag = article.tag_list[0].name
    article.article_authors = [link for link in article.article_authors.all() if link.author_id != dropped_author.pk]
    article.tags.remove(dropped_tag)
    _publish(article)
    assert _stored() == _from_articles()
    assert article.title not in _titles(client, dropped_author.get_absolute_url())
    assert article.title in _titles(client, article.authors[0].get_absolute_url())
    tagged = ArticleTag.objects.filter(tag__name=dropped_tag).first()
    if tagged:  # another article keeps the tag page alive
        assert article.title not in _titles(client, _tag_url(dropped_tag))


def test_moving_an_article_moves_it_between_section_lists(client, mag):
    oped, news = mag["sections"]
    article = next(a for a in mag["articles"] if a.get_parent().pk == oped.pk)
    article.move(news, pos="last-child")
    assert _stored() == _from_articles()
    assert article.title in _titles(client, news.url)
    assert article.title not in _titles(client, oped.url)


def test_deleting_an_article_a_tag_or_an_author_drops_their_rows(mag):
    article = mag["articles"][3]
    article.delete()
    assert not ListingEntry.objects.filter(article_id=article.pk).exists()
    from taggit.models import Tag

    Tag.objects.get(name=mag["tags"][0]).delete()
    Author.objects.get(pk=mag["authors"][2].pk).delete()
    assert _stored() == _from_articles()


def test_a_restricted_section_leaves_author_and_tag_lists(client, mag):
    oped = mag["sections"][0]
    article = next(a for a in mag["articles"] if a.get_parent().pk == oped.pk)
    author_url = article.authors[0].get_absolute_url()
    assert article.title in _titles(client, author_url)
    PageViewRestriction.objects.create(page=oped, restriction_type=PageViewRestriction.LOGIN)
    assert article.title not in _titles(client, author_url)
    assert ListingEntry.objects.filter(article=article).exists()  # kept: lifting the restriction lists it again


def test_a_row_left_behind_never_shows_a_page_that_is_not_live(client, mag):
    article = mag["articles"][0]
    section = mag["sections"][0]
    ArticlePage.objects.filter(pk=article.pk).update(live=False)  # past save(): the rows stay
    assert ListingEntry.objects.filter(article=article).exists()
    assert article.title not in _titles(client, section.url)


def test_a_translated_article_is_listed_in_its_own_language(client, mag):
    urdu = mag["translations"]["ur"]["article"]
    english = mag["articles"][0]
    author = english.authors[0]
    with translation.override("en"):
        english_url = author.get_absolute_url()
    with translation.override("ur"):
        urdu_url = author.get_absolute_url()
    assert urdu_url != english_url
    urdu_titles = _titles(client, urdu_url)
    assert urdu.title in urdu_titles and english.title not in urdu_titles
    assert english.title in _titles(client, english_url)
    again = translate_page(english, "ur", title=urdu.title + " (2)")
    assert again.pk == urdu.pk
    assert _stored() == _from_articles()
