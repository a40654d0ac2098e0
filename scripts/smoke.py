#!/usr/bin/env python3
"""Install, migrate, build the demo and serve its main pages under another Python (CI runs it on
3.13 while the full suite runs on 3.11).

    python3 scripts/smoke.py /path/to/python3.13

Everything happens in a throw-away folder: its own venv and var/ (SQLite). Exits non-zero, naming
the step, when any step fails or a page is not a 200 with the content a reader expects."""
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK_PAGES = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from django.test import Client
    from wagtail.models import Page
    from communique.magazine.models import ArticlePage
    client = Client(HTTP_HOST="127.0.0.1")
    article = ArticlePage.objects.live().public().first()
    pages = {"/": None, article.url: article.title, "/feeds/rss/": None, "/sitemap.xml": None}
    failed = []
    for url, expect in pages.items():
        response = client.get(url, follow=True)
        body = response.content.decode()
        if response.status_code != 200 or (expect and expect not in body):
            failed.append(f"{url}: {response.status_code}")
    print(f"{sys.version.split()[0]}: {len(pages) - len(failed)} of {len(pages)} pages served")
    sys.exit("; ".join(failed) or 0)
    """
)


def step(name, *args, env):
    print(f"==> smoke: {name}", flush=True)
    result = subprocess.run([str(a) for a in args], env=env)
    if result.returncode:
        sys.exit(f"smoke test failed at: {name} (exit {result.returncode})")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    python = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="communique-smoke-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, COMMUNIQUE_VAR_DIR=str(tmp / "var"), DJANGO_SETTINGS_MODULE="communique.settings.dev")
        env.pop("DATABASE_URL", None)
        step("create venv", python, "-m", "venv", tmp / "venv", env=env)
        bin_ = tmp / "venv" / "bin"
        step("install", bin_ / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", ROOT, env=env)
        step("migrate", bin_ / "communique", "migrate", "--no-input", "-v", "0", env=env)
        step("demo content", bin_ / "communique", "demo", env=env)
        step("reader pages", bin_ / "python", "-c", CHECK_PAGES, env=env)
        sample = tmp / "smoke.md"
        sample.write_text("---\ntitle: Smoke\nlanguage: en\n---\n\n# One\n\nText with a note.[^1]\n\n[^1]: The note.\n")
        step("render epub", bin_ / "communique", "render", sample, "--to", "epub", "-o", tmp / "smoke.epub", env=env)


if __name__ == "__main__":
    main()
