"""schema.org `about` / `mentions` for an article's JSON-LD, from its confirmed entities (one query)."""
from .queries import about_and_mentions

SCHEMA_TYPES = {"person": "Person", "organisation": "Organization", "place": "Place", "event": "Event"}


def _thing(row, request):
    from django.urls import reverse
    from django.utils.text import slugify

    url = reverse("research:entity", kwargs={"pk": row["entity_id"], "slug": slugify(row["entity__name"]) or "entity"})
    thing = {"@type": SCHEMA_TYPES.get(row["entity__kind"], "Thing"), "name": row["entity__name"],
             "url": request.build_absolute_uri(url) if request is not None else url}
    if row["entity__wikidata_id"]:
        thing["sameAs"] = f"https://www.wikidata.org/wiki/{row['entity__wikidata_id']}"
    return thing


def article_about_mentions(article, request=None) -> dict:
    if not getattr(article, "pk", None):
        return {}
    about, mentions = about_and_mentions(article)
    data = {}
    if about:
        data["about"] = [_thing(r, request) for r in about]
    if mentions:
        data["mentions"] = [_thing(r, request) for r in mentions]
    return data
