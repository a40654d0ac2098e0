import json

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communique.magazine.tests.factories import build_magazine
from communique.research.models import DateFact, Entity, FigureFact, Mention, Source

pytestmark = pytest.mark.django_db


def _archive(n_articles):
    """Stored research data for n articles without running the extractor (fast)."""
    mag = build_magazine(n_articles=n_articles, with_images=False)
    lavrov = Entity.objects.create(kind="person", name="Sergey Lavrov", status="confirmed", wikidata_id="Q178587")
    pakistan = Entity.objects.create(kind="place", name="Pakistan", status="confirmed", iso_code="PAK",
                                     country="PK")
    russia = Entity.objects.create(kind="place", name="Russia", status="confirmed", iso_code="RUS", country="RU")
    hidden = Entity.objects.create(kind="person", name="Suggested Person", status="suggested")
    for i, page in enumerate(mag["articles"]):
        source = Source.objects.create(page=page, title=page.title, published=page.date.date(), words=100)
        sentence = f"Sergey Lavrov met officials of Pakistan and Russia in year {2000 + i}."
        for entity in (lavrov, pakistan, russia, hidden):
            Mention.objects.create(entity=entity, source=source, text=entity.name, sentence=sentence)
        fact = DateFact.objects.create(source=source, date=f"{2000 + i}-03-0{1 + i % 9}", precision="day",
                                       text=f"March {2000 + i}", sentence=sentence)
        fact.entities.set([lavrov, pakistan, russia])
        FigureFact.objects.create(source=source, value=26, unit="percentage", kind="percent", text="26 per cent",
                                  sentence="Russia will hold 26 per cent.")
    for e in (lavrov, pakistan, russia):
        e.mention_count = len(mag["articles"])
        e.save()
    return mag, lavrov, pakistan, russia, hidden


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response


