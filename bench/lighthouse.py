#!/usr/bin/env python3
"""Lighthouse scores (Performance, Accessibility, Best Practices, SEO) for the home, a section, an
article, an author and a translated (Urdu) article page of the demo, served by Granian (as
`communique serve` runs it) with production settings, in Debian's Chromium.

    (cd bench/lighthouse && npm ci)      # Lighthouse 12 runs on the machine's Node 20
    .venv/bin/python bench/lighthouse.py

Writes the "lighthouse" section of docs/performance.md."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402
from web import BIN, ROOT, Server, communique_env, prepare_communique  # noqa: E402

LH = Path(__file__).resolve().parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"


def lighthouse(url, out):
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    for attempt in range(3):
        # On a loaded machine Chromium's trace sometimes misses the navigation start
        # (NO_NAVSTART, "Please run Lighthouse again"); that says nothing about the page.
        done = subprocess.run(
            [LH, url, "--output=json", f"--output-path={out}", "--quiet", f"--chrome-flags={FLAGS}",
             "--only-categories=" + ",".join(CATEGORIES)],
            env=env, timeout=180,
        )
        if done.returncode == 0:
            break
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url}")
    report = json.loads(Path(out).read_text())
    keep = os.environ.get("COMMUNIQUE_LH_KEEP")  # a folder: keep each page's full report to read
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        Path(keep, url.rstrip("/").rsplit("/", 1)[-1].replace("%", "") + ".json").write_text(Path(out).read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    misses = [
        a["title"] for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric")
        and any(a["id"] in [r["id"] for r in report["categories"][c]["auditRefs"] if r["weight"] > 0] for c in CATEGORIES)
    ]
    return scores, misses


class PatientServer(Server):
    """bench/web.py's server (the one `communique serve` runs), given longer to answer its first
    page: on the shared 2-core machine (load 15+ while other work runs) an uncached first render
    takes more than web.py's 5 s."""

    def __init__(self, wsgi, env, cwd):
        super().__init__(wsgi, env, cwd, start_seconds=180, first_page_seconds=20)


def more_pages(var_dir, db):
    """An author with live articles and the demo's Urdu translation, by the same queries the demo uses."""
    code = (
        "from communique.magazine.models import ArticlePage, Author;"
        "print(Author.objects.filter(article_links__page__live=True, article_links__page__locale__language_code='en')"
        ".order_by('name').first().get_absolute_url());"
        "print(ArticlePage.objects.live().filter(locale__language_code='ur').first().url)"
    )
    out = subprocess.run([BIN / "communique", "shell", "-c", code], env=communique_env(var_dir, db),
                         capture_output=True, text=True, check=True)
    author, urdu = out.stdout.strip().splitlines()[-2:]
    return author, urdu


def main():
    if not LH.exists():
        sys.exit(f"Lighthouse is not installed: (cd {LH.parents[2]} && npm ci)")
    with tempfile.TemporaryDirectory(prefix="communique-lh-") as tmp:
        tmp = Path(tmp)
        db = f"sqlite:///{tmp / 'communique.sqlite3'}"
        article = prepare_communique(tmp, db)
        server = PatientServer("communique.wsgi", communique_env(tmp, db), ROOT)
        try:
            author, urdu = more_pages(tmp, db)
            pages = {"Home": "/", "Section (OpEd)": "/oped/", "Article (seed op-ed)": article,
                     "Author": author, "Article in Urdu (translation)": urdu}
            rows = []
            for name, path in pages.items():
                scores, misses = lighthouse(server.url(path), tmp / "lh.json")
                rows.append((name, scores, misses))
        finally:
            server.stop()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    lines = ["## Lighthouse", "", "Lighthouse 12 in Debian's Chromium, default (mobile) settings, against Granian on 127.0.0.1.",
             f"Load average {load} (1/5/15 min) at the end of the run: the 2 cores are shared with other work, which",
             "mostly costs Performance (Total Blocking Time); the other three categories do not depend on load.", "",
             "| Page | Performance | Accessibility | Best Practices | SEO | Audits not passed |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, s, misses in rows:
        lines.append(f"| {name} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | {'; '.join(misses) or '—'} |")
    body = "\n".join(lines)
    print(body)
    write_section("lighthouse", body)


if __name__ == "__main__":
    main()
