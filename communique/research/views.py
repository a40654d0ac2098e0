"""Reader pages (entity, timeline, TimelineJS JSON) and the exports.

Entity and timeline pages show confirmed entities only and facts from live public articles only.
Exports are for staff with the `research.export_research` permission: the archive's research
data in bulk is what the publisher sells as "research and analysis", so it is not public."""
from __future__ import annotations

import csv
import itertools
import json

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import queries
from .models import DateFact, Entity, FigureFact, Mention
from .places import GEONAMES_ATTRIBUTION
from .svg import timeline_svg
from .timelinejs import timeline_json

EXPORT_LIMIT = 100_000  # rows per export; a whole archive fits, and no request runs forever


def _entity(pk):
    entity = get_object_or_404(Entity.objects.public(), pk=pk)
    return entity


def entity(request, pk, slug):
    entity = _entity(pk)
    if slug != entity.slug:
        return redirect(entity.get_absolute_url(), permanent=True)
    from django.core.paginator import Paginator

    paginator = Paginator(queries.sources_mentioning(entity), 20)
    page_obj = paginator.get_page(request.GET.get("page"))
    facts = list(queries.timeline(entity, limit=100))
    return render(request, "research/entity_page.html", {
        "entity": entity,
        "aliases": list(entity.aliases.all()),
        "titles": list(entity.titles.all()),
        "page_obj": page_obj,
        "sources": queries.count_mentions(entity, page_obj.object_list),
        "co_mentioned": list(queries.co_mentioned(entity)),
        "facts": facts,
        "svg": timeline_svg(facts),
        "attribution": GEONAMES_ATTRIBUTION if entity.kind == "place" and entity.geonames_id else "",
    })


def _pair(a, b):
    first, second = _entity(a), _entity(b)
    if first.pk == second.pk:
        raise Http404("A timeline of a pair needs two entities")
    return first, second


def timeline(request, a, b):
    first, second = _pair(a, b)
    facts = list(queries.pair_timeline(first, second))
    return render(request, "research/timeline_page.html", {
        "first": first, "second": second, "facts": facts, "svg": timeline_svg(facts),
    })


def timeline_export(request, a, b):
    first, second = _pair(a, b)
    facts = queries.pair_timeline(first, second)
    data = timeline_json(f"{first.name} – {second.name}", facts,
                         url_for=lambda f: request.build_absolute_uri(f.source.page.url) if f.source.page_id else "")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def entity_timeline_export(request, pk):
    entity = _entity(pk)
    facts = queries.timeline(entity)
    data = timeline_json(entity.name, facts,
                         url_for=lambda f: request.build_absolute_uri(f.source.page.url) if f.source.page_id else "")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# ---- exports --------------------------------------------------------------------------------

class _Echo:
    def write(self, value):
        return value


def _rows(what, sources):
    if what == "entities":
        yield ["id", "kind", "name", "status", "aliases", "wikidata_id", "geonames_id", "iso_code", "mentions"]
        qs = Entity.objects.public().filter(mentions__source__in=sources).distinct().prefetch_related("aliases")
        for e in qs.order_by("kind", "name")[:EXPORT_LIMIT]:
            yield [e.pk, e.kind, e.name, e.status, "; ".join(a.name for a in e.aliases.all()), e.wikidata_id,
                   e.geonames_id, e.iso_code, e.mention_count]
    elif what == "mentions":
        yield ["entity_id", "entity", "kind", "source", "published", "text", "sentence"]
        qs = Mention.objects.filter(source__in=sources, entity__status="confirmed").select_related("entity", "source")
        for m in qs.order_by("source_id", "passage", "start")[:EXPORT_LIMIT]:
            yield [m.entity_id, m.entity.name, m.entity.kind, m.source.title, m.source.published or "", m.text, m.sentence]
    elif what == "dates":
        yield ["date", "end_date", "precision", "relative", "text", "sentence", "source", "published"]
        qs = DateFact.objects.filter(source__in=sources).select_related("source")
        for d in qs.order_by("source_id", "passage", "start")[:EXPORT_LIMIT]:
            yield [d.date, d.end_date, d.precision, d.relative, d.text, d.sentence, d.source.title, d.source.published or ""]
    elif what == "figures":
        yield ["value", "unit", "symbol", "kind", "text", "sentence", "source", "published"]
        qs = FigureFact.objects.filter(source__in=sources).select_related("source")
        for f in qs.order_by("source_id", "passage", "start")[:EXPORT_LIMIT]:
            yield [f.value, f.unit, f.symbol, f.kind, f.text, f.sentence, f.source.title, f.source.published or ""]
    else:
        raise Http404("Export entities, mentions, dates or figures")


@login_required
@permission_required("research.export_research", raise_exception=True)
def export(request, what, fmt):
    sources = queries.search_sources(" ".join(request.GET.get("q", "").split())[:200]).values("pk")
    if fmt not in ("csv", "json"):
        raise Http404("Export as csv or json")
    rows = _rows(what, sources)
    header = next(rows)
    if fmt == "csv":
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse((writer.writerow(r) for r in itertools.chain([header], rows)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="research-{what}.csv"'
        return response
    data = [dict(zip(header, r)) for r in rows]
    response = HttpResponse(json.dumps({what: data}, ensure_ascii=False, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="research-{what}.json"'
    return response
