"""Read-side queries shared by the reader pages.

Every list of cards goes through with_cards(): authors, lead images and their card renditions
come in a fixed number of queries, whatever the number of cards."""
from django.db.models import Prefetch

CARD_IMAGE = "fill-640x360|format-webp"
LEAD_IMAGE = "fill-1200x675|format-webp"
# A print issue's cover: one 3:4 portrait crop (close to a US-letter or A4 magazine) on every page
# that shows it; templates/magazine/includes/issue_cover.html spells the same spec.
ISSUE_COVER = "fill-600x800|format-webp"


def with_cards(qs, *specs):
    """Cards' related rows in bulk: authors (with portraits), lead images and renditions."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    return qs.select_related("locale").prefetch_related(
        "article_authors__author",
        Prefetch("lead_image", queryset=image_model.objects.prefetch_renditions(CARD_IMAGE, *specs)),
    )


def _readable(home):
    from .models import ArticlePage

    return ArticlePage.objects.live().public().descendant_of(home)


def home_context(home):
    """Lead story, featured stories and section grids: the editor's choices (HomePage), with the
    latest articles filling whatever was left unchosen. A story appears once on the page."""
    from .models import SectionPage

    readable = _readable(home)
    latest = readable.order_by("-date", "-pk")
    shown = []

    lead = None
    if home.lead_story_id:
        lead = with_cards(readable.filter(pk=home.lead_story_id), LEAD_IMAGE).first()
    if lead is None:
        lead = with_cards(latest, LEAD_IMAGE).first()
    if lead is not None:
        shown.append(lead.pk)

    chosen = [link.article_id for link in home.featured_links.all()]
    featured = []
    if chosen:
        found = with_cards(readable.filter(pk__in=chosen).exclude(pk__in=shown)).in_bulk()
        featured = [found[pk] for pk in chosen if pk in found]
    if not featured:
        featured = list(with_cards(latest.exclude(pk__in=shown))[:3])
    shown += [a.pk for a in featured]

    grids = [(g.section_id, g.count) for g in home.section_grids.all()]
    sections_qs = SectionPage.objects.child_of(home).live().public()
    if grids:
        by_pk = sections_qs.in_bulk([pk for pk, _ in grids])
        plan = [(by_pk[pk], count) for pk, count in grids if pk in by_pk]
    else:
        plan = [(section, 4) for section in sections_qs.order_by("path")]
    blocks = []
    for section, count in plan:
        articles = with_cards(section.articles().exclude(pk__in=shown))[:count]
        blocks.append((section, list(articles)))
    return {"lead_story": lead, "featured": featured, "section_blocks": blocks}


def related_articles(article, limit=4):
    from .models import ArticlePage

    # Same language only: an Urdu reader is not sent to the English original as "related".
    qs = with_cards(
        ArticlePage.objects.live()
        .public()
        .filter(locale_id=article.locale_id)
        .exclude(pk=article.pk)
    )
    # .all() rather than values_list: in an admin preview the tags are an in-memory cluster
    # (modelcluster), which cannot resolve "pk" in values_list.
    tag_ids = [tag.pk for tag in article.tags.all() if tag.pk]
    if tag_ids:
        related = list(qs.filter(tags__in=tag_ids).distinct().order_by("-date")[:limit])
        if related:
            return related
    return list(qs.sibling_of(article, inclusive=False).order_by("-date")[:limit])
