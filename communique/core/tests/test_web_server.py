"""The web server's command line: what `communique serve` starts and what the Procfile runs."""
import shlex
from pathlib import Path

import pytest

from communique.core import web_server

ROOT = Path(__file__).resolve().parents[3]


def test_granian_serves_the_wsgi_application_with_one_python_thread_a_worker():
    argv = web_server.command("granian", "127.0.0.1:8123", 3)
    assert Path(argv[0]).name == "granian"
    assert argv[-1] == "communique.wsgi:application"
    pairs = dict(zip(argv[1:-1], argv[2:-1]))
    assert pairs["--interface"] == "wsgi" and pairs["--host"] == "127.0.0.1" and pairs["--port"] == "8123"
    assert pairs["--workers"] == "3" and pairs["--blocking-threads"] == "1"
    assert "--access-log" in argv and "--respawn-failed-workers" in argv


def test_gunicorn_is_still_available():
    argv = web_server.command("gunicorn", "[::1]:9000", 2, access_log=False)
    assert Path(argv[0]).name == "gunicorn"
    assert argv[1:5] == ["communique.wsgi", "--bind", "::1:9000", "--workers"] and argv[5] == "2"
    assert "--access-logfile" not in argv


@pytest.mark.parametrize("bind", ["8000", "localhost", ":8000", "host:port"])
def test_a_bind_without_host_and_port_is_refused_by_name(bind):
    with pytest.raises(web_server.ServerError, match="HOST:PORT"):
        web_server.command("granian", bind, 2)


def test_unknown_server_and_zero_workers_are_refused():
    with pytest.raises(web_server.ServerError, match="unknown web server 'uwsgi'"):
        web_server.command("uwsgi", "127.0.0.1:8000", 2)
    with pytest.raises(web_server.ServerError, match="at least one worker"):
        web_server.command("granian", "127.0.0.1:8000", 0)


def test_the_procfile_runs_the_same_server_as_communique_serve():
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    procfile = shlex.split(line.removeprefix("web:").replace("${PORT:-8000}", "8000")
                           .replace("${WEB_CONCURRENCY:-2}", "2"))
    serve = web_server.command("granian", "0.0.0.0:8000", 2)
    assert procfile[0] == "granian"
    assert sorted(procfile[1:]) == sorted(serve[1:])
