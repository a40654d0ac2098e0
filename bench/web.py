#!/usr/bin/env python3
"""Reader-page throughput: Communiqué's article, section, author and home pages (page cache off,
fragment caches on) and its page-cached article, against a bare Wagtail site's home page.

Like for like: both sites run under gunicorn -w 2 on 127.0.0.1 with DEBUG off, the same database
engine, the same persistent connections (CONN_MAX_AGE=60, as Communiqué's settings keep) and the
same in-process cache. All servers run at once and the measurements alternate — bare, then every
Communiqué page, round after round — so a change in the shared machine's load hits both alike.
Load comes from wrk (Debian's `wrk` package) in its own process; CPU per request is the servers'
own CPU time (gunicorn master and workers, from /proc) over the requests they answered. A third
server, a WSGI app that only answers the cached article's bytes, gives the floor: what gunicorn and
wrk alone cost on these cores, so the most any page, cached or not, can reach here.

    .venv/bin/python bench/web.py [--seconds 8] [--rounds 3] [--no-postgres] [--no-sqlite]

Writes the "web" section of docs/performance.md."""
import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
CONN_MAX_AGE = 60
TICKS = os.sysconf("SC_CLK_TCK")
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


PORTS = range(8500, 8600)  # this bench's share of the machine's ports


