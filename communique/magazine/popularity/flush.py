"""Writing buffered hits to the database, in batches, off the request path.

A background thread (one per process, started on the first counted hit) wakes every
FLUSH_SECONDS, or sooner when FLUSH_AT hits are waiting, and writes what the buffer holds; the
process's last hits are written at exit (atexit). Increments are `count = count + n` updates
with an insert when the row does not exist yet, so two processes flushing at once add up
correctly on SQLite and PostgreSQL alike.
"""
import atexit
import logging
import os
import threading

from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import F
from django.utils import timezone

from .buffer import get_buffer, popularity_setting

logger = logging.getLogger(__name__)


def _increment(model, lookup, n, **extra):
    updated = model.objects.filter(**lookup).update(count=F("count") + n, **extra)
    if updated:
        return
    try:
        # The savepoint keeps the batch's transaction usable if another process inserted the
        # same row between our UPDATE and INSERT; then our UPDATE is retried against it.
        with transaction.atomic():
            model.objects.create(**lookup, count=n)
    except IntegrityError:
        model.objects.filter(**lookup).update(count=F("count") + n, **extra)


def write_batch(counts):
    """Adds {(page_id, hour): n} to the hourly buckets and the all-time totals in one
    transaction. Hits of pages deleted since they were counted are dropped. Returns the number
    of hits written."""
    from wagtail.models import Page

    from .models import PageViewBucket, PageViewTotal

    counts = {key: n for key, n in counts.items() if n > 0}
    if not counts:
        return 0
    live_ids = set(Page.objects.filter(pk__in={pid for pid, _ in counts}).values_list("pk", flat=True))
    totals = {}
    written = 0
    now = timezone.now()
    with transaction.atomic():
        # Sorted so concurrent flushers lock rows in the same order (no deadlock on PostgreSQL).
        for (page_id, hour), n in sorted(counts.items()):
            if page_id not in live_ids:
                continue
            _increment(PageViewBucket, {"page_id": page_id, "hour": hour}, n)
            totals[page_id] = totals.get(page_id, 0) + n
            written += n
        for page_id, n in sorted(totals.items()):
            _increment(PageViewTotal, {"page_id": page_id}, n, updated_at=now)
    if written:
        bump_ranking_generation()
    return written


RANKING_GENERATION_KEY = "communique:popular:generation"


def bump_ranking_generation():
    """Makes cached Most Popular lists stale, so newly written views show at once."""
    from django.core.cache import cache

    try:
        cache.incr(RANKING_GENERATION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(RANKING_GENERATION_KEY, 1, None)


def ranking_generation():
    from django.core.cache import cache

    return cache.get(RANKING_GENERATION_KEY, 0)


_flush_lock = threading.Lock()


def flush_now(buffer=None):
    """Drains the buffer into the database now. On a database error the hits go back into the
    buffer and the error is raised. Returns the number of hits written."""
    buffer = buffer or get_buffer()
    with _flush_lock:
        counts, token = buffer.drain()
        if not counts:
            buffer.done(token)
            return 0
        try:
            written = write_batch(counts)
        except Exception:
            buffer.restore(counts, token)
            raise
        buffer.done(token)
        _prune_sightings()
        return written


_last_prune = [0.0]


def _prune_sightings(every_seconds=60):
    """Forgets expired reader sightings (shared_seen.py), at most once a minute per process."""
    import time

    from .shared_seen import get_store

    now = time.monotonic()
    if now - _last_prune[0] < every_seconds:
        return
    _last_prune[0] = now
    store = get_store()
    if store is not None:
        try:
            store.prune()
        except Exception:
            logger.exception("Could not prune expired reader sightings")


class Flusher:
    def __init__(self):
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = None
        self._pid = None

    def enabled(self):
        return popularity_setting("BACKGROUND_FLUSH", True)

    def ensure_started(self):
        """Starts this process's flushing thread if it is not running (also after a fork)."""
        if not self.enabled():
            return
        pid = os.getpid()
        if self._pid == pid and self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._pid == pid and self._thread is not None and self._thread.is_alive():
                return
            first_in_process = self._pid != pid
            self._pid = pid
            self._wake = threading.Event()
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, name="popularity-flush", daemon=True)
            self._thread.start()
            if first_in_process:
                atexit.register(self._flush_at_exit)

    def nudge(self):
        """Asks the thread to flush now (FLUSH_AT reached) instead of at the next tick."""
        self._wake.set()

    def stop(self, flush=True, timeout=5):
        """Stops the thread (after a last flush unless flush=False) and waits for it."""
        thread = self._thread
        self._stop.set()
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._thread = None
        if flush:
            self._flush_logged()

    def _run(self):
        stop, wake = self._stop, self._wake
        while not stop.is_set():
            wake.wait(timeout=float(popularity_setting("FLUSH_SECONDS", 10)))
            wake.clear()
            if stop.is_set():
                break
            self._flush_logged(own_connection=True)
        connections.close_all()  # this thread's own connections

    def _flush_logged(self, own_connection=False):
        # Only the flushing thread owns its connection; closing a stale one is right there, but
        # in the main thread (exit, stop()) it could close a connection someone else is using.
        if own_connection:
            close_old_connections()
        try:
            flush_now()
        except Exception:
            # The hits are back in the buffer; the next tick retries.
            logger.exception("Could not write page views; they stay buffered for the next flush")
        finally:
            if own_connection:
                close_old_connections()

    def _flush_at_exit(self):
        if self._pid == os.getpid():
            self._flush_logged()


flusher = Flusher()
