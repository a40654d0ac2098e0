"""Reader views that are not Wagtail pages: author pages, tag pages and search."""
import hashlib

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.models import Locale

from . import fragments
from .models import ArticlePage, Author
from .routing import _generation, prime
from .queries import CachedCountPaginator, with_cards
from .search import annotate, search_articles

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


def _articles(request=None):
    qs = ArticlePage.objects.live().public().order_by("-date", "-pk")
    # Author and tag pages live outside the language prefixes, so they list the active
    # language's articles rather than every translation of each one.
    locale = _active_locale(request)
    if locale is not None:
        qs = qs.filter(locale=locale)
    return with_cards(qs)


class _Deferred:
    """A list built only when it is read: the page number and the (cached) count decide the
    title and the fragment key, and building the queryset costs more than the cached fragment."""

    def __init__(self, build):
        self._build, self._built = build, None

    def _get(self):
        if self._built is None:
            self._built = self._build()
        return self._built

    def count(self):
        return self._get().count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _Deferred(lambda: self._get()[index])
        return self._get()[index]

    def __len__(self):
        return len(self._get())

    def __iter__(self):
        return iter(self._get())

    def __bool__(self):
        return bool(self._get())


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


def author(request, slug):
    prime(request)
    author = _author(request, slug)
    # Articles of this language may link the byline's translation or (copied translations) the original.
    page_obj = _paginate(request, _Deferred(lambda: _articles(request).filter(
        article_authors__author__translation_key=author.translation_key).distinct()), count_key=f"author:{author.pk}")
    return render(
        request,
        "magazine/author_page.html",
        {"author": author, "page_obj": page_obj, "articles": page_obj.object_list},
    )


def tag(request, slug):
    prime(request)
    tag = _tag(request, slug)
    page_obj = _paginate(request, _Deferred(lambda: _articles(request).filter(tags=tag).distinct()),
                         count_key=f"tag:{tag.pk}")
    return render(
        request,
        "magazine/tag_page.html",
        {"tag": tag, "page_obj": page_obj, "articles": page_obj.object_list},
    )


def search(request):
    prime(request)
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    page_obj = None
    articles = []
    if query:
        results = ArticlePage.objects.live().public()
        locale = _active_locale(request)
        if locale is not None:
            results = results.filter(locale=locale)
        language = get_language() or "en"
        page_obj = _paginate(request, search_articles(with_cards(results), query, language))
        articles = annotate(list(page_obj.object_list), query, language)
    return render(
        request,
        "magazine/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "articles": articles,
            "query_prefix": urlencode({"q": query}) if query else "",
        },
    )


def publish_with_us(request):
    """The book service's public page: what it makes, how it works, where authors sign in."""
    return render(request, "magazine/publish_with_us.html", {"signed_in": request.user.is_authenticated})
