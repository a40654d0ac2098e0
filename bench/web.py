#!/usr/bin/env python3
"""Reader-page throughput: Communiqué's article page (uncached and page-cached) against a bare
Wagtail home page, each served by gunicorn -w 2 on 127.0.0.1 with production settings and loaded
by wrk from the same machine, on SQLite and on PostgreSQL.

    .venv/bin/python bench/web.py [--seconds 10] [--no-postgres]

Needs wrk (apt-get install wrk). Writes the "web" section of docs/performance.md."""
import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sh(*args, env=None, cwd=None):
    subprocess.run([str(a) for a in args], env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


class Server:
    def __init__(self, wsgi, env, cwd):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", wsgi],
            env=env, cwd=cwd, start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                return
            except Exception:
                time.sleep(0.3)
        raise RuntimeError(f"{wsgi} did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


def wrk(url, seconds):
    urllib.request.urlopen(url, timeout=10).read()  # warm up
    out = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses under load")

    def ms(m):
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    return rps, ms(p50), ms(p99)


BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def communique_env(var_dir, database_url, cache_seconds=0):
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="communique.settings.production",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,  # production refuses weak or published keys
        COMMUNIQUE_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        COMMUNIQUE_PAGE_CACHE_SECONDS=str(cache_seconds),
        COMMUNIQUE_PLAIN_HTTP="1",  # loopback without TLS: no HTTPS redirect, no Secure-only cookies
        COMMUNIQUE_SERVE_MEDIA="1",  # gunicorn alone: no web server in front for uploaded images
    )


def prepare_communique(var_dir, database_url):
    env = communique_env(var_dir, database_url)
    sh(BIN / "communique", "migrate", "--no-input", env=env)
    sh(BIN / "communique", "demo", env=env)
    sh(BIN / "communique", "collectstatic", "--no-input", env=env)
    code = (
        "from communique.magazine.models import ArticlePage;"
        "print(ArticlePage.objects.live().filter(locale__language_code='en').exclude(is_sample=True).first().url)"
    )
    out = subprocess.run([BIN / "communique", "shell", "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def prepare_bare_wagtail(tmp, database_url):
    project = tmp / "bare"
    project.mkdir()
    sh(BIN / "wagtail", "start", "bare", project, cwd=tmp)
    (project / "bare" / "settings" / "bench.py").write_text(
        "import dj_database_url\nfrom .base import *\nDEBUG = False\nSECRET_KEY = 'bench'\n"
        "ALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
        f"DATABASES = {{'default': dj_database_url.parse({database_url!r})}}\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bare.settings.bench", PYTHONPATH=str(project))
    sh(BIN / "python", "manage.py", "migrate", "--no-input", env=env, cwd=project)
    return project, env


def fresh_pg_database(name):
    sh("psql", PG + "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {name}")
    sh("psql", PG + "postgres", "-q", "-c", f"CREATE DATABASE {name}")
    return PG + name


def run(seconds, with_postgres):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    rows = []
    backends = [("SQLite", None)] + ([("PostgreSQL", "pg")] if with_postgres else [])
    for label, kind in backends:
        with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
            tmp = Path(tmp)
            db = fresh_pg_database("communique_bench") if kind else f"sqlite:///{tmp / 'communique.sqlite3'}"
            bare_db = fresh_pg_database("bare_bench") if kind else f"sqlite:///{tmp / 'bare.sqlite3'}"
            print(f"[{label}] preparing Communiqué demo and a bare Wagtail site…", flush=True)
            article = prepare_communique(tmp, db)
            project, bare_env = prepare_bare_wagtail(tmp, bare_db)

            bare = Server("bare.wsgi", bare_env, project)
            try:
                rows.append((label, "bare Wagtail home page", *wrk(bare.url("/"), seconds)))
            finally:
                bare.stop()
            for cache, title in ((0, "Communiqué article, uncached"), (300, "Communiqué article, page cache")):
                server = Server("communique.wsgi", communique_env(tmp, db, cache), ROOT)
                try:
                    rows.append((label, title, *wrk(server.url(article), seconds)))
                finally:
                    server.stop()
    lines = [
        "## Reader pages under load",
        "",
        f"gunicorn -w 2 on 127.0.0.1, production settings, `wrk -t2 -c4 -d{seconds}s` from the same 2-core",
        "machine (client and server share the cores). The article is the seed op-ed from the demo.",
        "",
        "| Database | Page | Requests/s | p50 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for label, title, rps, p50, p99 in rows:
        lines.append(f"| {label} | {title} | {rps:.0f} | {p50:.1f} | {p99:.1f} |")
    by = {(r[0], r[1]): r[2] for r in rows}
    lines.append("")
    for label, _ in backends:
        bare = by[(label, "bare Wagtail home page")]
        lines.append(
            f"- {label}: uncached article = {by[(label, 'Communiqué article, uncached')] / bare:.2f}× the bare "
            f"Wagtail home page; cached article = {by[(label, 'Communiqué article, page cache')] / bare:.1f}×."
        )
    write_section("web", "\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    run(args.seconds, not args.no_postgres)
