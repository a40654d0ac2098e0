"""`communique serve`: the production stack of one machine under one supervisor — the web server
(Granian, or gunicorn with --server gunicorn; communique/core/web_server.py) and `communique
worker` processes for background jobs and the clock. Several machines run it against the same
DATABASE_URL, REDIS_URL (jobs backend "rq", REDIS_CACHE=1) and media storage.
A child that exits is started again (after a pause that grows if it keeps failing); SIGTERM or
SIGINT stops them all."""
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from communique.core import web_server
from communique.jobs.backends import backend_name


class Command(BaseCommand):
    help = "Run the web server and the job workers together, restarting any that stop, until SIGTERM/SIGINT."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="the web server's HOST:PORT (default 127.0.0.1:8000).")
        parser.add_argument("--web-workers", type=int, default=2, help="web server worker processes (about 2 × cores).")
        parser.add_argument("--server", choices=web_server.SERVERS, default=web_server.DEFAULT,
                            help=f"HTTP server for the web (default {web_server.DEFAULT}).")
        parser.add_argument("--job-workers", type=int, default=1, help="`communique worker` processes (0: none here).")
        parser.add_argument("--no-web", action="store_true", help="Only job workers (a worker-only machine).")

    def handle(self, *args, bind, web_workers, job_workers, no_web, server=web_server.DEFAULT, **options):
        if backend_name() == "inline" and job_workers:
            raise CommandError("COMMUNIQUE_JOBS_BACKEND is 'inline': set it to 'database' or 'rq' to run job workers.")
        commands = {}
        if not no_web:
            try:
                commands["web"] = web_server.command(server, bind, web_workers)
            except web_server.ServerError as exc:
                raise CommandError(str(exc)) from None
        for n in range(job_workers):
            # One clock is enough per machine; the cache lease keeps machines from doubling it.
            extra = [] if n == 0 else ["--no-scheduler"]
            commands[f"worker-{n + 1}"] = [sys.executable, "-m", "communique.cli", "worker", *extra]
        if not commands:
            raise CommandError("Nothing to run: no web and no job workers.")
        Supervisor(commands, log=self.stdout.write).run()


class Supervisor:
    def __init__(self, commands, log=print):
        self.commands = commands
        self.log = log
        self.children = {}
        self.failures = {name: 0 for name in commands}
        self.stopping = False

    def start(self, name):
        self.children[name] = subprocess.Popen(self.commands[name])
        self.log(f"started {name} (pid {self.children[name].pid})")

    def stop(self, *_):
        self.stopping = True

    def run(self):
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for name in self.commands:
                self.start(name)
            while not self.stopping:
                time.sleep(0.5)
                for name, child in list(self.children.items()):
                    code = child.poll()
                    if code is None or self.stopping:
                        continue
                    self.failures[name] += 1
                    pause = min(2 ** self.failures[name], 60)
                    self.log(f"{name} exited with {code}; starting it again in {pause} s")
                    time.sleep(pause)
                    self.start(name)
        finally:
            for child in self.children.values():
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 30
            for child in self.children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.log("stopped")
