"""{% load seo_tags %}

{% seo_metadata page=some_page author=some_author as seo %} — the SEO data for <head>. Both
arguments are optional: without them the tag uses `seo_page`/`seo_author` (set with
{% include ... with seo_page=... %}), then `page` (or Wagtail's `self`), then `author` from the
context. magazine/includes/seo_head.html renders the result.

{% popular_lists limit=5 locale=... as lists %} — the three Most Popular lists, without the page
in context (an article is not "most popular" in its own sidebar).
{{ data|jsonld_script }} — a dict as a safely escaped JSON-LD <script>.
"""
from django import template
from wagtail.models import Page

from communique.magazine import seo as seo_module

register = template.Library()


def _author_class():
    from communique.magazine.models import Author

    return Author


@register.simple_tag(takes_context=True)
def seo_metadata(context, page=None, author=None):
    Author = _author_class()
    if not isinstance(page, Page) and not isinstance(author, Author):
        page = context.get("seo_page") or None
        author = context.get("seo_author") or None
        if not isinstance(page, Page) and not isinstance(author, Author):
            page = context.get("page") or context.get("self")
            author = context.get("author")
    if not isinstance(page, Page):
        page = None
    if not isinstance(author, Author):
        author = None
    if page is not None:
        # An article page's context may name one of its authors `author`; the page wins.
        author = None
    return seo_module.seo_for(context.get("request"), page=page, author=author)


@register.filter
def jsonld_script(data):
    return seo_module.jsonld_script({"@context": seo_module.SCHEMA, **data})


@register.simple_tag(takes_context=True)
def popular_lists(context, limit=5, locale=None):
    """[{"window", "label", "pages"}] for 24 hours, 7 days and all time, in the language of the
    page in context unless `locale` says otherwise. Cached (it is shown on every article) until
    the next flush writes views, or RANKING_CACHE_SECONDS at most: the 24-hour window also moves
    with the clock."""
    from django.core.cache import cache

    from communique.magazine.popularity.api import WINDOW_LABELS, most_popular
    from communique.magazine.popularity.buffer import popularity_setting
    from communique.magazine.popularity.flush import ranking_generation

    if locale is None:
        page = context.get("page")
        locale = getattr(page, "locale", None)
    if locale is None:
        from wagtail.models import Locale

        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            locale = None
    # One more than shown, so the article being read can be left out of its own sidebar.
    current = getattr(context.get("page"), "pk", None)
    shown, limit = limit, limit + 1
    code = getattr(locale, "language_code", locale) or "any"
    timeout = int(popularity_setting("RANKING_CACHE_SECONDS", 60))
    lists = []
    generation = ranking_generation() if timeout else 0
    for window, label in WINDOW_LABELS.items():
        key = f"communique:popular:{generation}:{window}:{limit}:{code}"
        ids = cache.get(key) if timeout else None
        if ids is None:
            pages = most_popular(window, limit=limit, locale=locale)
            if timeout:
                cache.set(key, [(p.pk, p.view_count) for p in pages], timeout)
        else:
            from communique.magazine.models import ArticlePage

            found = ArticlePage.objects.live().public().in_bulk([pk for pk, _ in ids])
            pages = []
            for pk, count in ids:
                if pk in found:
                    found[pk].view_count = count
                    pages.append(found[pk])
        pages = [p for p in pages if p.pk != current][:shown]
        lists.append({"window": window, "label": label, "pages": pages})
    return lists
