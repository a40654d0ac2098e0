"""sitemap.xml and robots.txt (at the root of communique/urls.py); the feeds' URLs are in
feed_urls, under the language prefixes."""
import logging

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max, Q
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.template.response import TemplateResponse
from django.utils.http import http_date
from wagtail.contrib.sitemaps.views import prepare_sitemaps
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap_view

from . import feeds
from .seo import absolute

logger = logging.getLogger(__name__)


def feed_view(feed_class):
    # A new Feed object per request: the feeds keep the request and site on `self`, and one
    # shared instance would mix them up between threads.
    def view(request, *args, **kwargs):
        return feed_class()(request, *args, **kwargs)

    view.__name__ = feed_class.__name__
    return view


# URLs per sitemap part: Google and Bing accept 50,000, but a part is built in one request, and
# 10,000 pages with their alternates stay a bounded, quick response on a large archive.
SITEMAP_LIMIT = 10_000


class PageSitemap(WagtailSitemap):
    """Wagtail's page sitemap for one language: the site's home page in that language and
    everything under it (translations of the home page sit beside it in the tree, not under it).
    Each page lists its live translations as hreflang alternates."""

    limit = SITEMAP_LIMIT
    language = None  # set per part by page_sitemaps()

    def _roots(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        if self.language:
            roots = roots.filter(locale__language_code=self.language)
        return roots

    def _in_site(self):
        from wagtail.models import Page

        in_site = Q(pk__in=[])
        for root in self._roots():
            in_site |= Q(path__startswith=root.path)
        return Page.objects.filter(in_site).live().public()

    def items(self):
        return self._in_site().order_by("path").defer_streamfields().specific()

    def get_latest_lastmod(self):
        # Django's default would call lastmod() on every item (the whole archive) for the index.
        return self._in_site().aggregate(latest=Max("last_published_at"))["latest"]

    def _urls(self, page, protocol, domain):
        """Each page with its live translations as hreflang alternates (and x-default, the original
        language), so search engines pair the languages; one query per sitemap page for them all."""
        from collections import defaultdict

        from django.conf import settings
        from wagtail.models import Page

        items = list(self.paginator.page(page).object_list)
        languages = defaultdict(list)
        for t in (Page.objects.filter(translation_key__in={p.translation_key for p in items}).live().public()
                  .select_related("locale").order_by("locale__language_code")):
            url = t.get_full_url(self.request)
            if url:
                languages[t.translation_key].append((t.locale.language_code, url))
        urls, last_mods = [], set()
        for item in items:
            alternates = languages.get(item.translation_key, [])
            for info in item.get_sitemap_urls(self.request):
                if len(alternates) > 1:
                    info["alternates"] = [{"lang_code": code, "location": url} for code, url in alternates]
                    info["alternates"] += [{"lang_code": "x-default", "location": url}
                                           for code, url in alternates if code == settings.LANGUAGE_CODE]
                urls.append(info)
                last_mods.add(info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


class AuthorSitemap(DjangoSitemap):
    """Authors with at least one live article; lastmod is their latest article's publication."""

    changefreq = "weekly"
    limit = SITEMAP_LIMIT

    def __init__(self, request=None):
        self.request = request

    # Django would build <loc> from the request's Host; the Wagtail Site's address is the one
    # every other absolute URL uses (see seo.base_url).
    def get_domain(self, site=None):
        from urllib.parse import urlsplit

        from .seo import base_url

        return urlsplit(base_url(self.request)).netloc or super().get_domain(site)

    def get_protocol(self, protocol=None):
        from urllib.parse import urlsplit

        from .seo import base_url

        return urlsplit(base_url(self.request)).scheme or super().get_protocol(protocol)

    def items(self):
        from .models import Author

        try:
            reverse("magazine:author", args=["x"])
        except NoReverseMatch:
            logger.warning("No magazine:author URL yet: author pages are left out of the sitemap")
            return []
        return (
            # One entry per byline: translations share the original's slug, so the same address.
            Author.objects.filter(article_links__page__live=True, article_links__page__view_restrictions=None,
                                  locale__language_code__iexact=settings.LANGUAGE_CODE)
            .annotate(lastmod=Max("article_links__page__last_published_at"))
            .order_by("slug")
            .distinct()
        )

    def location(self, author):
        return author.get_absolute_url()

    def lastmod(self, author):
        return author.lastmod

    def get_latest_lastmod(self):
        # The newest of the authors' lastmods, in one aggregate rather than one per author.
        from .models import ArticlePage

        return (ArticlePage.objects.filter(live=True, view_restrictions=None, article_authors__isnull=False)
                .aggregate(latest=Max("last_published_at"))["latest"])


def page_sitemaps(request):
    """{"pages-<language>": sitemap class} for each language the site's home page is live in."""
    from wagtail.models import Page, Site

    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    if site is None:
        return {}
    codes = (Page.objects.filter(translation_key=site.root_page.translation_key).live()
             .order_by("locale__language_code").values_list("locale__language_code", flat=True))
    return {f"pages-{code}": type(f"PageSitemap_{code}", (PageSitemap,), {"language": code}) for code in codes}


def _sitemaps(request):
    return {**page_sitemaps(request), "authors": AuthorSitemap(request)}


@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: the index of every part (each language's pages, the authors), each part
    split into pages of SITEMAP_LIMIT URLs (?p=2, …). Django's own index names each part by the
    request's Host; here every address starts with the Site's, as the parts' URLs and robots.txt do."""
    from .seo import base_url

    base = base_url(request)
    items, latest, every_lastmod = [], None, True
    for section, part in prepare_sitemaps(request, _sitemaps(request)).items():
        url = base + reverse("sitemap_part", kwargs={"section": section})
        lastmod = part.get_latest_lastmod()
        if lastmod is None:
            every_lastmod = False
        elif latest is None or lastmod > latest:
            latest = lastmod
        items.append(SitemapIndexItem(url, lastmod))
        items += [SitemapIndexItem(f"{url}?p={n}", lastmod) for n in range(2, part.paginator.num_pages + 1)]
    # A Last-Modified header lets ConditionalGetMiddleware answer crawlers with 304.
    headers = {"Last-Modified": http_date(latest.timestamp())} if every_lastmod and latest else None
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items},
                            content_type="application/xml", headers=headers)


def sitemap_part(request, section):
    sitemaps = _sitemaps(request)
    if section not in sitemaps:
        raise Http404(f"No sitemap part named {section!r}")
    return wagtail_sitemap_view(request, sitemaps=sitemaps, section=section)


ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/portal/"]


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"] + [f"Disallow: {p}" for p in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {absolute(request, reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_part, name="sitemap_part"),
    path("robots.txt", robots_txt, name="robots_txt"),
]
