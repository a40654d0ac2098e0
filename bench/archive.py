#!/usr/bin/env python3
"""A 100,000-article archive on PostgreSQL, and how fast its listing and search pages are uncached.

    .venv/bin/python bench/archive.py generate [--articles 100000] [--db bench_archive]
    .venv/bin/python bench/archive.py measure  [--db bench_archive] [--rounds 15]
    .venv/bin/python bench/archive.py compare --against REV [--times 4] [--rounds 3]

`generate` drops and recreates the database, migrates it and fills it (bench/archive_build.py:
bulk COPY, a few minutes rather than the hours of one Page.add_child per article). `measure`
serves section, author, tag and search pages through Django's WSGI handler in this process with
the page cache off and the cache emptied before every request (so no fragment, count or route is
reused), on page 1, page 50 and the last page of each list, alternating the page types round after
round so the shared machine's load falls on all of them alike. It reports p50/p95 wall time, CPU
time and queries per request and writes the "archive" section of docs/performance.md."""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
PG = "postgres://postgres@127.0.0.1:5432/"


def setup(db):
    os.environ["DATABASE_URL"] = PG + db
    os.environ.setdefault("COMMUNIQUE_VAR_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / f"communique-{db}"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "communique.settings.dev"
    Path(os.environ["COMMUNIQUE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


def generate(args):
    psql = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *psql, "--if-exists", args.db], check=True)
    subprocess.run(["createdb", *psql, args.db], check=True)
    setup(args.db)
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    from archive_build import build

    _, count = build(args.articles, n_authors=args.authors, n_tags=args.tags)
    done = time.monotonic()
    print(f"{count} articles in {done - migrated:.0f} s (migrations {migrated - started:.0f} s) into {args.db}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--articles", type=int, default=100_000)
    g.add_argument("--authors", type=int, default=1000)
    g.add_argument("--tags", type=int, default=2000)
    g.add_argument("--db", default="bench_archive")
    m = sub.add_parser("measure")
    m.add_argument("--db", default="bench_archive")
    m.add_argument("--rounds", type=int, default=15)
    m.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    c = sub.add_parser("compare", help="this checkout against an earlier commit, alternated, on the same archive")
    c.add_argument("--against", required=True, help="a git revision (e.g. HEAD~3)")
    c.add_argument("--db", default="bench_archive")
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--times", type=int, default=4)
    c.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()
    if args.articles < 1 if args.command == "generate" else False:
        parser.error("--articles must be at least 1")
    if args.command == "generate":
        generate(args)
    elif args.command == "compare":
        from archive_compare import compare

        compare(args)
    else:
        from archive_measure import measure

        setup(args.db)
        measure(args)


if __name__ == "__main__":
    main()
