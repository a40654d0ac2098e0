#!/usr/bin/env python3
"""A short, bounded soak: simulated readers on Granian (4 workers, as `communique serve` runs it;
production settings, loopback only) while two editors publish at once, on SQLite and on PostgreSQL. Passes when there are zero
5xx answers, no editor's publish failed or was lost, and every article's view count equals the
number of distinct simulated readers who opened it (readers reload and rotate their User-Agent;
each has its own address, sent as X-Forwarded-For through one trusted proxy).

    .venv/bin/python bench/soak.py [--readers 60] [--publishes 12] [--no-postgres]

Writes the "soak" section of docs/performance.md; exits non-zero on any failure."""
import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from communique.core import web_server  # noqa: E402
BIN = Path(sys.executable).parent
PORTS = {"SQLite": 8101, "PostgreSQL": 8102}  # engineer 1's range (8100-8199)
UAS = [f"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0 Safari/537.36"
       for v in range(110, 130)]

SETUP = """
import json
from communique.magazine.tests.factories import build_magazine
mag = build_magazine(n_articles=6, with_images=False)
print(json.dumps([{"pk": a.pk, "url": a.url} for a in mag["articles"]] + [{"pk": None, "url": mag["sections"][0].url}]))
"""

EDITOR = """
import json, sys, traceback
from communique.magazine.models import ArticlePage
editor, pks, rounds = {editor!r}, {pks!r}, {rounds!r}
done, errors = 0, []
for i in range(rounds):
    for pk in pks:
        try:
            page = ArticlePage.objects.get(pk=pk)
            page.title = page.title.split(" [", 1)[0] + f" [{{editor}} {{i}}]"
            page.save_revision().publish()
            done += 1
        except Exception as exc:
            errors.append(f"{{type(exc).__name__}}: {{exc}}")
print(json.dumps({{"done": done, "errors": errors[:5], "n_errors": len(errors)}}))
"""

CHECK = """
import json
from communique.magazine.models import ArticlePage
from communique.magazine.popularity.models import PageViewTotal
totals = dict(PageViewTotal.objects.values_list("page_id", "count"))
titles = {p.pk: p.title for p in ArticlePage.objects.all()}
print(json.dumps({"totals": totals, "titles": titles}))
"""


