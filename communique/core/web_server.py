"""The command line of the HTTP server in front of communique.wsgi, for `communique serve`, the
Procfile's equivalent and the benchmarks, so that all three run the same server the same way.

Granian by default: its HTTP/1.1 and HTTP/2 handling is Rust, so a page answered from the page
cache costs a fraction of what a Python server's parsing and per-request connection costs
(docs/performance.md, "Reader pages under load": the page cache answered 42–71× the bare Wagtail
page's requests under Granian and 10–14× under gunicorn's sync workers, whose own overhead caps it
near 13–16×; docs/deploy.md says what keep-alive costs in tail latency).
It keeps connections alive and reads slow clients in Rust, so a slow reader does not hold a
Python worker. One Python thread a worker: Django's work is CPU-bound and shares one GIL, and more
threads only add contention; concurrency comes from the workers (about 2 × cores).

gunicorn stays supported (`--server gunicorn`, or `gunicorn communique.wsgi` by hand)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

SERVERS = ("granian", "gunicorn")
DEFAULT = "granian"


class ServerError(ValueError):
    pass


def _executable(name: str) -> str:
    # The script next to this interpreter first: another environment's server would import another
    # checkout's (or no) Communiqué.
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise ServerError(f"{name} is not installed in this environment (pip install {name}).")
    return found


def split_bind(bind: str) -> tuple[str, int]:
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ServerError(f"--bind must be HOST:PORT, such as 127.0.0.1:8000, not {bind!r}")
    return host.strip("[]"), int(port)


def command(server: str, bind: str, workers: int, *, wsgi: str = "communique.wsgi", access_log: bool = True,
            executable: list[str] | None = None) -> list[str]:
    """argv that serves the WSGI module `wsgi` (its `application`) on `bind` with `workers` processes.
    `executable` replaces the server's script (the benchmarks run `python -m granian` of their own
    interpreter)."""
    if server not in SERVERS:
        raise ServerError(f"unknown web server {server!r}; choose one of: {', '.join(SERVERS)}")
    if workers < 1:
        raise ServerError("the web server needs at least one worker")
    host, port = split_bind(bind)
    if server == "granian":
        argv = [*(executable or [_executable("granian")]),
                "--interface", "wsgi", "--host", host, "--port", str(port), "--workers", str(workers),
                "--blocking-threads", "1", "--respawn-failed-workers", "--log-level", "warning"]
        if access_log:
            argv.append("--access-log")
        return [*argv, f"{wsgi}:application"]
    argv = [*(executable or [_executable("gunicorn")]),
            wsgi, "--bind", f"{host}:{port}", "--workers", str(workers), "--log-level", "warning"]
    if access_log:
        argv += ["--access-logfile", "-"]
    return argv
