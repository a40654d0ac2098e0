"""Recognising the same reader reloading the same page, without remembering who the reader is.

This is the per-process first filter; shared_seen.py de-duplicates across workers. The key is a
SHA-256 of (salt, IP address, page id): the User-Agent is accepted but not used, since rotating it
from one address must not make new readers. The salt is random, lives only in
this process's memory and is replaced at every UTC midnight, so a key cannot be linked to a key of
another day, to an IP address, or to another process. Keys are forgotten once the window has
passed. Nothing here is written to disk, a database, a log or a cookie.
"""
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from datetime import datetime, timezone as dt_timezone


class RecentReaders:
    def __init__(self, window_seconds, max_entries=500_000, clock=time.monotonic, today=None):
        if window_seconds < 0:
            raise ValueError(f"DEDUP_WINDOW_SECONDS must be 0 or more, not {window_seconds!r}")
        self.window = window_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._today = today or (lambda: datetime.now(dt_timezone.utc).date())
        self._lock = threading.Lock()
        self._seen = OrderedDict()  # key -> expiry; insertion order is expiry order (fixed window)
        self._salt_day = None
        self._salt = b""

    def _rotate_salt(self):
        day = self._today()
        if day != self._salt_day:
            # A new day starts with a new salt and an empty set: yesterday's keys cannot match.
            self._salt_day, self._salt = day, secrets.token_bytes(32)
            self._seen.clear()

    def _key(self, ip, user_agent, page_id):
        h = hashlib.sha256(self._salt)
        for part in (ip or "", str(page_id)):
            h.update(b"\x00" + part.encode("utf-8", "surrogatepass"))
        return h.digest()

    def _prune(self, now):
        while self._seen:
            key, expiry = next(iter(self._seen.items()))
            if expiry > now:
                break
            self._seen.popitem(last=False)
        # A flood of distinct readers must not grow memory without bound: drop the oldest.
        while len(self._seen) > self.max_entries:
            self._seen.popitem(last=False)

    def first_visit(self, ip, user_agent, page_id):
        """True if this reader has not been counted for this page within the window (and
        remembers them now); False for a repeat."""
        if self.window == 0:
            return True
        now = self._clock()
        with self._lock:
            self._rotate_salt()
            self._prune(now)
            key = self._key(ip, user_agent, page_id)
            if key in self._seen:
                return False
            self._seen[key] = now + self.window
            self._prune(now)
            return True

    def __len__(self):
        with self._lock:
            return len(self._seen)

    def keys_snapshot(self):
        """For tests: what is remembered (only opaque digests)."""
        with self._lock:
            return list(self._seen)
