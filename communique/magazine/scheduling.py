"""Scheduled publishing without anyone running a command.

Wagtail publishes a page scheduled with "Go live at" only when `publish_scheduled` runs. Every
web process (runserver in the demo, each gunicorn worker in production) starts one daemon thread
on its first request that runs it every COMMUNIQUE_SCHEDULER_SECONDS (0 turns it off). A lock
makes one process at a time do the work: a file lock on one machine (the "thread" jobs backend),
a Redis key across machines (the "redis" backend, the same Redis the jobs use). `communique
scheduler` runs the same loop in the foreground, for a site whose web processes should not.
"""
import fcntl
import logging
import threading

from django.conf import settings
from django.core.management import call_command

log = logging.getLogger(__name__)

_started = False
_start_lock = threading.Lock()
_stop = threading.Event()


def interval():
    return int(getattr(settings, "COMMUNIQUE_SCHEDULER_SECONDS", 0) or 0)


def publish_due():
    """Publish (and unpublish) every page and snippet whose scheduled time has come."""
    call_command("publish_scheduled", verbosity=0)


class _FileLock:
    def __init__(self):
        self.path = settings.VAR_DIR / "scheduler.lock" if hasattr(settings, "VAR_DIR") else None
        self.handle = None

    def acquire(self):
        if self.handle is None:
            self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def release(self):
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)


class _RedisLock:
    KEY = "communique:scheduler:lock"

    def __init__(self, ttl):
        import redis

        self.client = redis.Redis.from_url(settings.REDIS_URL)
        self.ttl = max(1, ttl)

    def acquire(self):
        # Held for one interval: the machine that took it runs this round, the others skip it.
        return bool(self.client.set(self.KEY, "1", nx=True, ex=self.ttl))

    def release(self):
        pass  # expires by itself, so two machines never publish in the same round


def _lock(seconds):
    if getattr(settings, "COMMUNIQUE_JOBS_BACKEND", "thread") == "redis":
        return _RedisLock(seconds)
    return _FileLock()


def run_once(lock=None):
    """One round: publish what is due if this process holds the lock. True if it ran."""
    from django.db import close_old_connections

    lock = lock or _lock(interval() or 1)
    if not lock.acquire():
        return False
    try:
        close_old_connections()
        publish_due()
        return True
    except Exception:  # a failed round (database restarting…) is logged and retried next round
        log.exception("Scheduled publishing failed; retrying in the next round")
        return False
    finally:
        lock.release()
        close_old_connections()


def loop(seconds=None, rounds=None):
    seconds = seconds or interval()
    lock = _lock(seconds)
    done = 0
    while (rounds is None or done < rounds) and not _stop.is_set():
        run_once(lock)
        done += 1
        _stop.wait(seconds)


def start_in_background():
    """Start the scheduler thread once per process (if COMMUNIQUE_SCHEDULER_SECONDS > 0)."""
    global _started
    seconds = interval()
    if seconds <= 0:
        return None
    with _start_lock:
        if _started:
            return None
        _started = True
        _stop.clear()
    thread = threading.Thread(target=loop, args=(seconds,), name="communique-scheduler", daemon=True)
    thread.start()
    return thread


def stop():
    """End the background thread after its current round (tests; a process shutting down)."""
    global _started
    with _start_lock:
        _stop.set()
        _started = False


def _start_on_first_request(**kwargs):
    from django.core.signals import request_started

    request_started.disconnect(dispatch_uid="communique.scheduler.start")
    start_in_background()


def connect():
    """Called from MagazineConfig.ready(): not started by migrate or other commands."""
    from django.core.signals import request_started

    if interval() > 0:
        request_started.connect(_start_on_first_request, dispatch_uid="communique.scheduler.start")
