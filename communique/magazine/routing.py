"""Wagtail's page URLs, with the URL → page lookup kept in Django's cache.

Wagtail finds a page by walking the tree from the site's root, one query per level, and then asks
for the page's view restrictions (two queries) and the Site (one). Here the answer — the page a
host, language and path lead to, its view restrictions and the Site — is
kept under the publish generation (page_cache); the page itself is stored as routed, so a warm
request asks the database nothing to find it. Publishing, unpublishing, moving, deleting or
renaming a page, saving a Site or a view restriction make every worker route afresh at once.
Everything else is Wagtail's own serve view: the before/on serve hooks (view restrictions,
passwords, login) run as usual, with the restrictions read from the cache."""
from django.core.cache import cache
from django.urls import re_path
from django.utils.translation import get_language
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import fragments, page_cache


def _generation(request):
    return fragments.per_request(request, "generation", page_cache.generation)


def _host_key(request):
    return f"{request._get_raw_host()}|{request.get_port()}"


def cached_site(request):
    """Site.find_for_request, from the cache (Wagtail would ask the database on every request)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = f"communique:site:g{_generation(request)}:{_host_key(request)}"
    found = cache.get(key)
    if found is None:
        site = Site.find_for_request(request)
        cache.set(key, (site,), fragments.timeout())
    else:
        request._wagtail_site = site = found[0]
    return site


def _route_key(request, path):
    return f"communique:route:g{_generation(request)}:{_host_key(request)}:{get_language()}:{path}"


def _with_cached_restrictions(page, request):
    """The page's view restrictions (its own and its ancestors') from the cached list of all of
    them; an alias page is left to Wagtail, which follows it to its source."""
    from .queries import view_restrictions

    if page.alias_of_id:
        return page
    restrictions = [r for r in view_restrictions() if page.path.startswith(r.page.path)]
    # Wagtail's check_view_restrictions hook (and page.serve) read the list from here.
    page.get_view_restrictions = lambda: restrictions
    return page


def serve(request, path):
    if not fragments.cacheable(request):
        return wagtail_views.serve(request, path)
    if cached_site(request) is None:
        return wagtail_views.serve(request, path)
    _prime_settings(request, request._wagtail_site)
    key = _route_key(request, path)
    page = cache.get(key)
    if page is not None and page.live:
        # The live page as it was routed (stored before it served anything): a new publish moves
        # the generation, so it is never an older version than the one in the database.
        request._wagtail_route_for_request = RouteResult(_with_cached_restrictions(page, request), (), {})
    else:
        page = None
    route = Page.route_for_request(request, path)
    if route is not None and page is None:
        routed, args, kwargs = route
        if not args and not kwargs:  # a RoutablePage's sub-route is left to Wagtail each time
            routed.locale  # noqa: B018  (stored with the page: every render reads it)
            cache.set(key, routed, fragments.timeout())
            _with_cached_restrictions(routed, request)
    return wagtail_views.serve(request, path)


# Wagtail's URLs with the page view replaced (same name, so {% pageurl %} and reverse() still work).
urlpatterns = [
    p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"
] + [re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve")]


def _prime_settings(request, site):
    """Put the site's PublicationSettings (with its Follow-us links) where Wagtail's settings look
    for them on this request, from the cache: every reader page shows them."""
    from communique.core.models import PublicationSettings

    attr = PublicationSettings.get_cache_attr_name()
    if hasattr(request, attr):
        return
    key = f"communique:publication:g{_generation(request)}:{site.pk}"
    settings = cache.get(key)
    if settings is None:
        settings = PublicationSettings.base_queryset().prefetch_related("follow_links").get_or_create(site=site)[0]
        list(settings.follow_links.all())
        cache.set(key, settings, fragments.timeout())
    settings._request = request
    setattr(request, attr, settings)


def prime(request):
    """For anonymous GETs: the Site and the publication settings from the cache, once per request
    (reader views call this first)."""
    if fragments.cacheable(request):
        site = cached_site(request)
        if site is not None:
            _prime_settings(request, site)
