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


# What no card shows: left unread (deferred) with the body, so each card's row is a third as wide.
# A card that did read one would cost a query of its own; test_query_budget counts them.
CARD_UNREAD = (
    "draft_title", "seo_title", "show_in_menus", "search_description", "go_live_at", "expire_at", "expired",
    "locked", "locked_at", "locked_by", "first_published_at", "last_published_at", "latest_revision_created_at",
    "live_revision", "latest_revision", "owner", "has_unpublished_changes", "numchild",
    "lead_image_caption", "lead_image_credit", "is_sample", "updated",
)


def with_cards(qs, *specs, sections=True, body=False):
    """Cards' related rows in bulk: authors (with portraits), lead images and renditions, and
    unless sections=False (the caller knows it), each card's section. The body is deferred unless
    body=True (a feed's items, a search's snippets): a card's reading time and opening line are
    stored beside it (magazine.body_facts)."""
    from wagtail.images import get_image_model

    image_model = get_image_model()
    if not body:
        qs = qs.defer("body", *CARD_UNREAD)
    qs = qs.select_related("locale").prefetch_related(
        "article_authors__author",
        Prefetch("lead_image", queryset=image_model.objects.prefetch_renditions(CARD_IMAGE, *specs)),
    )
    qs.__class__ = _cards_class(qs.__class__, sections)
    return qs


def attach_sections(articles):
    """Set each article's `section` (its parent, specific) from one query for all of them, so a
    list of cards showing their section does not ask for each parent on its own."""
    from wagtail.models import Page

    pending = [a for a in articles if "section" not in a.__dict__ and getattr(a, "path", None)]
    if not pending:
        return
    from .models import SectionPage

    paths = {a.path[: -Page.steplen] for a in pending}
    # Articles live under sections (ArticlePage.parent_page_types): one query of that type, and
    # Wagtail's by-type lookup only for a parent that is something else.
    parents = {p.path: p for p in SectionPage.objects.filter(path__in=paths)}
    if len(parents) < len(paths):
        parents.update((p.path, p) for p in Page.objects.filter(path__in=paths - parents.keys()).specific())
    for article in pending:
        article.__dict__["section"] = parents.get(article.path[: -Page.steplen])


def attach_authors(articles):
    """Set each article's `authors` (its bylines in its own language) from one query per
    language for all of them, instead of one per card (ArticlePage.authors)."""
    from .models import Author

    pending = [a for a in articles if "authors" not in a.__dict__]
    by_locale = {}
    for article in pending:
        by_locale.setdefault(article.locale_id, []).append(article)
    for locale_id, group in by_locale.items():
        links = {a.pk: [link.author for link in a.article_authors.all()] for a in group}
        translated = Author.for_locale([author for authors in links.values() for author in authors], locale_id)
        position = 0
        for article in group:
            n = len(links[article.pk])
            article.__dict__["authors"] = translated[position:position + n]
            position += n


class _WithCards:
    with_sections = False

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is ModelIterable and self._result_cache:
            if self.with_sections:
                attach_sections(self._result_cache)
            attach_authors(self._result_cache)


_CARD_CLASSES = {}


def _cards_class(cls, sections):
    if issubclass(cls, _WithCards):
        cls = cls.__mro__[2]  # the queryset class the cards mixin was put on
    if (cls, sections) not in _CARD_CLASSES:
        name = f"{'Sectioned' if sections else 'Card'}{cls.__name__}"
        _CARD_CLASSES[cls, sections] = type(name, (_WithCards, cls), {"with_sections": sections})
    return _CARD_CLASSES[cls, sections]


