"""Which readers every worker has already counted: the cross-process half of view de-duplication.

Each process first asks its own memory (dedup.RecentReaders), which answers repeats for free; a
reader it has not seen is then looked up in a store all workers share, so one reader reloading a
page that four gunicorn workers serve in turn counts once, not four times:

* "redis": SET key NX EX window, one round trip (with the Redis buffer, where Redis is there anyway).
* "database": one row per reader and page (core.ReaderSighting), inserted once; a repeat within
  the window hits the primary key and is not counted. Expired rows are pruned by the flusher.

The key is a SHA-256 of (day salt, client address, page id). The User-Agent is deliberately not in
it: rotating the User-Agent from one address would otherwise count as a new reader each time.
Readers behind one shared address (an office) count once per window: the cost of that. The day
salt is derived from SECRET_KEY and the UTC date, so every worker computes the same key without
storing a salt, and a key cannot be linked to an address without the secret key; rows live only
for the window (30 minutes by default). Nothing stores the address itself.
"""
import hashlib
import hmac
from datetime import datetime, timedelta, timezone as dt_timezone

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .buffer import popularity_setting


def day_salt(day=None) -> bytes:
    day = day or datetime.now(dt_timezone.utc).date()
    return hmac.new(settings.SECRET_KEY.encode(), f"communique-popularity:{day.isoformat()}".encode(),
                    hashlib.sha256).digest()


def reader_key(ip, page_id, day=None) -> str:
    h = hashlib.sha256(day_salt(day))
    for part in (ip or "", str(page_id)):
        h.update(b"\x00" + part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def store_kind():
    kind = popularity_setting("DEDUP")
    if kind is None:
        kind = "redis" if popularity_setting("BUFFER", "memory") == "redis" else "database"
    if kind not in ("redis", "database", "memory"):
        raise ValueError(f'COMMUNIQUE_POPULARITY["DEDUP"] must be "redis", "database" or "memory", not {kind!r}')
    return kind


class DatabaseSeen:
    def first_visit(self, key, window_seconds):
        from communique.core.models import ReaderSighting

        now = timezone.now()
        expires = now + timedelta(seconds=window_seconds)
        try:
            with transaction.atomic():
                ReaderSighting.objects.create(key=key, expires_at=expires)
            return True
        except IntegrityError:
            # Seen before: counts again only if that sighting has expired (and we are the one
            # process that renews it: the UPDATE is atomic, so two racing workers count once).
            return ReaderSighting.objects.filter(key=key, expires_at__lte=now).update(expires_at=expires) == 1

    def prune(self):
        from communique.core.models import ReaderSighting

        return ReaderSighting.objects.filter(expires_at__lte=timezone.now()).delete()[0]


class RedisSeen:
    def __init__(self, client=None):
        if client is None:
            import redis

            client = redis.Redis.from_url(popularity_setting("REDIS_URL") or settings.REDIS_URL)
        self.client = client
        self.prefix = popularity_setting("REDIS_KEY", "communique:popularity:hits") + ":seen:"

    def first_visit(self, key, window_seconds):
        if window_seconds <= 0:
            return True
        return bool(self.client.set(self.prefix + key, b"1", nx=True, ex=int(window_seconds)))

    def prune(self):
        return 0  # Redis expires the keys itself


_store = None


def get_store():
    global _store
    if _store is None:
        kind = store_kind()
        _store = {"redis": RedisSeen, "database": DatabaseSeen}.get(kind, lambda: None)()
    return _store


def set_store(store):
    """Swaps the shared store (tests). Returns the old one."""
    global _store
    old, _store = _store, store
    return old
