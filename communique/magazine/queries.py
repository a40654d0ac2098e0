"""Read-side queries shared by the reader pages.

Every list of cards goes through with_cards(): authors, lead images and their card renditions
come in a fixed number of queries, whatever the number of cards."""
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.db.models.query import ModelIterable
from django.utils.functional import SimpleLazyObject, cached_property

CARD_IMAGE = "fill-640x360|format-webp"
LEAD_IMAGE = "fill-1200x675|format-webp"
# A print issue's cover: one 3:4 portrait crop (close to a US-letter or A4 magazine) on every page
# that shows it; templates/magazine/includes/issue_cover.html spells the same spec.
ISSUE_COVER = "fill-600x800|format-webp"


def with_cards(qs, *specs):
    """Cards' related rows in bulk: authors (with portraits), lead images and renditions."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    qs = qs.select_related("locale").prefetch_related(
        "article_authors__author",
        Prefetch("lead_image", queryset=image_model.objects.prefetch_renditions(CARD_IMAGE, *specs)),
    )
    qs.__class__ = _with_sections_class(qs.__class__)
    return qs


def attach_sections(articles):
    """Set each article's `section` (its parent, specific) from one query for all of them, so a
    list of cards showing their section does not ask for each parent on its own."""
    from wagtail.models import Page

    pending = [a for a in articles if "section" not in a.__dict__ and getattr(a, "path", None)]
    if not pending:
        return
    paths = {a.path[: -Page.steplen] for a in pending}
    parents = {p.path: p for p in Page.objects.filter(path__in=paths).specific()}
    for article in pending:
        article.__dict__["section"] = parents.get(article.path[: -Page.steplen])


class _WithSections:
    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is ModelIterable and self._result_cache:
            attach_sections(self._result_cache)


_SECTIONED = {}


def _with_sections_class(cls):
    if issubclass(cls, _WithSections):
        return cls
    if cls not in _SECTIONED:
        _SECTIONED[cls] = type(f"Sectioned{cls.__name__}", (_WithSections, cls), {})
    return _SECTIONED[cls]


class CachedCountPaginator(Paginator):
    """A Paginator whose count (one COUNT query, long on a big archive) is kept in the cache until
    the next publish or unpublish; `count_key` names the list (e.g. "section:12")."""

    def __init__(self, object_list, per_page, count_key=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        from django.core.cache import cache
        from django.utils.translation import get_language

        from . import fragments, page_cache

        if not self.count_key or fragments.timeout() <= 0:
            return Paginator.count.func(self)
        key = f"communique:count:g{page_cache.generation()}:{get_language()}:{self.count_key}"
        value = cache.get(key)
        if value is None:
            value = Paginator.count.func(self)
            cache.set(key, value, fragments.timeout())
        return value


def lazy_values(compute, names):
    """{name: lazy value} for a context: compute() (returning a dict) runs once, when a template
    first reads one of them — not at all when the fragment that shows them is cached."""
    results = []

    def value(name):
        if not results:
            results.append(compute())
        return results[0][name]

    return {name: SimpleLazyObject(lambda name=name: value(name)) for name in names}


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
    # One query per section (the editors' layout, not the archive, sets how many), then the cards'
    # authors and images for all of them together.
    from django.db.models import prefetch_related_objects
    from wagtail.images import get_image_model

    blocks = []
    for section, count in plan:
        articles = list(section.articles().prefetch_related(None).select_related("locale").exclude(pk__in=shown)[:count])
        for article in articles:
            article.__dict__["section"] = section
        blocks.append((section, articles))
    cards = [a for _, articles in blocks for a in articles]
    prefetch_related_objects(cards, "article_authors__author", Prefetch(
        "lead_image", queryset=get_image_model().objects.prefetch_renditions(CARD_IMAGE)))
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
    tag_ids = [tag.pk for tag in article.tag_list if tag.pk]
    if tag_ids:
        related = list(qs.filter(tags__in=tag_ids).distinct().order_by("-date")[:limit])
        if related:
            return related
    return list(qs.sibling_of(article, inclusive=False).order_by("-date")[:limit])


def view_restrictions():
    """Every page view restriction (with its page's path and depth), from the cache until the next
    purge (saving or deleting a restriction purges): Wagtail's public() asks the database each
    time, and one reader page filters several lists by it and checks its own page."""
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    from . import fragments, page_cache

    def fetch():
        return list(PageViewRestriction.objects.select_related("page").only(
            "id", "restriction_type", "password", "page__id", "page__path", "page__depth"))

    if fragments.timeout() <= 0:
        return fetch()
    key = f"communique:restrictions:g{page_cache.generation()}"
    found = cache.get(key)
    if found is None:
        found = fetch()
        cache.set(key, found, fragments.timeout())
    return found


def restricted_sections():
    return [(r.page.path, r.page.depth) for r in view_restrictions()]


def _reader_queryset_class():
    from django.db.models import Q
    from wagtail.query import PageQuerySet

    class ReaderPageQuerySet(PageQuerySet):
        def private_q(self):
            q = Q()
            for path, depth in restricted_sections():
                q |= Q(path__startswith=path, depth__gte=depth)
            return q if q else Q(pk__in=[])

    return ReaderPageQuerySet


def reader_page_manager():
    """The manager of the magazine's page models: Wagtail's, with public() from the cache."""
    from wagtail.models import PageManager

    return PageManager.from_queryset(_reader_queryset_class())()
