"""Reader views that are not Wagtail pages: author pages, tag pages and search."""
import hashlib

from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.models import Locale

from . import fragments, listings
from .models import ArticlePage, Author
from .routing import _generation, prime
from .models import ArticleAuthor, ArticleTag
from .queries import ArticlePaginator, CachedCountPaginator, IdListPaginator, listing_paginator, reader_pages, with_cards
from .search import MAX_RESULTS, annotate, pg_search_ids, search_articles

PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def _cached(request, kind, ident, compute):
    """compute() kept in the cache under the publish generation (saving an author, a tag or a
    locale purges it: page_cache._READER_MODELS), for anonymous GETs; once per request either way."""
    name = f"{kind}:{ident}"

    def lookup():
        if not fragments.cacheable(request):
            return compute()
        digest = hashlib.blake2s(ident.encode(), digest_size=12).hexdigest()  # any slug is a safe key
        key = f"communique:{kind}:g{_generation(request)}:{digest}"
        found = cache.get(key)
        if found is None:
            found = (compute(),)
            if found[0] is not None:  # a mistyped slug must not take a cache entry
                cache.set(key, found, fragments.timeout())
        return found[0]

    return fragments.per_request(request, name, lookup)


def _active_locale(request):
    def compute():
        try:
            return Locale.get_active()
        except Locale.DoesNotExist:
            return None

    return _cached(request, "locale", get_language() or "", compute)


def _author(request, slug):
    found = _cached(request, "author", f"{get_language() or ''}:{slug}", lambda: _author_in_language(slug))
    if found is None:
        raise Http404("No author by that name.")
    return found


def _tag(request, slug):
    found = _cached(request, "tag", slug, lambda: Tag.objects.filter(slug=slug).first())
    if found is None:
        raise Http404("No tag by that name.")
    return found


def _articles(locale):
    qs = ArticlePage.objects.live().public().order_by("-date", "-pk")
    # Author and tag pages live outside the language prefixes, so they list the active
    # language's articles rather than every translation of each one.
    return qs if locale is None else qs.filter(locale=locale)


def _paginate(request, items, count_key=None):
    return CachedCountPaginator(items, PER_PAGE, count_key=count_key).get_page(request.GET.get("page"))


def _author_in_language(slug):
    """The byline in the reader's language when it is translated, else the original (the slug is
    the same in every language)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant

    # By language code, from the authors' own locale rows: no query for the Locale (the page lists
    # its articles by the active Locale, looked up once there).
    found = {a.locale.language_code: a for a in Author.objects.filter(slug=slug).select_related("locale")}
    if not found:
        return None
    for code in (get_language(), settings.LANGUAGE_CODE):
        try:
            code = get_supported_content_language_variant(code or settings.LANGUAGE_CODE)
        except LookupError:
            continue
        if code in found:
            return found[code]
    return min(found.values(), key=lambda a: a.pk)


def _paginate_articles(request, among, count_key, listing=None):
    """Cards of the live, public articles whose ids are in the subquery `among` (an author's or a
    tag's), in the active language: from the list rows named by listing(locale pk)
    (magazine.listings), or with no active language, counted over the page tree."""
    locale = _active_locale(request)
    articles = _articles(locale).filter(pk__in=among)
    if locale is not None and listing is not None:
        return listing_paginator(articles, listing(locale.pk), PER_PAGE, count_key).get_page(request.GET.get("page"))
    pages = reader_pages().filter(pk__in=among)
    if locale is not None:
        pages = pages.filter(locale=locale)
    return ArticlePaginator(articles, PER_PAGE, count_key=count_key, count_queryset=pages).get_page(request.GET.get("page"))


def author(request, slug):
    prime(request)
    author = _author(request, slug)
    # Articles of this language may link the byline's translation or (copied translations) the
    # original; a subquery rather than a join + DISTINCT: no sort of whole rows to drop duplicates.
    # The byline's rows in every language by id (a short list, cached), so the articles' subquery
    # stays on the (author_id) index instead of a join with the authors' table.
    bylines = _cached(request, "bylines", str(author.translation_key), lambda: list(
        Author.objects.filter(translation_key=author.translation_key).values_list("pk", flat=True)))
    written = ArticleAuthor.objects.filter(author_id__in=bylines).values("page_id")
    page_obj = _paginate_articles(request, written, f"author:{author.pk}",
                                  listing=lambda locale_pk: listings.author_key(author.translation_key, locale_pk))
    return render(
        request,
        "magazine/author_page.html",
        {"author": author, "page_obj": page_obj, "articles": page_obj.object_list},
    )


def tag(request, slug):
    prime(request)
    tag = _tag(request, slug)
    tagged = ArticleTag.objects.filter(tag=tag).values("content_object_id")
    page_obj = _paginate_articles(request, tagged, f"tag:{tag.pk}", listing=lambda locale_pk: listings.tag_key(tag.pk, locale_pk))
    return render(
        request,
        "magazine/tag_page.html",
        {"tag": tag, "page_obj": page_obj, "articles": page_obj.object_list},
    )


def _page_number(request):
    try:
        return max(1, min(int(request.GET.get("page", 1)), MAX_RESULTS // PER_PAGE))
    except ValueError:
        return 1


def search(request):
    prime(request)
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    page_obj = None
    articles = []
    more = False
    if query:
        language = get_language() or "en"
        locale = _active_locale(request)
        if connection.vendor == "postgresql":
            pages = reader_pages() if locale is None else reader_pages().filter(locale=locale)
            # Only as far as a few pages past the one asked for (its pagination links reach them).
            limit = min(MAX_RESULTS, (_page_number(request) + 4) * PER_PAGE)
            listing = listings.language_key(locale.pk) if locale is not None else None
            ids = pg_search_ids(pages, query, language, limit, listing=listing)
            more = len(ids) > limit
            page_obj = IdListPaginator(ids[:limit], PER_PAGE).get_page(request.GET.get("page"))
        else:
            results = ArticlePage.objects.live().public()
            if locale is not None:
                results = results.filter(locale=locale)
            page_obj = _paginate(request, search_articles(with_cards(results, body=True), query, language))
        articles = annotate(list(page_obj.object_list), query, language)
    return render(
        request,
        "magazine/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "more_results": more,
            "articles": articles,
            "query_prefix": urlencode({"q": query}) if query else "",
        },
    )


def publish_with_us(request):
    """The book service's public page: what it makes, how it works, where authors sign in."""
    return render(request, "magazine/publish_with_us.html", {"signed_in": request.user.is_authenticated})
