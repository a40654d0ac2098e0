"""What the desk does with the database: read the authority list out for the extractor, store an
extraction of an article or book, and let editors confirm, reject, merge and split entities.

Every write happens in one transaction, so a failed extraction leaves the previous one in place."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count

from . import authority as authority_mod
from .models import DateFact, Entity, EntityName, FigureFact, Mention, PersonTitle, Source


def authority_names() -> list[authority_mod.Name]:
    """The confirmed records (their names feed the EntityRuler) and the rejected ones (their names
    are never suggested again), in the extractor's shape."""
    out = []
    aliases = defaultdict(list)
    for entity_id, name in EntityName.objects.filter(entity__status__in=("confirmed", "rejected")) \
            .values_list("entity_id", "name"):
        aliases[entity_id].append(name)
    for e in Entity.objects.filter(status__in=("confirmed", "rejected")).only("id", "kind", "name", "country", "status"):
        out.append(authority_mod.Name(e.kind, e.name, aliases[e.pk], key=f"db:{e.pk}", country=e.country,
                                      rejected=e.status == "rejected"))
    return out


def _find_entity(found, cache):
    """The Entity a found entity is: by database key, by the extractor's key, then by name or alias."""
    if found.key.startswith("db:"):
        entity = Entity.objects.filter(pk=int(found.key[3:])).first()
        if entity is not None:
            return entity
    ck = (found.kind, found.key or found.name.lower())
    if ck in cache:
        return cache[ck]
    entity = None
    if found.key:
        entity = Entity.objects.filter(kind=found.kind, key=found.key).exclude(status="rejected").first()
    if entity is None:
        entity = Entity.objects.filter(kind=found.kind, name__iexact=found.name).exclude(status="rejected").first()
    if entity is None:
        entity = Entity.objects.filter(kind=found.kind, aliases__name__iexact=found.name).exclude(status="rejected").first()
    if entity is None:
        entity = Entity.objects.create(
            kind=found.kind, name=found.name[:255], key=found.key[:120],
            # the shipped starter list is curated; what the model alone found waits for an editor
            status="confirmed" if found.known else "suggested",
            country=found.country, geonames_id=found.geonames_id, iso_code=found.iso_code,
        )
    existing = {a.lower() for a in entity.all_names()}
    for alias in found.aliases:
        if alias.lower() not in existing and len(alias) <= 255:
            EntityName.objects.get_or_create(entity=entity, name=alias, language="",
                                             defaults={"name_kind": "acronym" if alias.isupper() else "alias"})
            existing.add(alias.lower())
    if found.kind == "person":
        have = set(entity.titles.values_list("title", flat=True))
        for title in found.titles:
            if title and title not in have:
                PersonTitle.objects.create(entity=entity, title=title[:255])
    cache[ck] = entity
    return entity


@transaction.atomic
def store(extraction, *, page=None, book=None) -> Source:
    """Replace what was stored for this page or book with `extraction`."""
    lookup = {"page": page} if page is not None else {"book": book}
    published = date.fromisoformat(extraction.published) if extraction.published else None
    source, _ = Source.objects.update_or_create(**lookup, defaults={
        "title": (extraction.title or "")[:500], "published": published, "words": extraction.words})
    touched = set(source.mentions.values_list("entity_id", flat=True).distinct())
    source.mentions.all().delete()
    source.dates.all().delete()
    source.figures.all().delete()

    cache = {}
    mentions = []
    in_sentence = defaultdict(set)  # (passage, sentence) → entity ids
    for found in extraction.entities:
        entity = _find_entity(found, cache)
        touched.add(entity.pk)
        for m in found.mentions:
            mentions.append(Mention(entity=entity, source=source, text=m.text[:255], sentence=m.sentence,
                                    passage=m.passage, start=m.start, end=m.end))
            in_sentence[(m.passage, m.sentence)].add(entity.pk)
    Mention.objects.bulk_create(mentions, batch_size=500)

    facts = []
    for d in extraction.dates:
        facts.append(DateFact(source=source, date=d.date or "", end_date=d.end_date or "", precision=d.precision,
                              text=d.text[:255], sentence=d.sentence, relative=d.relative,
                              passage=d.passage, start=d.start))
    DateFact.objects.bulk_create(facts, batch_size=500)
    through = []
    for fact in facts:
        for entity_id in in_sentence.get((fact.passage, fact.sentence), ()):
            through.append(DateFact.entities.through(datefact_id=fact.pk, entity_id=entity_id))
    DateFact.entities.through.objects.bulk_create(through, batch_size=500)
    FigureFact.objects.bulk_create([
        FigureFact(source=source, value=f.value, unit=f.unit[:100], symbol=f.symbol[:20], kind=f.kind,
                   text=f.text[:255], sentence=f.sentence, passage=f.passage, start=f.start)
        for f in extraction.figures], batch_size=500)
    recount(touched)
    return source


