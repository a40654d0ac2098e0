"""The popularity API used by the rest of the project:

* record_hit(page_id) — the middleware's way in: buffered, no database write.
* record_views(page_id, count, when) — writes views straight to the database (demo data,
  imports of historical counts).
* most_popular(window, limit, locale) — the ranking.
"""
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from .buffer import get_buffer, hour_of, popularity_setting
from .flush import flusher, write_batch

WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "all": None}
WINDOW_LABELS = {"24h": "24 hours", "7d": "7 days", "all": "All time"}


def record_hit(page_id, when=None):
    """Counts one view in the buffer. Called on the request path, so it never touches the
    database; the flusher writes the buffer out later."""
    hour = hour_of(when or timezone.now())
    pending = get_buffer().add(page_id, hour, 1)
    flusher.ensure_started()
    if pending >= int(popularity_setting("FLUSH_AT", 200)):
        flusher.nudge()


def record_views(page_id, count, when=None):
    """Adds `count` views of a page in the hour of `when` (default now) directly to the
    database: the buckets for 24h/7d and the all-time total. For demo data and imports.
    Raises ValueError naming the problem when the input is not usable."""
    from wagtail.models import Page

    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"record_views: count must be a positive integer, not {count!r}")
    when = when or timezone.now()
    if not hasattr(when, "tzinfo"):
        raise ValueError(f"record_views: when must be a datetime, not {when!r}")
    if timezone.is_naive(when):
        raise ValueError(f"record_views: when must be timezone-aware, got naive {when!r}")
    if when > timezone.now() + timedelta(minutes=5):
        raise ValueError(f"record_views: when is in the future ({when.isoformat()})")
    pk = getattr(page_id, "pk", page_id)
    if not Page.objects.filter(pk=pk).exists():
        raise ValueError(f"record_views: no page with id {pk!r}")
    return write_batch({(int(pk), hour_of(when)): count})


def _resolve_locale(locale):
    if locale is None:
        return None
    from wagtail.models import Locale

    if isinstance(locale, Locale):
        return locale
    try:
        return Locale.objects.get(language_code=str(locale))
    except Locale.DoesNotExist:
        raise ValueError(f"most_popular: no locale {locale!r}") from None


def most_popular(window="24h", limit=5, locale=None, now=None):
    """The most viewed live, public articles in the window ("24h", "7d" or "all"), most viewed
    first (ties: newer article first), as specific ArticlePage objects with a `view_count`
    attribute. `locale` (a Locale or language code) keeps only that language's articles."""
    from ..models import ArticlePage
    from .models import PageViewBucket, PageViewTotal

    if window not in WINDOWS:
        raise ValueError(f'most_popular: window must be one of {", ".join(WINDOWS)}, not {window!r}')
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"most_popular: limit must be a positive integer, not {limit!r}")

    articles = ArticlePage.objects.live().public()
    locale = _resolve_locale(locale)
    if locale is not None:
        articles = articles.filter(locale=locale)

    if WINDOWS[window] is None:
        rows = (
            PageViewTotal.objects.filter(page_id__in=articles.values("pk"), count__gt=0)
            .order_by("-count", "-page_id")
            .values_list("page_id", "count")
        )
    else:
        # The window is whole hourly buckets: the current hour plus the 23 (or 167) before it.
        start = hour_of(now or timezone.now()) - WINDOWS[window] + timedelta(hours=1)
        rows = (
            PageViewBucket.objects.filter(page_id__in=articles.values("pk"), hour__gte=start)
            .values("page_id")
            .annotate(total=Sum("count"))
            .filter(total__gt=0)
            .order_by("-total", "-page_id")
            .values_list("page_id", "total")
        )
    # A few extra rows let ties be broken by publication date below without a second query.
    ranked = list(rows[: limit * 3])
    pages = {p.pk: p for p in articles.filter(pk__in=[pid for pid, _ in ranked])}
    result = []
    for pid, total in ranked:
        page = pages.get(pid)
        if page is not None:
            page.view_count = total
            result.append(page)
    result.sort(key=lambda p: (-p.view_count, -p.date.timestamp(), -p.pk))
    return result[:limit]
