#!/usr/bin/env python3
"""A bounded soak at 80% of measured capacity: the demo under Granian with 2 workers, as
`communique serve` runs it (production settings, page cache off, fragment caches on, loopback only), its capacity on a mix of reader pages measured
with wrk, then a steady 80% of that rate from a Python load client in its own process for a few
minutes while an editor republishes an article every 20 s (each publish purges every fragment).
Passes with zero errors (non-200 answers or failed connections) and the workers' memory (RSS)
growing under 10% from the start of the soak to its end.

    .venv/bin/python bench/soak_capacity.py [--minutes 3] [--no-postgres] [--no-sqlite]
        [--pg-db h_res_soak] [--ports 8400-8499] [--redis-db 4]

The PostgreSQL pass drops and creates the database named by --pg-db. The server listens on the first
free port of --ports (engineers sharing a machine each have a range); REDIS_URL points at --redis-db.

Writes the "soak-capacity" section of docs/performance.md; exits non-zero on a failure."""
import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402
from web import BIN, CONNECTIONS, ROOT, Server, communique_env, fresh_pg_database, sh  # noqa: E402

PATHS = """
import json
from django.urls import reverse
from communique.magazine.models import ArticlePage, HomePage
arts = list(ArticlePage.objects.live().filter(locale__language_code='en').order_by('-date')[:6])
home = HomePage.objects.live().filter(locale__language_code='en').first()
signed = next(a for a in ArticlePage.objects.live().filter(locale__language_code='en') if a.authors)
tagged = next(a for a in ArticlePage.objects.live().filter(locale__language_code='en') if a.tags.exists())
urls = [a.url for a in arts] + [arts[0].get_parent().url, signed.authors[0].get_absolute_url(), home.url,
        reverse('magazine:tag', args=[tagged.tags.first().slug])]
print(json.dumps({"urls": urls, "editor_pk": arts[-1].pk}))
"""

EDITOR = """
import time
from communique.magazine.models import ArticlePage
end = time.time() + {seconds}
n = 0
while time.time() < end:
    page = ArticlePage.objects.get(pk={pk})
    page.title = page.title.split(" (rev", 1)[0] + f" (rev {{n}})"
    page.save_revision().publish()
    n += 1
    time.sleep(20)
print(n)
"""


def rss_mb(server):
    total = 0
    try:
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text().split()
    except OSError:
        children = []
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def capacity(server, urls, seconds):
    """Requests/s of the mix: wrk on each page in turn, combined as the mix's harmonic mean."""
    import re

    rates = []
    for path in urls:
        out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", server.url(path)],
                             capture_output=True, text=True, check=True).stdout
        rates.append(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)))
    return len(rates) / sum(1 / r for r in rates)