def recount(entity_ids) -> None:
    counts = dict(Mention.objects.filter(entity_id__in=entity_ids).values_list("entity_id").annotate(n=Count("id")))
    for entity_id in entity_ids:
        Entity.objects.filter(pk=entity_id).update(mention_count=counts.get(entity_id, 0))


def extract_page(page):
    """Read a published article through the document model and store what the extractor finds."""
    from communique.documents.readers import read_article

    from .extract import extract_document

    page = page.specific
    document = read_article(page)
    published = page.date.date() if getattr(page, "date", None) else None
    result = extract_document(document, published=published, names=authority_names())
    return store(result, page=page)


# ---- editors' decisions ---------------------------------------------------------------------


@transaction.atomic
def confirm(entities) -> int:
    from . import glossary

    ids = [e.pk for e in entities]
    done = Entity.objects.filter(pk__in=ids).update(status="confirmed")
    glossary.sync(ids)  # update() sends no signals
    return done


@transaction.atomic
def reject(entities) -> int:
    ids = [e.pk for e in entities]
    Mention.objects.filter(entity_id__in=ids).delete()
    DateFact.entities.through.objects.filter(entity_id__in=ids).delete()
    done = Entity.objects.filter(pk__in=ids).update(status="rejected", mention_count=0)
    from . import glossary

    glossary.sync(ids)
    return done


@transaction.atomic
def merge(target: Entity, others) -> Entity:
    """Fold `others` into `target`: their names become aliases, their mentions, titles and dates move."""
    others = [o for o in others if o.pk != target.pk]
    if any(o.kind != target.kind for o in others):
        raise ValueError("Only entities of one kind can be merged (a person with a person, a place with a place).")
    names = {n.lower() for n in target.all_names()}
    for other in others:
        for n in other.all_names():
            if n.lower() not in names:
                EntityName.objects.create(entity=target, name=n, name_kind="alias")
                names.add(n.lower())
        Mention.objects.filter(entity=other).update(entity=target)
        PersonTitle.objects.filter(entity=other).update(entity=target)
        for fact in DateFact.objects.filter(entities=other):
            fact.entities.add(target)
        for field in ("wikidata_id", "geonames_id", "iso_code", "country", "description"):
            if not getattr(target, field) and getattr(other, field):
                setattr(target, field, getattr(other, field))
        other.delete()
    if target.status == "suggested":
        target.status = "confirmed"
    target.save()
    recount([target.pk])
    target.refresh_from_db()
    return target


@transaction.atomic
def split(entity: Entity, names, new_name: str | None = None) -> Entity:
    """Move the aliases `names` (and the mentions written with them) to a new entity of the same kind:
    "Mr. Khan" who was two people."""
    names = [n for n in names if n]
    if not names:
        raise ValueError("Choose at least one name to split off.")
    own = {n.lower(): n for n in entity.all_names()}
    unknown = [n for n in names if n.lower() not in own]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not a name of {entity.name}.")
    if {n.lower() for n in names} >= set(own):
        raise ValueError("At least one name must stay with the original entity.")
    new_name = new_name or names[0]
    new = Entity.objects.create(kind=entity.kind, name=new_name, status="suggested", country=entity.country)
    lowered = {n.lower() for n in names}
    for alias in list(entity.aliases.all()):
        if alias.name.lower() in lowered:
            if alias.name != new_name:
                alias.entity = new
                alias.save()
            else:
                alias.delete()
    if entity.name.lower() in lowered:  # the main name went: the first remaining alias takes its place
        first = entity.aliases.order_by("name").first()
        entity.name = first.name
        first.delete()
        entity.save()
    moved = Mention.objects.filter(entity=entity, text__in=[own[n.lower()] for n in names])
    facts = DateFact.objects.filter(entities=entity, source__mentions__in=moved).distinct()
    for fact in facts:
        fact.entities.add(new)
    moved.update(entity=new)
    recount([entity.pk, new.pk])
    from . import glossary

    glossary.sync([entity.pk, new.pk])  # the names that left are no longer the record's terms
    new.refresh_from_db()
    return new
