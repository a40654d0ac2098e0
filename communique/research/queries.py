"""Reader-page queries, each a fixed number of SQL statements whatever the archive's size."""
from __future__ import annotations

from django.db.models import Count, Q

from .models import DateFact, Entity, FigureFact, Mention, Source

CO_MENTIONED = 15
# "Often mentioned with" is counted over the latest articles naming the entity, not all of them:
# over the whole archive the count reads every mention of every article that names a frequent
# entity (a million rows for a name in each of 10,000 articles, 20 s and more on PostgreSQL).
CO_MENTION_WINDOW = 500
TIMELINE_LIMIT = 300


def live_sources():
    """Sources readers may see: live, public articles (books are not on the web)."""
    from wagtail.models import PageViewRestriction

    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    qs = Source.objects.filter(page__live=True)
    for path in restricted:  # few restrictions on a magazine site; pages below one are private
        qs = qs.exclude(page__path__startswith=path)
    return qs


def sources_mentioning(entity):
    """The live sources naming `entity`, newest first. A semi-join without a count per row, so a
    page of the list reads only its own rows: counting every source's mentions before paginating
    grouped the whole archive (seconds for a country named in each of 10,000 articles)."""
    return (live_sources().filter(pk__in=Mention.objects.filter(entity=entity).values("source_id"))
            .select_related("page").order_by("-published", "-pk"))


def count_mentions(entity, sources):
    """Set `n`, the number of times each of `sources` (one page of the list) names `entity`."""
    sources = list(sources)
    counts = dict(Mention.objects.filter(entity=entity, source__in=[s.pk for s in sources])
                  .values_list("source_id").annotate(n=Count("id")))
    for s in sources:
        s.n = counts.get(s.pk, 0)
    return sources


def co_mentioned(entity, limit=CO_MENTIONED, window=CO_MENTION_WINDOW):
    # a semi-join, so an article naming the entity five times is one article of the window
    source_ids = (live_sources().filter(pk__in=Mention.objects.filter(entity=entity).values("source_id"))
                  .order_by("-published", "-pk").values("pk")[:window])
    return (Entity.objects.public().filter(mentions__source__in=source_ids).exclude(pk=entity.pk)
            .annotate(shared=Count("mentions__source", distinct=True), weight=Count("mentions"))
            .order_by("-shared", "-weight", "name")[:limit])


def timeline(*entities, limit=TIMELINE_LIMIT):
    """Dated facts whose sentence names every one of `entities`, oldest first."""
    qs = DateFact.objects.filter(source__in=live_sources().values("pk")).exclude(date="")
    for e in entities:
        qs = qs.filter(entities=e)
    return qs.select_related("source", "source__page").order_by("date", "pk").distinct()[:limit]


def pair_timeline(first, second, limit=TIMELINE_LIMIT):
    """The dated facts of the articles that mention both: a topic ("Pakistan–Russia") is what those
    articles are about, and their dates (the troika meetings of an article on Pakistan–Russia
    relations) seldom name both countries in the same sentence."""
    both = live_sources().filter(mentions__entity=first).filter(mentions__entity=second).values("pk")
    return (DateFact.objects.filter(source__in=both).exclude(date="").select_related("source", "source__page")
            .order_by("date", "pk")[:limit])


def key_facts(page):
    source = Source.objects.filter(page_id=page.pk).first()
    if source is None:
        return None, [], []
    dates = list(DateFact.objects.filter(source=source).exclude(date="").order_by("passage", "start"))
    figures = list(FigureFact.objects.filter(source=source).order_by("passage", "start"))
    return source, dates, figures


def about_and_mentions(page, about_limit=3, mention_limit=20):
    """The entities an article is mostly about (most mentions) and the rest it mentions."""
    rows = (Mention.objects.filter(source__page_id=page.pk, entity__status="confirmed")
            .values("entity_id", "entity__name", "entity__kind", "entity__wikidata_id")
            .annotate(n=Count("id")).order_by("-n", "entity__name")[: about_limit + mention_limit])
    rows = list(rows)
    return rows[:about_limit], rows[about_limit:]


def search_sources(q: str):
    qs = live_sources()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(mentions__entity__name__icontains=q)).distinct()
    return qs
