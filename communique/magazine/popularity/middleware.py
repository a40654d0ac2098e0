"""Counts article views for Most Popular.

First in MIDDLEWARE, so it sees every response on its way out, including the ones a cache
middleware or a page cache returns without running the view: ArticlePage.serve() marks its
response with X-Communique-Page, cache middleware stores and replays response headers, and this
middleware reads the mark and removes it before the response leaves the server.

No cookie is set and no IP address is stored: repeat visits are recognised by salted hashes of the
client address and page, first in this process's memory (dedup.py), then in a store every worker
shares (shared_seen.py: Redis or one row per new reader), for DEDUP_WINDOW_SECONDS. The counts
themselves only go to the buffer; the view tables are written later, in batches, by flush.py.
"""
import logging
import re

from .buffer import popularity_setting
from .dedup import RecentReaders
from .shared_seen import get_store, reader_key

logger = logging.getLogger(__name__)

PAGE_HEADER = "X-Communique-Page"

# Crawlers, link unfurlers, monitors and command-line clients. Matched case-insensitively
# anywhere in the User-Agent; an empty User-Agent is treated as a bot too.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|scrape|fetcher|preview|"
    r"facebookexternalhit|facebookcatalog|embedly|quora link|outbrain|pinterest|"
    r"whatsapp|telegram|skypeuripreview|discord|slack|vkshare|"
    r"lighthouse|pagespeed|pingdom|uptime|monitor|statuscake|headless|phantomjs|"
    r"python-requests|python-urllib|aiohttp|httpx|curl/|wget/|libwww|go-http-client|"
    r"java/|okhttp|axios|node-fetch|scrapy|feedparser|feedfetcher|rss|"
    r"apache-httpclient|postman|insomnia|mediapartners|adsbot|bingpreview",
    re.IGNORECASE,
)

# Requests a browser sends ahead of (and maybe instead of) a real visit.
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
PREFETCH_VALUES = ("prefetch", "prerender", "preview")


def is_bot(user_agent):
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def is_prefetch(meta):
    for name in PREFETCH_HEADERS:
        value = meta.get(name, "").lower()
        if any(v in value for v in PREFETCH_VALUES):
            return True
    return False


def client_ip(request):
    """The site-wide rule (core/client_ip.py): REMOTE_ADDR unless trusted proxies are configured.
    The old TRUST_X_FORWARDED_FOR switch means one proxy; the left-most X-Forwarded-For entry,
    which the client writes itself, is never used."""
    from django.conf import settings

    from communique.core.client_ip import client_ip as site_client_ip

    proxies = getattr(settings, "COMMUNIQUE_TRUSTED_PROXIES", 0)
    if not proxies and popularity_setting("TRUST_X_FORWARDED_FOR", False):
        proxies = 1
    return site_client_ip(request, proxies)


class ViewCountingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.window = int(popularity_setting("DEDUP_WINDOW_SECONDS", 30 * 60))
        self.readers = RecentReaders(self.window)

    def __call__(self, request):
        response = self.get_response(request)
        page_id = response.get(PAGE_HEADER)
        if page_id is None:
            return response
        del response[PAGE_HEADER]
        if not page_id.isdigit():
            return response
        try:
            if self.should_count(request, response):
                from .api import record_hit

                if self.first_visit(client_ip(request), page_id):
                    record_hit(int(page_id))
        except Exception:
            # Counting is never worth a failed page (e.g. Redis down): log and serve.
            logger.exception("Could not count a view of page %s", page_id)
        return response

    def first_visit(self, ip, page_id):
        # This process's memory first (free); then the store all workers share.
        if not self.readers.first_visit(ip, "", page_id):
            return False
        store = get_store()
        return store is None or store.first_visit(reader_key(ip, page_id), self.window)

    def should_count(self, request, response):
        if request.method != "GET" or response.status_code != 200:
            return False
        if getattr(request, "is_preview", False):
            return False
        if is_prefetch(request.META):
            return False
        if is_bot(request.META.get("HTTP_USER_AGENT", "")):
            return False
        return True
