"""Reader views that are not Wagtail pages: author pages, tag pages and search."""
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.models import Locale

from .models import ArticlePage, Author
from .routing import prime
from .queries import CachedCountPaginator, with_cards
from .search import annotate, search_articles

PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def _articles():
    qs = ArticlePage.objects.live().public().order_by("-date", "-pk")
    try:
        # Author and tag pages live outside the language prefixes, so they list the active
        # language's articles rather than every translation of each one.
        qs = qs.filter(locale=Locale.get_active())
    except Locale.DoesNotExist:
        pass
    return with_cards(qs)


def _paginate(request, items, count_key=None):
    return CachedCountPaginator(items, PER_PAGE, count_key=count_key).get_page(request.GET.get("page"))


def _author(slug):
    """The byline in the reader's language when it is translated, else the original (the slug is
    the same in every language)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant

    # By language code, from the authors' own locale rows: no query for the Locale (the page lists
    # its articles by the active Locale, looked up once there).
    found = {a.locale.language_code: a for a in Author.objects.filter(slug=slug).select_related("locale")}
    if not found:
        raise Http404("No such author")
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
    author = _author(slug)
    # Articles of this language may link the byline's translation or (copied translations) the original.
    page_obj = _paginate(request, _articles().filter(article_authors__author__translation_key=author.translation_key)
                         .distinct(), count_key=f"author:{author.pk}")
    return render(
        request,
        "magazine/author_page.html",
        {"author": author, "page_obj": page_obj, "articles": page_obj.object_list},
    )


def tag(request, slug):
    prime(request)
    tag = get_object_or_404(Tag, slug=slug)
    page_obj = _paginate(request, _articles().filter(tags=tag).distinct(), count_key=f"tag:{tag.pk}")
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
        try:
            results = results.filter(locale=Locale.get_active())
        except Locale.DoesNotExist:
            pass
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
