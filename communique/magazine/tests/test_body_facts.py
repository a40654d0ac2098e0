"""An article's word count and opening line are kept beside its body on every save, so lists of
cards show the reading time and the opening without reading the body (magazine.body_facts)."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communique.magazine.body_facts import body_facts, refill
from communique.magazine.models import ArticlePage

from .factories import build_magazine

WORDS = " ".join(["word"] * 700)  # about three minutes at 230 words a minute


@pytest.fixture
def magazine(db):
    cache.clear()
    return build_magazine(n_articles=3)


def test_body_facts_reads_paragraphs_and_headings_and_drops_footnote_markers():
    text, opening = body_facts([
        {"type": "image", "value": 3},
        {"type": "paragraph", "value": "<p>[^1]</p>"},
        {"type": "heading", "value": {"text": "Energy", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Talks <b>resumed</b>\n in Geneva.[^note]</p>"},
        {"type": "paragraph", "value": "<p>Second.</p>"},
    ])
    assert opening == "Talks resumed in Geneva."
    assert text == "[^1] Energy Talks resumed in Geneva.[^note] Second."


def test_publishing_stores_the_count_and_opening_of_the_body_as_published(magazine):
    article = ArticlePage.objects.get(pk=magazine["articles"][0].pk)
    stored = ArticlePage.objects.get(pk=article.pk)
    assert stored.word_count == len(stored.body_text.split()) > 0
    assert stored.opening == stored.first_paragraph
    assert "the visit followed" in stored.opening and "[^" not in stored.opening

    article.body = [{"type": "paragraph", "value": f"<p>New opening. {WORDS}</p>"}]
    article.save_revision().publish()
    stored = ArticlePage.objects.get(pk=article.pk)
    assert (stored.word_count, stored.opening) == (702, f"New opening. {WORDS}")

    # A save naming only the body still keeps its facts.
    stored.body = [{"type": "paragraph", "value": "<p>Short now.</p>"}]
    stored.save(update_fields=["body"])
    assert ArticlePage.objects.values_list("word_count", "opening").get(pk=article.pk) == (2, "Short now.")


def test_a_section_list_shows_the_stored_reading_time_without_reading_bodies(client, magazine):
    article = ArticlePage.objects.get(pk=magazine["articles"][0].pk)
    article.standfirst = ""
    article.body = [{"type": "paragraph", "value": f"<p>Opening words here. {WORDS}</p>"}]
    article.save_revision().publish()
    cache.clear()
    section = article.get_parent()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(section.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 min read" in html and "Opening words here." in html
    card_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "magazine_articlepage"' in q["sql"]]
    assert card_queries, "the section's cards were not read"
    assert not any('"magazine_articlepage"."body"' in sql for sql in card_queries), card_queries


def test_refill_restores_facts_for_articles_stored_without_them(magazine):
    expected = dict((pk, (w, o)) for pk, w, o in ArticlePage.objects.values_list("pk", "word_count", "opening"))
    assert all(w > 0 and o for w, o in expected.values())
    ArticlePage.objects.update(word_count=0, opening="")
    refill(ArticlePage, batch=2)
    assert dict((pk, (w, o)) for pk, w, o in ArticlePage.objects.values_list("pk", "word_count", "opening")) == expected
