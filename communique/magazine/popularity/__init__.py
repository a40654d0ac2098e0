"""Most Popular: server-side view counting without cookies or stored IP addresses.

Public API (imported lazily so this package can be imported from models.py):
record_views(page_id, count, when=None), most_popular(window="24h", limit=5, locale=None),
record_hit(page_id), flush_now().
"""


def record_views(page_id, count, when=None):
    from .api import record_views as _record_views

    return _record_views(page_id, count, when)


def most_popular(window="24h", limit=5, locale=None, now=None):
    from .api import most_popular as _most_popular

    return _most_popular(window=window, limit=limit, locale=locale, now=now)


def record_hit(page_id, when=None):
    from .api import record_hit as _record_hit

    return _record_hit(page_id, when)


def flush_now(buffer=None):
    from .flush import flush_now as _flush_now

    return _flush_now(buffer)
