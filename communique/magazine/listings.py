"""Where each live article is listed: its section, each of its bylines and each of its tags, one
narrow row per list, ordered newest first by an index (docs/performance.md, "archive").

A section, author or tag page of a 100,000-article archive then counts and slices one index range
of (list, date, article) rows instead of joining the page tree, the articles and the byline or tag
table for every request: the count of an author with 7,000 articles fell from 45 ms of PostgreSQL
time to about 1 ms. The rows are derived data: an article's rows are rewritten whenever the article
is saved (publishing and unpublishing save it, after its bylines and tags are stored), moved, or
loses a byline or tag, and `manage.py rebuild_listings` rewrites them all (bulk loads that bypass
save() call rebuild()). Readers re-check every card against the live articles, so a row left behind
by a change that bypassed all of these costs a missing card, never a hidden page shown.

A list's key: "s:<section pk>", "a:<author translation key>:<locale pk>" (an author's articles in
one language, whichever translation of the byline they link), "t:<tag pk>:<locale pk>", and "l:<locale pk>" (every article in one language: the order a search
walks, magazine.search.pg_search_ids)."""
from django.apps import apps as global_apps
from django.db import models, transaction

STEPLEN = 4  # treebeard's path step (wagtail.models.Page.steplen); also valid in migrations
CHUNK = 2000


class ListingEntry(models.Model):
    key = models.CharField(max_length=64)
    date = models.DateTimeField()
    article = models.ForeignKey("magazine.ArticlePage", on_delete=models.CASCADE, related_name="+")
    # The article's tree path: lists leave out pages under a view restriction by path prefix,
    # read from the same index as the order.
    path = models.CharField(max_length=255)

    class Meta:
        app_label = "magazine"
        indexes = [models.Index(fields=["key", "-date", "-article", "path"], name="magazine_listing_order")]
        constraints = [models.UniqueConstraint(fields=["key", "article"], name="magazine_listing_once")]

    def __str__(self):
        return f"{self.key} {self.article_id}"


def section_key(section_pk):
    return f"s:{section_pk}"


def author_key(translation_key, locale_pk):
    return f"a:{translation_key}:{locale_pk}"


def tag_key(tag_pk, locale_pk):
    return f"t:{tag_pk}:{locale_pk}"


def language_key(locale_pk):
    return f"l:{locale_pk}"


def entries(key):
    """A list's rows, newest first, without the articles under a view restriction."""
    from .queries import restricted_sections

    qs = ListingEntry.objects.filter(key=key)
    for path, _depth in restricted_sections():
        qs = qs.exclude(path__startswith=path)
    return qs.order_by("-date", "-article_id")


def _rows(article_ids, apps):
    """The (key, date, article pk, path) rows of the live ones among these articles."""
    article_model = apps.get_model("magazine", "ArticlePage")
    page_model = apps.get_model("wagtailcore", "Page")
    live = list(article_model.objects.filter(pk__in=article_ids, live=True).values_list("pk", "path", "date", "locale_id"))
    if not live:
        return []
    ids = [pk for pk, *_ in live]
    parents = dict(page_model.objects.filter(path__in={path[:-STEPLEN] for _, path, _, _ in live}).values_list("path", "pk"))
    bylines, tags = {}, {}
    for page_id, translation_key in apps.get_model("magazine", "ArticleAuthor").objects.filter(
            page_id__in=ids).values_list("page_id", "author__translation_key"):
        bylines.setdefault(page_id, set()).add(translation_key)
    for page_id, tag_id in apps.get_model("magazine", "ArticleTag").objects.filter(
            content_object_id__in=ids).values_list("content_object_id", "tag_id"):
        tags.setdefault(page_id, set()).add(tag_id)
    rows = []
    for pk, path, date, locale_id in live:
        keys = [section_key(parents[path[:-STEPLEN]])] if path[:-STEPLEN] in parents else []
        keys += [author_key(t, locale_id) for t in sorted(bylines.get(pk, ()), key=str)]
        keys += [tag_key(t, locale_id) for t in sorted(tags.get(pk, ()))]
        keys.append(language_key(locale_id))
        rows += [(key, date, pk, path) for key in keys]
    return rows


def refresh(article_ids, apps=global_apps):
    """Rewrite these articles' rows from what is stored now (none for an article not live)."""
    entry_model = apps.get_model("magazine", "ListingEntry")
    article_ids = list(dict.fromkeys(article_ids))
    for start in range(0, len(article_ids), CHUNK):
        chunk = article_ids[start:start + CHUNK]
        rows = _rows(chunk, apps)
        with transaction.atomic():
            entry_model.objects.filter(article_id__in=chunk).delete()
            entry_model.objects.bulk_create(
                [entry_model(key=key, date=date, article_id=pk, path=path) for key, date, pk, path in rows],
                batch_size=1000,
            )


def rebuild(apps=global_apps):
    """Every list from the articles as stored; returns the number of rows written."""
    entry_model = apps.get_model("magazine", "ListingEntry")
    ids = list(apps.get_model("magazine", "ArticlePage").objects.filter(live=True).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        entry_model.objects.all().delete()
        refresh(ids, apps)
    return entry_model.objects.count()


def _on_link_deleted(sender, instance=None, origin=None, **kwargs):
    """A byline or tag removed outside a page save (an author or tag deleted with its links). When
    the article itself is being deleted its rows go with it (the foreign key cascades), and writing
    them again here would point at a row about to disappear."""
    from wagtail.models import Page

    if isinstance(origin, Page) or getattr(origin, "model", None) is not None and issubclass(origin.model, Page):
        return
    article_id = getattr(instance, "page_id", None) or getattr(instance, "content_object_id", None)
    if article_id:
        refresh([article_id])


def _on_move(sender, instance=None, **kwargs):
    """A move changes the paths (and for an article, the section) of the page and everything under it."""
    from .models import ArticlePage

    refresh(ArticlePage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))


def connect_signals():
    from django.db.models.signals import post_delete
    from wagtail.signals import post_page_move

    from .models import ArticleAuthor, ArticleTag

    post_delete.connect(_on_link_deleted, sender=ArticleAuthor, dispatch_uid="communique.listings.byline")
    post_delete.connect(_on_link_deleted, sender=ArticleTag, dispatch_uid="communique.listings.tag")
    post_page_move.connect(_on_move, dispatch_uid="communique.listings.moved")
