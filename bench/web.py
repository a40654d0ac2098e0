#!/usr/bin/env python3
"""Reader-page throughput: Communiqué's article, section, author and home pages (page cache off,
fragment caches on) and its page-cached article, against a bare Wagtail site's home page.

Like for like: both sites run under the same HTTP server with 2 workers on 127.0.0.1 (the one
`communique serve` starts, Granian, and gunicorn's sync workers, which most Django sites run;
communique/core/web_server.py gives both command lines), DEBUG off, the same database engine, the
same persistent connections (CONN_MAX_AGE=60, as Communiqué's settings keep) and the same
in-process cache. All servers run at once and the measurements alternate — bare, then every
Communiqué page, round after round — so a change in the shared machine's load hits both alike.
Load comes from wrk (Debian's `wrk` package) in its own process; CPU per request is the servers'
own CPU time (master and workers, from /proc) over the requests they answered. One more server
per HTTP server, a WSGI app that only answers the cached article's bytes, gives the floor: what
that server and wrk alone cost on these cores, so the most any page, cached or not, can reach.

    .venv/bin/python bench/web.py [--seconds 8] [--rounds 3] [--servers granian,gunicorn]
                                  [--no-postgres] [--no-sqlite]

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

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from communique.core.web_server import SERVERS, command as server_command  # noqa: E402
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
    def __init__(self, wsgi, env, cwd, port=None, server="granian", start_seconds=60, first_page_seconds=5):
        self.port = port or free_port()
        self.name = server
        self.proc = subprocess.Popen(
            # This interpreter's server: the venv's script may name another checkout's Python.
            server_command(server, f"127.0.0.1:{self.port}", 2, wsgi=wsgi, access_log=False,
                           executable=[sys.executable, "-m", server]),
            env=env, cwd=cwd, start_new_session=True,
        )
        deadline = time.time() + start_seconds
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=first_page_seconds)
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


# Eight, not four: a server that keeps connections alive hands each to one worker for good, and four
# land on one of two workers often enough (one run in eight) to halve a run at random.
CONNECTIONS = 8


def wrk(server, url, seconds):
    for _ in range(3):  # warm: the fragments, routes and connections of this page
        urllib.request.urlopen(url, timeout=30).read()
    cpu_before = server.cpu()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
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
    """The most any page can get from an HTTP server with 2 workers here: a WSGI app that answers the
    cached article's bytes and does nothing else, under the same server and load. Returns the env."""
    (tmp / "floor.py").write_bytes(
        b"BODY = " + repr(body).encode() + b"\n"
        b"def application(environ, start_response):\n"
        b"    start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'),"
        b" ('Content-Length', str(len(BODY)))])\n"
        b"    return [BODY]\n")
    return dict(os.environ, PYTHONPATH=str(tmp))
TARGETS = [("article", "article"), ("section", "section"), ("author", "author"), ("home", "home")]


def run_backend(label, kind, seconds, rounds, tmp, server_names):
    db = fresh_pg_database("h_web_bench") if kind else f"sqlite:///{tmp / 'communique.sqlite3'}"
    bare_db = fresh_pg_database("h_web_bare") if kind else f"sqlite:///{tmp / 'bare.sqlite3'}"
    print(f"[{label}] preparing Communiqué demo and a bare Wagtail site…", flush=True)
    paths = prepare_communique(tmp, db)
    project, bare_env = prepare_bare_wagtail(tmp, bare_db)
    servers, plan = [], []
    try:
        for name in server_names:
            def start(*args):
                servers.append(Server(*args, server=name))
                return servers[-1]

            bare = start("bare.wsgi", bare_env, project)
            uncached = start("communique.wsgi", communique_env(tmp, db, 0), ROOT)
            cached = start("communique.wsgi", communique_env(tmp, db, 300), ROOT)
            floor = start("floor", floor_app(tmp, urllib.request.urlopen(cached.url(paths["article"])).read()), tmp)
            plan += [(name, BARE, bare, "/")]
            plan += [(name, f"Communiqué {page}, uncached", uncached, paths[key]) for page, key in TARGETS]
            plan += [(name, CACHED, cached, paths["article"]), (name, FLOOR, floor, paths["article"])]
        results = {(name, title): [] for name, title, _, _ in plan}
        loads = [os.getloadavg()[0]]
        for r in range(rounds):
            for name, title, server, path in plan:
                results[(name, title)].append(wrk(server, server.url(path), seconds))
                print(f"[{label}] round {r + 1}: {name}: {title}: {results[(name, title)][-1]['rps']:.0f} req/s", flush=True)
            loads.append(os.getloadavg()[0])
    finally:
        for server in servers:
            server.stop()
    rows = []
    for (name, title), runs in results.items():
        rows.append((label, name, title, *(statistics.median(run[k] for run in runs) for k in ("rps", "p50", "p99", "cpu_ms"))))
    return rows, loads


