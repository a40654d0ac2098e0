"""Search (issue 12, defect 7): stemming ("listen" finds "listening"), author names, snippets
with the matches highlighted. Runs on SQLite (Snowball stems indexed beside the text) and again
on PostgreSQL (language-aware text-search configurations) in the second pass of `dev.py test`."""
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from communique.magazine.models import Author

from .test_feeds import _article, build_outreach_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag():
    mag = build_outreach_site()
    article = mag.report
    article.body = [{"type": "paragraph", "value": "<p>Small states gain most by listening before they speak; "
                                                   "their envoys learned that in Geneva.</p>"}]
    article.save_revision().publish()
    quiet = Author.objects.create(name="Zainab Qureshi", slug="zainab-qureshi")
    mag.by_quiet = _article(mag.news, "A note from the border", [quiet], timezone.now() - timedelta(days=5))
    return mag


def results(client, q, prefix=""):
    response = client.get(f"{prefix}/search/", {"q": q})
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    return doc, [" ".join(a.text_content().split()) for a in doc.cssselect(".search-result .card-title a")]


def test_stemming_finds_other_forms_of_a_word(client, mag):
    _, found = results(client, "listen")
    assert found == [mag.report.title]
    _, found = results(client, "envoy")
    assert found == [mag.report.title]


def test_author_names_are_searched(client, mag):
    _, found = results(client, "Qureshi")
    assert found == [mag.by_quiet.title]


def test_results_show_a_snippet_with_the_match_highlighted(client, mag):
    doc, found = results(client, "listen")
    snippet = doc.cssselect(".search-result .snippet")[0]
    marks = [m.text for m in snippet.iter("mark")]
    assert marks == ["listening"]
    assert "Small states" in snippet.text_content()


def test_title_matches_are_highlighted_and_nothing_found_is_said(client, mag):
    doc, found = results(client, "dialogue")
    assert mag.opinion.title in found
    assert [m.text for m in doc.cssselect(".search-result .card-title mark")] == ["dialogue"]
    doc, found = results(client, "zzzyxq")
    assert found == []
    assert "No results" in doc.cssselect("#results-heading")[0].text_content()


def test_highlight_marks_the_original_letters_whether_or_not_folding_changes_lengths():
    from communique.magazine.search import highlight

    # Every letter folds to one (lower case, NFC): the fast path keeps positions as they are.
    assert "<mark>ÉCOLES</mark>" in highlight("Trois ÉCOLES ouvrent à Lahore", "écoles", "fr")
    # A tatweel and a vowel mark fold to nothing: the marked span is still the word as written.
    marked = highlight("یہ امـنَ کی بات ہے", "امن", "ur")
    assert "<mark>امـنَ</mark>" in marked and marked.endswith("کی بات ہے")
