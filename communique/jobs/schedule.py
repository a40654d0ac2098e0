"""Work that runs by the clock inside `communique worker`: Wagtail's scheduled publishing and the
recovery of jobs whose worker died. Each entry runs at most once per interval across all workers
when they share a cache (Redis in production): the cache's atomic add() is the lease."""
import logging
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache

log = logging.getLogger(__name__)


@dataclass
class Periodic:
    name: str
    every: float  # seconds
    func: object


_entries: dict[str, Periodic] = {}


def every(seconds, name):
    def register(func):
        _entries[name] = Periodic(name, seconds, func)
        return func

    return register


def entries():
    return list(_entries.values())


def register_defaults():
    from django.conf import settings

    interval = getattr(settings, "COMMUNIQUE_SCHEDULER_SECONDS", 30)

    @every(interval, "wagtail.publish_scheduled")
    def publish_scheduled():
        from django.core.management import call_command

        call_command("publish_scheduled", verbosity=0)

    @every(interval, "jobs.recover_orphans")
    def recover():
        from .runner import recover_orphans

        recovered = recover_orphans()
        if recovered:
            log.warning("Recovered %s job(s) whose worker stopped", recovered)


def run_due(now=None, *, last_run, owner):
    """Run every entry whose interval has passed and whose lease this process wins."""
    now = time.monotonic() if now is None else now
    ran = []
    for entry in entries():
        if now - last_run.get(entry.name, float("-inf")) < entry.every:
            continue
        last_run[entry.name] = now
        if not cache.add(f"communique:schedule:{entry.name}", owner, timeout=max(1, int(entry.every * 0.9))):
            continue  # another worker has this tick
        try:
            entry.func()
            ran.append(entry.name)
        except Exception:  # one failing entry must not stop the clock for the others
            log.exception("Scheduled %s failed", entry.name)
    return ran


class Scheduler(threading.Thread):
    """A daemon thread beside the worker loop."""

    def __init__(self, owner, tick=1.0):
        super().__init__(name="communique-scheduler", daemon=True)
        self.owner = owner
        self.tick = tick
        self.stopped = threading.Event()
        self.last_run = {}

    def run(self):
        from django.db import close_old_connections, connections

        try:
            while not self.stopped.is_set():
                close_old_connections()  # a long-lived thread must not keep a dropped connection
                run_due(last_run=self.last_run, owner=self.owner)
                self.stopped.wait(self.tick)
        finally:
            connections.close_all()

    def stop(self):
        self.stopped.set()