CACHED = "Communiqué article, page cache"


def run(seconds, rounds, backends, server_names):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    rows, loads = [], {}
    for label, kind in backends:
        with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
            backend_rows, loads[label] = run_backend(label, kind, seconds, rounds, Path(tmp), server_names)
            rows += backend_rows
    lines = [
        "## Reader pages under load",
        "",
        f"`bench/web.py`: each site under an HTTP server with 2 workers on 127.0.0.1 ({' and '.join(server_names)};",
        "Granian is what `communique serve` and the Procfile start, one Python thread a worker; gunicorn's",
        f"sync workers are what most Django sites run), DEBUG off, `wrk -t2 -c{CONNECTIONS} -d{seconds}s` from the same",
        "2-core machine (client and servers share the cores). Both sites keep their database connections",
        f"(CONN_MAX_AGE={CONN_MAX_AGE}) and an in-process cache; all servers run at once and the pages are",
        f"measured in turn, {rounds} rounds, median shown. \"Uncached\" is Communiqué with its page cache off",
        "(fragment, route and count caches on, as in production); the pages are the demo's seed op-ed,",
        "its section, its author and the home page. \"Page cache\" is the page-cache server answering from",
        "its stored response in front of Django (communique/wsgi.py, magazine/served_from_cache.py).",
        "Every ratio is against the bare Wagtail page under the same HTTP server.",
        "CPU/request is the servers' own CPU time over the requests they answered; \"CPU × bare\" is the",
        "bare page's CPU per request over this one's (how many of these the server side can answer for",
        "one bare page), which wrk, sharing the two cores, does not limit. The floor row is a WSGI app that",
        "answers the cached article's bytes and nothing else, under the same HTTP server and wrk.",
        "",
        "| Database | Server | Page | Requests/s | p50 ms | p99 ms | CPU ms/request | × bare | CPU × bare |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    by = {(r[0], r[1], r[2]): r for r in rows}
    for label, name, title, rps, p50, p99, cpu in rows:
        bare = by[(label, name, BARE)]
        lines.append(f"| {label} | {name} | {title} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {cpu:.2f} | {rps / bare[3]:.2f}× "
                     f"| {bare[6] / cpu:.2f}× |")
    lines.append("")
    for label, name in dict.fromkeys((r[0], r[1]) for r in rows):
        bare = by[(label, name, BARE)]
        uncached = [r for r in rows if r[:2] == (label, name) and r[2].endswith("uncached")]
        cached = by[(label, name, CACHED)]
        worst = min(uncached, key=lambda r: r[3])
        floor = by[(label, name, FLOOR)]
        lines.append(f"- {label}, {name}: uncached pages {min(r[3] for r in uncached) / bare[3]:.2f}–"
                     f"{max(r[3] for r in uncached) / bare[3]:.2f}× the bare page's requests/s (lowest: "
                     f"{worst[2].removeprefix('Communiqué ').removesuffix(', uncached')}); page cache "
                     f"{cached[3] / bare[3]:.1f}× by requests/s, {bare[6] / cached[6]:.1f}× by CPU per request; "
                     f"the floor (a WSGI app that only answers the same bytes) {floor[3] / bare[3]:.1f}×, of which "
                     f"the page cache gets {cached[3] / floor[3]:.0%}.")
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
    parser.add_argument("--servers", default=",".join(SERVERS), help="HTTP servers to run both sites under")
    args = parser.parse_args()
    chosen = ([] if args.no_sqlite else [("SQLite", None)]) + ([] if args.no_postgres else [("PostgreSQL", "pg")])
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = set(names) - set(SERVERS)
    if unknown or not names:
        parser.error(f"--servers takes {', '.join(SERVERS)}")
    run(args.seconds, args.rounds, chosen, names)