def free_port():
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def sh(*args, env=None, cwd=None):
    subprocess.run([str(a) for a in args], env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def tree_cpu_seconds(pid):
    """User + system CPU of a process and its live children (gunicorn's workers)."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            pass
    return total / TICKS


class Server:
    def __init__(self, wsgi, env, cwd, port=None):
        self.port = port or free_port()
        self.proc = subprocess.Popen(
            # This interpreter's gunicorn: the venv's script may name another checkout's Python.
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", wsgi],
            env=env, cwd=cwd, start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5)
                return
            except Exception:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{wsgi} did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def cpu(self):
        return tree_cpu_seconds(self.proc.pid)

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        self.proc.wait(timeout=30)


def wrk(server, url, seconds):
    for _ in range(3):  # warm: the fragments, routes and connections of this page
        urllib.request.urlopen(url, timeout=30).read()
    cpu_before = server.cpu()
    out = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    cpu = server.cpu() - cpu_before
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses under load")
    requests = int(re.search(r"(\d+) requests in", out).group(1))

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"),
            "p99": ms("99"), "cpu_ms": 1000 * cpu / max(1, requests)}


def communique_env(var_dir, database_url, cache_seconds=0):
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT),  # this checkout's code, whatever the venv's editable install points at
        DJANGO_SETTINGS_MODULE="communique.settings.production",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,  # production refuses weak or published keys
        COMMUNIQUE_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        COMMUNIQUE_PAGE_CACHE_SECONDS=str(cache_seconds),
        COMMUNIQUE_PLAIN_HTTP="1",  # loopback without TLS: no HTTPS redirect, no Secure-only cookies
        COMMUNIQUE_SERVE_MEDIA="1",  # gunicorn alone: no web server in front for uploaded images
    )


PATHS = """
from communique.magazine.models import ArticlePage, HomePage, SectionPage
a = ArticlePage.objects.live().filter(locale__language_code='en').exclude(is_sample=True).first()
home = HomePage.objects.live().filter(locale__language_code='en').first()
author = a.authors[0]
print(a.url); print(a.get_parent().url); print(author.get_absolute_url()); print(home.url)
"""


CLI = [sys.executable, "-c", "import sys; from communique.cli import main; sys.argv[0] = 'communique'; main()"]


def prepare_communique(var_dir, database_url):
    env = communique_env(var_dir, database_url)
    sh(*CLI, "migrate", "--no-input", env=env)
    sh(*CLI, "demo", env=env)
    sh(*CLI, "collectstatic", "--no-input", env=env)
    out = subprocess.run([*CLI, "shell", "-c", PATHS], env=env, capture_output=True, text=True, check=True)
    article, section, author, home = out.stdout.strip().splitlines()[-4:]
    return {"article": article, "section": section, "author": author, "home": home}


def prepare_bare_wagtail(tmp, database_url):
    project = tmp / "bare"
    project.mkdir()
    # -P: the empty project folder in the working directory must not look like an importable "bare".
    sh(sys.executable, "-P", "-m", "wagtail.bin.wagtail", "start", "bare", project, cwd=tmp)
    (project / "bare" / "settings" / "bench.py").write_text(
        "import dj_database_url\nfrom .base import *\nDEBUG = False\nSECRET_KEY = 'bench'\n"
        "ALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
        # The same connection settings as Communiqué (communique/settings/base.py).
        f"DATABASES = {{'default': dj_database_url.parse({database_url!r}, conn_max_age={CONN_MAX_AGE})}}\n"
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bare.settings.bench", PYTHONPATH=str(project))
    sh(sys.executable, "manage.py", "migrate", "--no-input", env=env, cwd=project)
    sh(sys.executable, "manage.py", "collectstatic", "--no-input", env=env, cwd=project)
    return project, env


def fresh_pg_database(name):
    sh("psql", PG + "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {name}")
    sh("psql", PG + "postgres", "-q", "-c", f"CREATE DATABASE {name}")
    return PG + name


BARE = "bare Wagtail home page"
FLOOR = "floor: static WSGI app, same bytes"


def floor_app(tmp, body):
    """The most any page can get from gunicorn -w 2 on this machine: a WSGI app that answers the
    cached article's bytes and does nothing else, under the same server and load. Returns the env."""
    (tmp / "floor.py").write_bytes(
        b"BODY = " + repr(body).encode() + b"\n"
        b"def application(environ, start_response):\n"
        b"    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),"
        b" ('Content-Length', str(len(BODY)))])\n"
        b"    return [BODY]\n")
    return dict(os.environ, PYTHONPATH=str(tmp))
TARGETS = [("article", "article"), ("section", "section"), ("author", "author"), ("home", "home")]


def run_backend(label, kind, seconds, rounds, tmp):
    db = fresh_pg_database("h_web_bench") if kind else f"sqlite:///{tmp / 'communique.sqlite3'}"
    bare_db = fresh_pg_database("h_web_bare") if kind else f"sqlite:///{tmp / 'bare.sqlite3'}"
    print(f"[{label}] preparing Communiqué demo and a bare Wagtail site…", flush=True)
    paths = prepare_communique(tmp, db)
    project, bare_env = prepare_bare_wagtail(tmp, bare_db)
    servers = []
    try:
        bare = Server("bare.wsgi", bare_env, project)
        servers.append(bare)
        uncached = Server("communique.wsgi", communique_env(tmp, db, 0), ROOT)
        servers.append(uncached)
        cached = Server("communique.wsgi", communique_env(tmp, db, 300), ROOT)
        servers.append(cached)
        floor = Server("floor", floor_app(tmp, urllib.request.urlopen(cached.url(paths["article"])).read()), tmp)
        servers.append(floor)
        plan = [(BARE, bare, "/")]
        plan += [(f"Communiqué {name}, uncached", uncached, paths[key]) for name, key in TARGETS]
        plan += [("Communiqué article, page cache", cached, paths["article"])]
        plan += [(FLOOR, floor, paths["article"])]
        results = {title: [] for title, _, _ in plan}
        loads = [os.getloadavg()[0]]
        for r in range(rounds):
            for title, server, path in plan:
                results[title].append(wrk(server, server.url(path), seconds))
                print(f"[{label}] round {r + 1}: {title}: {results[title][-1]['rps']:.0f} req/s", flush=True)
            loads.append(os.getloadavg()[0])
    finally:
        for server in servers:
            server.stop()
    rows = []
    for title, runs in results.items():
        rows.append((label, title, *(statistics.median(run[k] for run in runs) for k in ("rps", "p50", "p99", "cpu_ms"))))
    return rows, loads


def run(seconds, rounds, backends):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    rows, loads = [], {}
    for label, kind in backends:
        with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
            backend_rows, loads[label] = run_backend(label, kind, seconds, rounds, Path(tmp))
            rows += backend_rows
    lines = [
        "## Reader pages under load",
        "",
        f"`bench/web.py`: gunicorn -w 2 on 127.0.0.1, DEBUG off, `wrk -t2 -c4 -d{seconds}s` from the same",
        "2-core machine (client and servers share the cores). Both sites keep their database connections",
        f"(CONN_MAX_AGE={CONN_MAX_AGE}) and an in-process cache; all servers run at once and the pages are",
        f"measured in turn, {rounds} rounds, median shown. \"Uncached\" is Communiqué with its page cache off",
        "(fragment, route and count caches on, as in production); the pages are the demo's seed op-ed,",
        "its section, its author and the home page. \"Page cache\" is the page-cache server answering from",
        "its stored response in front of Django (communique/wsgi.py, magazine/served_from_cache.py).",
        "CPU/request is the servers' own CPU time over the requests they answered; \"CPU × bare\" is the",
        "bare page's CPU per request over this one's (how many of these the server side can answer for",
        "one bare page), which wrk, sharing the two cores, does not limit. The floor row is a WSGI app that",
        "answers the cached article's bytes and nothing else, under the same gunicorn and wrk.",
        "",
        "| Database | Page | Requests/s | p50 ms | p99 ms | CPU ms/request | × bare | CPU × bare |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    by = {(r[0], r[1]): r for r in rows}
    for label, title, rps, p50, p99, cpu in rows:
        bare = by[(label, BARE)]
        lines.append(f"| {label} | {title} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {cpu:.2f} | {rps / bare[2]:.2f}× "
                     f"| {bare[5] / cpu:.2f}× |")
    lines.append("")
    for label in dict.fromkeys(r[0] for r in rows):
        bare = by[(label, BARE)]
        uncached = [r for r in rows if r[0] == label and r[1].endswith("uncached")]
        cached = by[(label, "Communiqué article, page cache")]
        worst = min(uncached, key=lambda r: r[2])
        lines.append(f"- {label}: uncached pages {min(r[2] for r in uncached) / bare[2]:.2f}–"
                     f"{max(r[2] for r in uncached) / bare[2]:.2f}× the bare page's requests/s (lowest: "
                     f"{worst[1].removeprefix('Communiqué ').removesuffix(', uncached')}); page cache "
                     f"{cached[2] / bare[2]:.1f}× by requests/s, {bare[5] / cached[5]:.1f}× by CPU per request.")
        floor = by[(label, FLOOR)]
        lines.append(f"- {label}: the floor row, a WSGI app that only answers the same bytes, is "
                     f"{floor[2] / bare[2]:.1f}× the bare page: the most any page can reach under gunicorn -w 2 with "
                     f"wrk on the same two cores; the page cache gets {cached[2] / floor[2]:.0%} of it "
                     f"({cached[5] - floor[5]:.2f} ms CPU a request more).")
    for label, values in loads.items():
        lines.append(f"- {label}: 1-minute load average {min(values):.1f}–{max(values):.1f} during the run "
                     "(wrk and the servers share the 2 cores; the ratios compare runs taken seconds apart, "
                     "alternating).")
    write_section("web", "\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    chosen = ([] if args.no_sqlite else [("SQLite", None)]) + ([] if args.no_postgres else [("PostgreSQL", "pg")])
    run(args.seconds, args.rounds, chosen)
