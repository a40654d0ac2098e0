import pytest

from communique.research import services
from communique.research.models import DateFact, Entity, EntityName, FigureFact, Mention, Source

from .articles import magazine_with_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    mag, pages = magazine_with_articles()
    for page in pages:
        services.extract_page(page)
    return pages


def test_extract_page_stores_mentions_dates_and_figures(stored):
    first = stored[0]
    source = Source.objects.get(page=first)
    assert source.published.isoformat() == "2021-04-08"
    lavrov = Entity.objects.get(kind="person", name="Sergey Lavrov")
    assert lavrov.status == "confirmed"  # from the curated starter list
    assert lavrov.mention_count == 2  # once in each article
    assert Mention.objects.filter(entity=lavrov).values("source").distinct().count() == 2
    pipeline = Entity.objects.get(kind="event", name="Pakistan Stream Gas Pipeline")
    assert Mention.objects.filter(entity=pipeline, source=source).count() == 2
    assert set(DateFact.objects.filter(source=source).values_list("date", flat=True)) >= {"2021-04-07", "2015-05-12"}
    signing = DateFact.objects.get(source=source, date="2015-05-12")
    assert {"Russia", "Pakistan", "Pakistan Stream Gas Pipeline"} <= set(signing.entities.values_list("name", flat=True))
    assert set(FigureFact.objects.filter(source=source).values_list("kind", "value")) == {
        ("money", 2e9), ("quantity", 1100), ("percent", 26)}
    lahore = Entity.objects.get(kind="place", name="Lahore")
    assert lahore.status == "suggested" and lahore.country == "PK" and lahore.geonames_id


def test_extracting_again_replaces_and_does_not_duplicate(stored):
    before = Mention.objects.count(), DateFact.objects.count(), FigureFact.objects.count(), Entity.objects.count()
    services.extract_page(stored[0])
    assert (Mention.objects.count(), DateFact.objects.count(), FigureFact.objects.count(),
            Entity.objects.count()) == before


def test_merge_moves_names_mentions_and_dates(stored):
    lahore = Entity.objects.get(kind="place", name="Lahore")
    karachi = Entity.objects.get(kind="place", name="Karachi")
    moved = karachi.mentions.count()
    merged = services.merge(lahore, [karachi])
    assert not Entity.objects.filter(pk=karachi.pk).exists()
    assert "Karachi" in merged.all_names()
    assert merged.mention_count == moved + 1 and merged.status == "confirmed"
    with pytest.raises(ValueError, match="one kind"):
        services.merge(merged, [Entity.objects.get(name="Sergey Lavrov")])


def test_split_moves_the_chosen_names_and_their_mentions(stored):
    pakistan = Entity.objects.get(kind="place", name="Pakistan")
    EntityName.objects.create(entity=pakistan, name="Pak")
    Mention.objects.filter(entity=pakistan).update(text="Pak")  # pretend every mention was written "Pak"
    first = Mention.objects.filter(entity=pakistan).first()
    first.text = "Pakistan"
    first.save()
    new = services.split(pakistan, ["Pak"], "Pak (other)")
    assert new.kind == "place" and new.status == "suggested"
    assert set(new.all_names()) == {"Pak (other)", "Pak"}
    assert "Pak" not in pakistan.all_names()
    assert Mention.objects.filter(entity=new, text="Pak").count() == new.mention_count > 0
    assert Mention.objects.filter(entity=pakistan).count() == 1
    with pytest.raises(ValueError, match="not a name"):
        services.split(pakistan, ["Nowhere"])
    with pytest.raises(ValueError, match="must stay"):
        services.split(pakistan, ["Pakistan"])


def test_confirmed_names_feed_the_next_extraction_and_rejected_ones_stay_out(stored):
    lahore = Entity.objects.get(kind="place", name="Lahore")
    lahore.status = "rejected"
    lahore.save()
    renamed = Entity.objects.get(kind="event", name="Pakistan Stream Gas Pipeline")
    # An editor confirms a new project name; the next extraction must know it.
    project = Entity.objects.create(kind="organisation", name="Sui Southern Gas Company", status="confirmed")
    EntityName.objects.create(entity=project, name="Sui Southern")
    names = {(n.kind, n.name, n.rejected) for n in services.authority_names()}
    assert ("place", "Lahore", True) in names and ("organisation", "Sui Southern Gas Company", False) in names
    services.extract_page(stored[0])
    source = Source.objects.get(page=stored[0])
    assert not Mention.objects.filter(source=source, entity__name="Lahore").exists()
    assert Mention.objects.filter(source=source, entity=project).count() == 1
    assert Mention.objects.filter(source=source, entity=renamed).exists()


def test_reject_removes_mentions():
    mag, pages = magazine_with_articles()
    services.extract_page(pages[0])
    karachi = Entity.objects.get(kind="place", name="Karachi")
    services.reject([karachi])
    karachi.refresh_from_db()
    assert karachi.status == "rejected" and karachi.mention_count == 0 and not karachi.mentions.exists()
