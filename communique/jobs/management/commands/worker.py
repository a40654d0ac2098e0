"""`communique worker`: run jobs pushed onto Redis (COMMUNIQUE_JOBS_BACKEND=redis). Start one or
more on any machine that reaches the database and Redis."""
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError

from communique.jobs import runner
from communique.jobs.backends import RedisBackend


class Command(BaseCommand):
    help = "Run background jobs from the Redis queue until stopped (SIGTERM/SIGINT finish the current jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1, help="Jobs run at once (threads).")
        parser.add_argument("--burst", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--redis-url", help="Default: settings.REDIS_URL.")
        parser.add_argument("--queue", help="Redis list to read. Default: settings.COMMUNIQUE_JOBS_QUEUE.")
        parser.add_argument(
            "--requeue-after", type=int, default=600,
            help="On start, queue again jobs still waiting after this many seconds but missing from Redis.",
        )
        parser.add_argument("--poll", type=float, default=5, help="Seconds to wait on an empty queue.")

    def handle(self, *args, concurrency, burst, redis_url, queue, poll, requeue_after, **options):
        if concurrency < 1:
            raise CommandError("--concurrency must be at least 1.")
        backend = RedisBackend(url=redis_url, key=queue)
        try:
            backend.client.ping()
        except Exception as exc:
            raise CommandError(f"Cannot reach Redis at {backend.url}: {exc}") from exc
        stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, lambda *_: stop.set())
        try:
            recovered = runner.recover_orphans()
            if recovered:
                self.stderr.write(f"Marked {recovered} interrupted job(s) as failed.")
            lost = backend.requeue_lost(older_than=requeue_after)
            if lost:
                self.stderr.write(f"Queued again {len(lost)} job(s) a worker took but never started.")
            self.stdout.write(f"Worker {runner.worker_id()} waiting for jobs on {backend.url} ({backend.key}).")
            run_loop(backend, stop=stop, concurrency=concurrency, burst=burst, poll=poll, log=self.stdout.write)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run_loop(backend, *, stop, concurrency=1, burst=False, poll=5, log=print):
    slots = threading.BoundedSemaphore(concurrency)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="communique-worker") as pool:
        while not stop.is_set():
            # Take a job only when a thread is free, so other workers can have it meanwhile.
            if not slots.acquire(timeout=poll):
                continue
            job_id = backend.pop(timeout=1 if burst else poll)
            if job_id is None:
                slots.release()
                if burst:
                    break
                continue
            log(f"Running job {job_id}")

            def run(job_id=job_id):
                try:
                    runner.run_in_thread(job_id)
                finally:
                    slots.release()

            pool.submit(run)