def env_for(var_dir, database_url):
    return dict(
        {k: v for k, v in os.environ.items()
         if not k.startswith("COMMUNIQUE_") and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")},
        DJANGO_SETTINGS_MODULE="communique.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        COMMUNIQUE_VAR_DIR=str(var_dir),
        **({"DATABASE_URL": database_url} if database_url else {}),  # none: SQLite in the var dir
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        COMMUNIQUE_PLAIN_HTTP="1",  # loopback without TLS
        COMMUNIQUE_TRUSTED_PROXIES="1",  # the soak client plays the proxy: X-Forwarded-For is the reader
    )


def shell(code, env):
    out = subprocess.run([BIN / "communique", "shell", "-c", code], env=env, capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def read(url, ip, ua):
    request = urllib.request.Request(url, headers={"User-Agent": ua, "X-Forwarded-For": ip})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:  # connection refused/reset: as bad as a 500
        return f"{type(e).__name__}"


def soak(name, database_url, readers, publishes):
    tmp = Path(tempfile.mkdtemp(prefix=f"communique-soak-{name}-"))
    env = env_for(tmp, database_url)
    try:
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            subprocess.run([BIN / "communique", *command], env=env, check=True, stdout=subprocess.DEVNULL)
        pages = shell(SETUP, env)
        articles = [p for p in pages if p["pk"]]
        port = PORTS[name]
        server = subprocess.Popen(web_server.command("granian", f"127.0.0.1:{port}", 4, access_log=False),
                                  env=env, cwd=ROOT, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.time() + 60
            while read(base + "/", "127.0.0.1", "warmup-bot/1.0") != 200:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("the web server did not start")
                time.sleep(0.5)
            rng = random.Random(8)
            plan, expected = [], Counter()
            for r in range(readers):
                ip = f"203.0.{r // 250}.{r % 250 + 1}"
                chosen = rng.sample(articles, rng.randint(1, 4))
                for a in chosen:
                    expected[a["pk"]] += 1
                    for _ in range(rng.randint(1, 3)):  # reloads, each with another User-Agent
                        plan.append((base + a["url"], ip, rng.choice(UAS)))
                plan.append((base + pages[-1]["url"], ip, rng.choice(UAS)))
            rng.shuffle(plan)
            half = len(articles) // 2
            editors = [subprocess.Popen([BIN / "communique", "shell", "-c",
                                         EDITOR.format(editor=e, pks=[a["pk"] for a in group], rounds=publishes)],
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                       for e, group in (("A", articles[:half]), ("B", articles[half:]))]
            started = time.time()
            with ThreadPoolExecutor(8) as pool:
                statuses = Counter(pool.map(lambda p: read(*p), plan))
            edits = []
            for e in editors:
                out, err = e.communicate(timeout=600)
                edits.append(json.loads(out.strip().splitlines()[-1]) if e.returncode == 0 else {"done": 0, "n_errors": 1, "errors": [err[-500:]]})
            seconds = time.time() - started
            time.sleep(13)  # one flush period (10 s) and a margin: every worker writes its buffer
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        state = shell(CHECK, env)
        totals = {int(k): v for k, v in state["totals"].items()}
        wrong_counts = {pk: (totals.get(pk, 0), n) for pk, n in expected.items() if totals.get(pk, 0) != n}
        last = f" {publishes - 1}]"
        lost = [t for pk, t in state["titles"].items() if int(pk) in {a["pk"] for a in articles} and not t.endswith(last)]
        bad = {s: n for s, n in statuses.items() if s != 200}
        result = {
            "name": name, "requests": sum(statuses.values()), "seconds": round(seconds, 1),
            "non_200": bad, "publishes": sum(e["done"] for e in edits),
            "publish_errors": sum(e["n_errors"] for e in edits), "publish_error_samples": [x for e in edits for x in e["errors"]],
            "lost_writes": lost, "readers": readers, "expected_views": sum(expected.values()),
            "counted_views": sum(totals.get(pk, 0) for pk in expected), "wrong_counts": wrong_counts,
        }
        result["ok"] = not bad and not result["publish_errors"] and not lost and not wrong_counts \
            and result["publishes"] == 2 * half * publishes
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", type=int, default=60)
    ap.add_argument("--publishes", type=int, default=12, help="rounds of publishing per editor (3 articles each)")
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    runs = [("SQLite", "")]
    if not args.no_postgres:
        db = "secweb_soak"
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {db}"], check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {db}"], check=True)
        runs.append(("PostgreSQL", f"postgres://postgres@127.0.0.1:5432/{db}"))
    results = []
    for name, url in runs:
        r = soak(name, url, args.readers, args.publishes)
        print(json.dumps(r, indent=1))
        results.append(r)
    rows = "\n".join(
        f"| {r['name']} | {r['requests']} in {r['seconds']} s | {sum(r['non_200'].values())} | "
        f"{r['publishes']} / {r['publish_errors']} | {len(r['lost_writes'])} | {r['readers']} | "
        f"{r['counted_views']} / {r['expected_views']} | {'pass' if r['ok'] else 'FAIL'} |" for r in results)
    write_section("soak", f"""## Soak: readers and concurrent editors

`bench/soak.py`: Granian with 4 workers (as `communique serve` runs it) and the production settings on loopback; {args.readers} simulated
readers (each its own address, each opening 1-4 of 6 articles 1-3 times with a rotating User-Agent, plus a
section page) fetched by 8 threads, while two editors publish 3 articles each, {args.publishes} rounds, at the
same time. Counts are read after the workers' buffers are flushed.

| Database | Reader requests | Non-200 answers | Publishes done / failed | Lost writes | Distinct readers | Views counted / expected | Result |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}
""")
    sys.exit(0 if all(r["ok"] for r in results) else 1)


if __name__ == "__main__":
    main()
