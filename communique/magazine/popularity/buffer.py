"""Where counted hits wait before they are written to the database.

A hit is a key (page id, UTC hour) and a number. The request path only adds to a buffer; the
flusher (flush.py) drains it in batches. Two buffers:

* MemoryBuffer: a Counter behind a lock, per process. The default.
* RedisBuffer: one Redis hash shared by every gunicorn worker (HINCRBY), chosen with
  COMMUNIQUE_POPULARITY["BUFFER"] = "redis". Draining renames the hash first, so hits that arrive
  while a batch is being written land in a fresh hash and are never lost or counted twice.
"""
import threading
import uuid
from collections import Counter
from datetime import datetime, timezone as dt_timezone

from django.conf import settings


def hour_of(when):
    """The UTC hour a moment falls in, as an aware datetime: the bucket key."""
    if when.tzinfo is None:
        raise ValueError("popularity needs an aware datetime (USE_TZ is on); got a naive one")
    return when.astimezone(dt_timezone.utc).replace(minute=0, second=0, microsecond=0)


def popularity_setting(name, default=None):
    return getattr(settings, "COMMUNIQUE_POPULARITY", {}).get(name, default)


class MemoryBuffer:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = Counter()
        self._pending = 0

    def add(self, page_id, hour, count=1):
        """Adds hits and returns how many hits are now waiting (so the caller can decide to flush)."""
        with self._lock:
            self._counts[(int(page_id), hour)] += count
            self._pending += count
            return self._pending

    def drain(self):
        """Takes every waiting hit out of the buffer. Returns ({(page_id, hour): count}, token);
        the caller passes the token to done() once the batch is written, or to restore()."""
        with self._lock:
            counts, self._counts, self._pending = self._counts, Counter(), 0
        return dict(counts), None

    def done(self, token):
        pass

    def restore(self, counts, token=None):
        """Puts hits back after a failed write, so a database outage loses nothing."""
        with self._lock:
            for key, n in counts.items():
                self._counts[key] += n
                self._pending += n

    def pending(self):
        with self._lock:
            return self._pending


class RedisBuffer:
    """Fields are "<page_id>:<hour as epoch seconds>"; values are counts."""

    def __init__(self, url=None, key=None, client=None):
        import redis

        self.key = key or popularity_setting("REDIS_KEY", "communique:popularity:hits")
        self.client = client or redis.Redis.from_url(url or popularity_setting("REDIS_URL") or settings.REDIS_URL)

    @staticmethod
    def _field(page_id, hour):
        return f"{int(page_id)}:{int(hour.timestamp())}"

    @staticmethod
    def _parse(field):
        page_id, epoch = field.decode().split(":")
        return int(page_id), datetime.fromtimestamp(int(epoch), tz=dt_timezone.utc)

    def add(self, page_id, hour, count=1):
        # A MULTI/EXEC pipeline: the hit and the pending-hits total (which FLUSH_AT compares
        # against, as with the memory buffer) move together.
        pipe = self.client.pipeline()
        pipe.hincrby(self.key, self._field(page_id, hour), count)
        pipe.incrby(self.key + ":pending", count)
        _, pending = pipe.execute()
        return int(pending)

    def drain(self):
        batch_key = f"{self.key}:draining:{uuid.uuid4().hex}"
        try:
            # RENAME is atomic: workers keep HINCRBY-ing into a new, empty hash.
            self.client.rename(self.key, batch_key)
        except Exception as exc:  # redis.ResponseError "no such key": nothing waiting
            if "no such key" in str(exc).lower():
                return {}, None
            raise
        raw = self.client.hgetall(batch_key)
        counts = {}
        for field, value in raw.items():
            key = self._parse(field)
            counts[key] = counts.get(key, 0) + int(value)
        # Subtract what was taken rather than zeroing, so hits added meanwhile stay pending.
        self.client.decrby(self.key + ":pending", sum(counts.values()))
        return counts, batch_key

    def done(self, token):
        # The renamed hash is kept until the batch is in the database, so a crash mid-write
        # leaves the hits in Redis (under the draining key) rather than nowhere.
        if token:
            self.client.delete(token)

    def restore(self, counts, token=None):
        pipe = self.client.pipeline()
        if token:
            pipe.delete(token)
        for (page_id, hour), n in counts.items():
            pipe.hincrby(self.key, self._field(page_id, hour), n)
        pipe.incrby(self.key + ":pending", sum(counts.values()))
        pipe.execute()

    def pending(self):
        return int(self.client.get(self.key + ":pending") or 0)


_buffer = None
_buffer_lock = threading.Lock()


def get_buffer():
    """The process's buffer, built from settings on first use."""
    global _buffer
    if _buffer is None:
        with _buffer_lock:
            if _buffer is None:
                kind = popularity_setting("BUFFER", "memory")
                if kind == "redis":
                    _buffer = RedisBuffer()
                elif kind == "memory":
                    _buffer = MemoryBuffer()
                else:
                    raise ValueError(
                        f'COMMUNIQUE_POPULARITY["BUFFER"] must be "memory" or "redis", not {kind!r}'
                    )
    return _buffer


def set_buffer(buffer):
    """Swaps the process's buffer (tests, or a deployment choosing at start-up). Returns the old one."""
    global _buffer
    with _buffer_lock:
        old, _buffer = _buffer, buffer
    return old
