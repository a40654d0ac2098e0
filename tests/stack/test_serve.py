"""The production stack as docs/deploy.md starts it: `communique serve` (Granian + a job worker
under one supervisor) on PostgreSQL, with jobs on RQ/Redis and the cache in Redis, on loopback. It
must serve pages, take a form's POST body through the server (a sign-in with its CSRF cookie) and
finish a job through the worker process, then stop cleanly."""
import http.cookiejar
import re
import urllib.parse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection

from communique.core.tests.redis_db import redis_test_url
from communique.jobs import enqueue
from communique.jobs.models import Job
from communique.jobs.tests import jobs_for_tests  # noqa: F401  (tests.add, also in the stack's worker)

pytestmark = pytest.mark.postgres_only


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url_or_skip():
    url = redis_test_url(12)
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    client.flushdb()
    return url, client


@pytest.mark.django_db(transaction=True)
def test_serve_runs_web_and_worker_on_postgres_and_redis(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the production stack is checked on PostgreSQL (the second test pass)")
    redis_url, client = _redis_url_or_skip()
    params = connection.settings_dict
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="communique.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        COMMUNIQUE_PLAIN_HTTP="1",
        COMMUNIQUE_VAR_DIR=str(tmp_path / "var"),
        COMMUNIQUE_JOBS_BACKEND="rq",
        REDIS_URL=redis_url,
        REDIS_CACHE="1",
        COMMUNIQUE_JOB_MODULES="communique.jobs.tests.jobs_for_tests",
    )
    # As docs/deploy.md: the pages name their stylesheets through collectstatic's manifest.
    subprocess.run([sys.executable, "-m", "communique.cli", "collectstatic", "--no-input", "-v0"], env=env, check=True)
    stack = subprocess.Popen(
        [sys.executable, "-m", "communique.cli", "serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "2", "--job-workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    failure = None
    try:
        body = _get(f"http://127.0.0.1:{port}/robots.txt", stack)
        assert "Disallow: /admin/" in body
        _wrong_password_is_refused_through_the_server(f"http://127.0.0.1:{port}/accounts/login/")
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
        settings.RQ_QUEUES = {"default": {"URL": redis_url}}
        settings.COMMUNIQUE_JOBS_BACKEND = "rq"
        job = enqueue("tests.add", a=40, b=2)
        deadline = time.monotonic() + 120
        while Job.objects.get(pk=job.pk).status not in Job.FINISHED and time.monotonic() < deadline:
            time.sleep(0.5)
        finished = Job.objects.get(pk=job.pk)
        assert finished.status == Job.SUCCEEDED and finished.result == {"sum": 42}
        assert finished.worker and not finished.worker.endswith(f":{os.getpid()}")  # another process ran it
    except Exception as exc:
        failure = exc
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        output = stack.communicate(timeout=60)[0].decode(errors="replace")
        client.flushdb()
    if failure is not None:  # with what the stack printed, which is where its side of the story is
        raise AssertionError(f"{failure!r}\n--- the stack printed ---\n{output}") from failure
    assert "started web" in output and "started worker-1" in output and "stopped" in output, output


def _get(url, stack, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        if stack.poll() is not None:
            raise AssertionError("the stack exited: " + stack.stdout.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _wrong_password_is_refused_through_the_server(url):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(url, timeout=30) as response:
        form = response.read().decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', form).group(1)
    with opener.open(urllib.parse.urljoin(url, stylesheet), timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/css") and b"{" in response.read()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "nobody",
                                   "password": "not-the-password"}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    with opener.open(request, timeout=30) as response:
        page = response.read().decode()
        assert response.status == 200
    # The form came back with Django's error: the body, its CSRF token and the cookie all arrived.
    assert "Please enter a correct" in page and 'name="password"' in page
