"""`communique worker`: run background jobs (ours and Wagtail's) from the django-tasks queue that
COMMUNIQUE_JOBS_BACKEND names, plus the clock (scheduled publishing, recovery of jobs whose worker
died). Start one or more on any machine that reaches the database (and Redis for "rq")."""
from django.core.management.base import BaseCommand, CommandError

from communique.jobs import runner, schedule
from communique.jobs.backends import backend_name


class Command(BaseCommand):
    help = "Run background jobs until stopped (SIGTERM/SIGINT let the current job finish)."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument("--no-scheduler", action="store_true", help="Don't run the clock in this worker.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of an empty database queue.")
        parser.add_argument("--max-tasks", type=int, default=None, help="Exit after this many tasks (recycle the process).")
        parser.add_argument(
            "--no-fork", action="store_true",
            help="rq only: run each job in the worker process instead of a forked child (tests, debuggers).",
        )

    def handle(self, *args, burst, no_scheduler, interval, max_tasks, no_fork, **options):
        name = backend_name()
        if name == "inline":
            raise CommandError("COMMUNIQUE_JOBS_BACKEND is 'inline': jobs run in the caller, there is nothing for a worker to do.")
        recovered = runner.recover_orphans()
        if recovered:
            self.stderr.write(f"Recovered {recovered} job(s) whose worker had stopped.")
        scheduler = None
        if not no_scheduler:
            scheduler = schedule.Scheduler(owner=runner.worker_id())
            if burst:
                schedule.run_due(last_run=scheduler.last_run, owner=scheduler.owner)
            else:
                scheduler.start()
        self.stdout.write(f"Worker {runner.worker_id()} running jobs from the {name} queue.")
        self.stdout.flush()
        try:
            if name == "database":
                self._database(burst=burst, interval=interval, max_tasks=max_tasks)
            else:
                self._rq(burst=burst, max_tasks=max_tasks, fork=not no_fork)
        finally:
            if scheduler is not None:
                scheduler.stop()

    def _database(self, *, burst, interval, max_tasks):
        import threading

        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["*"], interval=interval, batch=burst, backend_name="default", startup_delay=not burst,
            max_tasks=max_tasks, worker_id=runner.worker_id(), excluded_queue_names=[],
        )
        if threading.current_thread() is threading.main_thread():
            worker.configure_signals()
        try:
            worker.run()
        finally:
            if threading.current_thread() is threading.main_thread():
                worker.reset_signals()

    def _rq(self, *, burst, max_tasks, fork):
        import django_rq
        from django_tasks_rq.backend import Job as TaskJob
        from rq import SimpleWorker, Worker

        try:
            queue = django_rq.get_queue("default", job_class=TaskJob)
            queue.connection.ping()
        except Exception as exc:
            raise CommandError(f"Cannot reach Redis for the rq job backend: {exc}") from exc
        # A forked child per job by default: WeasyPrint's memory goes back to the OS after each book.
        worker = django_rq.get_worker("default", job_class=TaskJob, worker_class=Worker if fork else SimpleWorker)
        worker.work(burst=burst, with_scheduler=True, max_jobs=max_tasks)