def test_entity_page_shows_who_articles_co_mentions_and_timeline(client):
    mag, lavrov, pakistan, russia, hidden = _archive(3)
    response = client.get(lavrov.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sergey Lavrov" in html and "Q178587" in html
    for page in mag["articles"]:
        assert page.title in html
    assert "Pakistan" in html and "Russia" in html and "Suggested Person" not in html
    assert "<svg" in html and "2000-03-01" in html
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/research/entity/{lavrov.pk}-wrong/").status_code == 301


def test_entity_page_query_count_does_not_grow_with_the_archive(client):
    from django.core.cache import cache

    _mag, lavrov, *_ = _archive(3)
    cache.clear()  # both sizes start from the same empty fragment and route caches
    _queries(client, lavrov.get_absolute_url())  # warm: per-process caches (site, locales, settings)
    small, _ = _queries(client, lavrov.get_absolute_url())
    Source.objects.all().delete()
    Entity.objects.all().delete()
    _mag, lavrov, *_ = _archive(12)
    cache.clear()
    _queries(client, lavrov.get_absolute_url())
    large, response = _queries(client, lavrov.get_absolute_url())
    assert response.content.decode().count("research-sources") == 1
    assert large <= small, (small, large)  # the larger archive costs no more queries


def test_pair_timeline_and_key_facts_query_counts_do_not_grow_with_the_archive(client):
    from django.core.cache import cache

    def counts(n):
        Source.objects.all().delete()
        Entity.objects.all().delete()
        mag, _lavrov, pakistan, russia, _hidden = _archive(n)
        urls = [f"/research/timeline/{pakistan.pk}/{russia.pk}/",
                f"/research/timeline/{pakistan.pk}/{russia.pk}/timeline.json", mag["articles"][0].url]
        cache.clear()
        for url in urls:
            _queries(client, url)  # warm: per-process caches (site, locales, settings)
        cache.clear()
        return [_queries(client, url)[0] for url in urls]

    small = counts(3)
    large = counts(12)
    assert all(b <= a for a, b in zip(small, large)), (small, large)


def test_pair_timeline_html_and_timelinejs(client):
    mag, lavrov, pakistan, russia, hidden = _archive(3)
    response = client.get(f"/research/timeline/{pakistan.pk}/{russia.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("<li><time") == 3
    data = json.loads(client.get(f"/research/timeline/{pakistan.pk}/{russia.pk}/timeline.json").content)
    assert data["title"]["text"]["headline"] == "Pakistan – Russia"
    assert [e["start_date"] for e in data["events"]] == [
        {"year": "2000", "month": "3", "day": "1"}, {"year": "2001", "month": "3", "day": "2"},
        {"year": "2002", "month": "3", "day": "3"}]
    assert client.get(f"/research/timeline/{pakistan.pk}/{hidden.pk}/").status_code == 404


def test_unpublished_articles_are_not_on_reader_pages(client):
    mag, lavrov, *_ = _archive(3)
    gone = mag["articles"][0]
    gone.unpublish()
    html = client.get(lavrov.get_absolute_url()).content.decode()
    assert gone.title not in html
    assert mag["articles"][1].title in html


def test_exports_need_the_permission(client):
    _archive(3)
    assert client.get("/research/export/dates.csv").status_code == 302  # to the login page
    user = User.objects.create_user("analyst", password="pw-analyst-123")
    client.force_login(user)
    assert client.get("/research/export/dates.csv").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="export_research"))
    user = User.objects.get(pk=user.pk)
    client.force_login(user)
    response = client.get("/research/export/dates.csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("date,end_date,precision") and len(lines) == 4
    data = json.loads(client.get("/research/export/entities.json").content)
    assert {e["name"] for e in data["entities"]} == {"Sergey Lavrov", "Pakistan", "Russia"}
    figures = json.loads(client.get("/research/export/figures.json?q=Why the Shanghai").content)["figures"]
    assert len(figures) == 1 and figures[0]["unit"] == "percentage"
    assert client.get("/research/export/secrets.csv").status_code == 404


def test_article_has_key_facts_and_jsonld_about_mentions(client):
    mag, lavrov, pakistan, russia, hidden = _archive(3)
    page = mag["articles"][0]
    html = client.get(page.url).content.decode()
    assert 'class="key-facts"' in html and "26 per cent" in html
    start = html.index('"about"')
    assert "Sergey Lavrov" in html[start:start + 2000]
    assert "Suggested Person" not in html
    assert "https://www.wikidata.org/wiki/Q178587" in html


def test_entity_page_shows_titles_with_dates_and_former_names(client):
    from datetime import date

    from communique.research.models import EntityName, PersonTitle

    _mag, lavrov, *_ = _archive(1)
    PersonTitle.objects.create(entity=lavrov, title="Foreign Minister of the Russian Federation", start=date(2004, 3, 9))
    project = Entity.objects.create(kind="event", name="Pakistan Stream Gas Pipeline", status="confirmed")
    EntityName.objects.create(entity=project, name="North–South Gas Pipeline", name_kind="former", until=date(2021, 5, 1))
    html = client.get(lavrov.get_absolute_url()).content.decode()
    assert "Foreign Minister of the Russian Federation (2004–)" in html
    html = client.get(project.get_absolute_url()).content.decode()
    assert "North–South Gas Pipeline" in html and "former name" in html and "2021" in html


def test_a_wikidata_id_is_typed_as_q_and_digits():
    from django.core.exceptions import ValidationError

    entity = Entity(kind="person", name="Sergey Lavrov", wikidata_id="Lavrov")
    with pytest.raises(ValidationError, match="looks like Q42"):
        entity.full_clean()
    entity.wikidata_id = "Q178587"
    entity.full_clean()


def test_co_mentioned_counts_only_the_latest_articles_of_the_window():
    from communique.research import queries

    mag, lavrov, pakistan, russia, _hidden = _archive(3)
    oldest = min(Source.objects.all(), key=lambda s: (s.published, s.pk))
    china = Entity.objects.create(kind="place", name="China", status="confirmed")
    Mention.objects.create(entity=china, source=oldest, text="China", sentence="China too.")
    assert "China" in {e.name for e in queries.co_mentioned(lavrov)}
    latest_two = {e.name for e in queries.co_mentioned(lavrov, window=2)}
    assert latest_two == {"Pakistan", "Russia"}  # China is only in the oldest article


def test_the_article_list_counts_each_rows_mentions():
    from communique.research import queries

    _mag, lavrov, *_ = _archive(2)
    source = Source.objects.first()
    Mention.objects.create(entity=lavrov, source=source, text="Lavrov", sentence="Lavrov again.")
    rows = queries.count_mentions(lavrov, queries.sources_mentioning(lavrov))
    assert sorted(s.n for s in rows) == [1, 2] and len(rows) == 2