def _load(port, urls, rate, seconds, out_queue, threads=8):
    """The load client (its own process): `rate` requests/s on a fixed schedule, pages in turn."""
    lock = threading.Lock()
    slot = [0]
    start = time.time() + 0.5
    statuses, latencies, late = Counter(), [], [0]

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = slot[0]
                slot[0] += 1
            due = start + i / rate
            if due > start + seconds:
                break
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            elif wait < -1:
                late[0] += 1
            began = time.time()
            try:
                conn.request("GET", urls[i % len(urls)], headers={"User-Agent": "soak/1.0 (bench)"})
                response = conn.getresponse()
                response.read()
                statuses[response.status] += 1
            except Exception as exc:
                statuses[type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latencies.append(time.time() - began)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    latencies.sort()
    out_queue.put({"statuses": {str(k): v for k, v in statuses.items()}, "requests": len(latencies),
                   "p50": 1000 * latencies[len(latencies) // 2] if latencies else 0,
                   "p99": 1000 * latencies[int(len(latencies) * 0.99)] if latencies else 0,
                   "late": late[0]})


def port_in(ports):
    """The first port of "LOW-HIGH" nothing listens on."""
    import socket

    low, _, high = ports.partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports}")


def soak(label, kind, minutes, tmp, pg_db, ports, redis_db):
    db = fresh_pg_database(pg_db) if kind else f"sqlite:///{tmp / 'communique.sqlite3'}"
    env = communique_env(tmp, db, 0)
    env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    # The console scripts' editable install may point at another checkout; this one's code runs.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    sh(BIN / "communique", "migrate", "--no-input", env=env)
    sh(BIN / "communique", "demo", env=env)
    sh(BIN / "communique", "collectstatic", "--no-input", env=env)
    out = subprocess.run([BIN / "communique", "shell", "-c", PATHS], env=env, capture_output=True, text=True, check=True)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    urls = info["urls"]
    server = Server("communique.wsgi", env, ROOT, port=port_in(ports))
    try:
        cap = capacity(server, urls, 4)
        rate = 0.8 * cap
        seconds = int(minutes * 60)
        rss_start = rss_mb(server)
        editor = subprocess.Popen([BIN / "communique", "shell", "-c", EDITOR.format(seconds=seconds - 5, pk=info["editor_pk"])],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        queue = multiprocessing.Queue()
        client = multiprocessing.Process(target=_load, args=(server.port, urls, rate, seconds, queue))
        client.start()
        samples, loads = [rss_start], [os.getloadavg()[0]]
        while client.is_alive():
            client.join(timeout=15)
            samples.append(rss_mb(server))
            loads.append(os.getloadavg()[0])
        result = queue.get(timeout=30)
        edits_out, edits_err = editor.communicate(timeout=120)
        publishes = int(edits_out.strip().splitlines()[-1]) if editor.returncode == 0 else 0
    finally:
        server.stop()
    errors = sum(v for k, v in result["statuses"].items() if k != "200")
    growth = (samples[-1] - rss_start) / rss_start if rss_start else 0
    return {
        "label": label, "capacity": cap, "rate": rate, "seconds": seconds, **result, "errors": errors,
        "rss_start": rss_start, "rss_end": samples[-1], "rss_max": max(samples), "growth": growth,
        "publishes": publishes, "editor_error": "" if editor.returncode == 0 else edits_err[-300:],
        "load": (min(loads), max(loads)),
        "ok": errors == 0 and growth < 0.10 and editor.returncode == 0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--pg-db", default="h_res_soak", help="PostgreSQL database the run drops and creates")
    ap.add_argument("--ports", default="8400-8499")
    ap.add_argument("--redis-db", type=int, default=4)
    args = ap.parse_args()
    backends = ([] if args.no_sqlite else [("SQLite", None)]) + ([] if args.no_postgres else [("PostgreSQL", "pg")])
    results = []
    for label, kind in backends:
        with tempfile.TemporaryDirectory(prefix="communique-soak-") as tmp:
            r = soak(label, kind, args.minutes, Path(tmp), args.pg_db, args.ports, args.redis_db)
        print(json.dumps(r, indent=1, default=str), flush=True)
        results.append(r)
    rows = "\n".join(
        f"| {r['label']} | {r['capacity']:.0f} | {r['rate']:.0f} | {r['requests']} in {r['seconds']} s "
        f"({r['requests'] / r['seconds']:.0f}/s; {r['late']} started > 1 s late) | {r['p50']:.1f} / {r['p99']:.1f} | {r['errors']} | "
        f"{r['rss_start']:.0f} → {r['rss_end']:.0f} MB ({100 * r['growth']:+.1f}%, peak {r['rss_max']:.0f}) | "
        f"{r['publishes']} | {r['load'][0]:.1f}–{r['load'][1]:.1f} | {'pass' if r['ok'] else 'FAIL'} |"
        for r in results)
    write_section("soak-capacity", f"""## Soak at 80% of capacity

`bench/soak_capacity.py`: the demo under Granian with 2 workers (as `communique serve` starts it), production settings, page cache off
(fragment and route caches on), loopback. Capacity is wrk's rate on a mix of ten reader pages (six
articles, a section, an author, the home page, a tag page; harmonic mean); the soak then sends 80%
of it on a fixed schedule from a Python client in its own process (8 keep-alive connections) for
{args.minutes:g} minutes, while an editor republishes an article every 20 s (each publish purges every
cached fragment and route, so pages are re-rendered under load). Memory is the two workers' RSS
from the start of the soak to its end. The machine is shared with seven other engineers' work
(load average in the table), so capacity is what was left for this run.

| Database | Capacity req/s | Target req/s | Requests sent | p50 / p99 ms | Errors | Workers' RSS | Publishes | Load average | Result |
| --- | ---: | ---: | --- | --- | ---: | --- | ---: | --- | --- |
{rows}
""")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
