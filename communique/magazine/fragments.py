"""Rendered pieces of reader pages kept in Django's cache, and lookups done once per request.

A fragment's key carries the site's publish generation (page_cache.generation): every event that
purges the page cache — publish, unpublish, move, delete, a slug change, saving the settings, a
menu, an author or a view restriction — makes every fragment in every worker stale at once, so
a fragment is never older than the content it shows. The key also carries the language and the
host the page was asked for (absolute URLs in the head differ per host), and whatever the caller
names (the page, the Most Popular ranking's generation).

Previews never read or write fragments: a draft shares its page's pk with the live version."""
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from . import page_cache

MEMO_ATTR = "_communique_memo"


def timeout():
    """Seconds a fragment may live without a purge; 0 turns fragment caching off."""
    return int(getattr(settings, "COMMUNIQUE_FRAGMENT_CACHE_SECONDS", 3600))


def cacheable(request):
    if request is None or timeout() <= 0:
        return False
    return not getattr(request, "is_preview", False) and request.method in ("GET", "HEAD")


def fragment_key(request, name, vary=()):
    host = request.get_host() if request is not None else ""
    digest = hashlib.blake2s(repr((host, get_language(), tuple(vary))).encode(), digest_size=12).hexdigest()
    return f"communique:frag:g{per_request(request, 'generation', page_cache.generation)}:{name}:{digest}"


def get_or_render(request, name, vary, render):
    """The cached HTML of fragment `name`, or render() stored for the next request."""
    if not cacheable(request):
        return render()
    key = fragment_key(request, name, vary)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, str(html), timeout())
    return html


def get_or_compute(request, name, vary, compute):
    """compute()'s value (anything picklable: the entries of a menu, say) kept like a fragment."""
    if not cacheable(request):
        return compute()
    key = fragment_key(request, f"data:{name}", vary)
    found = cache.get(key)
    if found is None:
        found = (compute(),)
        cache.set(key, found, timeout())
    return found[0]


def per_request(request, name, compute):
    """compute() once per request (the same locale, settings or translations asked for by the head,
    the header and the footer); without a request, every call computes."""
    if request is None:
        return compute()
    memo = request.__dict__.setdefault(MEMO_ATTR, {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]