class LinkedPaginator(Paginator):
    """Each page carries `links`: the page numbers its pagination shows (the first, the last and
    two either side of it, ELLIPSIS between), so the template does not loop over every page of a
    2,000-page section."""

    def _get_page(self, *args, **kwargs):
        page = super()._get_page(*args, **kwargs)
        page.links = list(self.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
        return page


class CachedCountPaginator(LinkedPaginator):
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
            return self._count()
        key = f"communique:count:g{page_cache.generation()}:{get_language()}:{self.count_key}"
        value = cache.get(key)
        if value is None:
            value = self._count()
            cache.set(key, value, fragments.timeout())
        return value

    def _count(self):
        return Paginator.count.func(self)


class _LazyCards:
    """A page's cards, fetched when the template first reads them: on a cached fragment the
    list is never read, and no query runs for it."""

    def __init__(self, ids_qs, fetch):
        self._ids_qs, self._fetch, self._items = ids_qs, fetch, None

    def _load(self):
        if self._items is None:
            ids = list(self._ids_qs)
            found = self._fetch(ids) if ids else {}
            self._items = [found[pk] for pk in ids if pk in found]
        return self._items

    def __len__(self):
        return len(self._load())

    def __iter__(self):
        return iter(self._load())

    def __getitem__(self, index):
        return self._load()[index]

    def __bool__(self):
        return bool(self._load())


class _Reversed:
    """The ids of a slice read from the far end, put back in the list's order."""

    def __init__(self, ids_qs):
        self.ids_qs = ids_qs

    def __iter__(self):
        return iter(list(self.ids_qs)[::-1])


class ArticlePaginator(CachedCountPaginator):
    """Pages of article cards over a large archive: the count and the page's slice are asked of
    the ids alone (ordered by an index, OFFSET over 16-byte rows instead of sorting whole
    articles with their bodies), then the page's ten cards are fetched by id, with their
    authors, images and sections (with_cards).

    A page in the second half is read from the other end (the order reversed, a smaller
    OFFSET), so the last page costs what the first does. `articles` must be ordered on unique
    keys (e.g. "-date", "-pk"); `count_queryset`, if given, is counted instead (a narrower query
    with the same rows); `specs` are extra rendition specs."""

    def __init__(self, articles, per_page, count_key=None, specs=(), count_queryset=None, ids=None, section=None, **kwargs):
        if not articles.query.order_by:
            raise ValueError("ArticlePaginator needs an explicit order (e.g. .order_by('-date', '-pk'))")
        self.articles = articles
        self.specs = specs
        self.count_queryset = count_queryset
        self.section = section  # every card's, when the list is one section's
        if ids is None:
            ids = articles.prefetch_related(None).select_related(None).values_list("pk", flat=True)
        super().__init__(ids, per_page, count_key=count_key, **kwargs)

    def _count(self):
        if self.count_queryset is not None:
            return self.count_queryset.count()
        return super()._count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if number > 1 and bottom > self.count // 2:
            ids = _Reversed(self.object_list.reverse()[self.count - top:self.count - bottom])
        else:
            ids = self.object_list[bottom:top]
        return self._get_page(ids, number, self)

    def _fetch(self, ids):
        # Through `articles` (live, public, in the list): ids read from listings.ListingEntry are
        # checked against the articles as they are now.
        qs = self.articles.prefetch_related(None).filter(pk__in=ids).order_by()
        found = with_cards(qs, *self.specs, sections=self.section is None).in_bulk()
        if self.section is not None:
            for article in found.values():
                article.__dict__["section"] = self.section
        return found

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(_LazyCards(object_list, self._fetch), number, paginator)


class IdListPaginator(LinkedPaginator):
    """Pages over a list of article ids already in order (a search's results): each page's cards
    are fetched by id when the template reads them."""

    def _get_page(self, object_list, number, paginator):
        def fetch(ids):
            from .models import ArticlePage

            return with_cards(ArticlePage.objects.filter(pk__in=ids).order_by(), body=True).in_bulk()

        return super()._get_page(_LazyCards(object_list, fetch), number, paginator)


# What a link to a page needs (its URL, title and language): ancestors and translations are read
# as plain pages with these columns rather than as each page type's whole row.
LINK_FIELDS = ("id", "path", "depth", "url_path", "title", "translation_key", "locale", "live")


def ancestors(request, page):
    """The page's ancestors below the tree's root, top down, as plain pages with LINK_FIELDS:
    asked once per request for the breadcrumbs and the site's home page."""
    from . import fragments

    return fragments.per_request(request, f"ancestors:{page.pk}",
                                 lambda: list(page.get_ancestors().filter(depth__gte=2).only(*LINK_FIELDS)))


def reader_pages():
    """Live, unrestricted pages of the page tree alone, for counting lists without the join with
    the articles' table."""
    from wagtail.models import Page

    return Page.objects.live().exclude(_reader_queryset_class()(Page).private_q())


def listing_paginator(articles, key, per_page, count_key, section=None):
    """Pages of `articles` (live, public, ordered newest first) as listed under `key` in
    listings.ListingEntry: the count and the page's ids come from one index range."""
    from .listings import entries

    rows = entries(key)
    return ArticlePaginator(articles, per_page, count_key=count_key, count_queryset=rows,
                            ids=rows.values_list("article_id", flat=True), section=section)


def section_paginator(section, per_page):
    """A section's pages of cards, from its list rows (magazine.listings)."""
    from .listings import section_key

    return listing_paginator(section.articles(), section_key(section.pk), per_page, f"section:{section.pk}", section=section)


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
