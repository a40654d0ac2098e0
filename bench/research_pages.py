#!/usr/bin/env python3
"""Entity page and timeline response time on a large archive, on PostgreSQL, against the magazine's
own search for the same name (what an analyst would otherwise use to find "everything on Lavrov").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_res_pages .venv/bin/python bench/research_pages.py [--articles 10000]

Builds the archive in that database (dropped and created again, from a migrated template kept
after the first run): N live article pages written straight into the page tree, each carrying a
copy of what the real extractor stores for the seed op-ed. Requests go through Django's test
client in one process, the cache emptied before each (server time without the network). Writes
the "research-pages" section of docs/performance.md."""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402


def fresh_db(url) -> bool:
    """Drop and create the database, from a migrated template when an earlier run left one.
    Returns whether it still needs migrating."""
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0] + "/postgres"
    template = f"{name}_template"

    def psql(sql, check=True):
        return subprocess.run(["psql", base, "-qAt", "-c", sql], check=check, capture_output=True, text=True)

    psql(f"DROP DATABASE IF EXISTS {name}")
    if psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'").stdout.strip() == "1":
        psql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return False
    psql(f"CREATE DATABASE {name}")
    return True


def keep_template(url):
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}_template TEMPLATE {name}"], check=True)


SEED = ROOT.parent.parent / "shared" / "seed" / "000_1833d9ad5e79db5b.txt"  # shared/ beside the repo
if not SEED.is_file():
    SEED = Path("/work/shared/seed/000_1833d9ad5e79db5b.txt")


def _insert_articles(section, specs):
    """Live ArticlePages under `section`, written straight into the tree (two multi-row INSERTs per
    batch: wagtailcore_page, then magazine_articlepage) instead of `add_child` per page, which
    costs 0.15-0.36 s a page on this machine (revision, tree lock, signals). The rows are what
    `add_child` + `publish()` leave behind, minus revisions."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from communique.magazine.models import ArticlePage

    section = Page.objects.get(pk=section.pk)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    first = section.numchild + 1
    pages = []
    for k, (title, slug, when, body) in enumerate(specs):
        pages.append(ArticlePage(
            title=title, draft_title=title, slug=slug, content_type=content_type, live=True,
            has_unpublished_changes=False, url_path=f"{section.url_path}{slug}/", locale_id=section.locale_id,
            first_published_at=when, last_published_at=when, path=ArticlePage._get_path(section.path, section.depth + 1, first + k),
            depth=section.depth + 1, numchild=0, date=when, body=body, standfirst="", is_sample=False))
    # Page rows first (they give the pks), then the ArticlePage rows pointing at them.
    parents = Page.objects.bulk_create([Page(**{f.attname: getattr(p, f.attname) for f in Page._meta.concrete_fields
                                                if f.attname != "id"}) for p in pages])
    for page, parent in zip(pages, parents):
        page.pk = page.page_ptr_id = parent.pk
    local = [f for f in ArticlePage._meta.local_concrete_fields]
    ArticlePage._base_manager._insert(pages, fields=local, using="default")
    Page.objects.filter(pk=section.pk).update(numchild=section.numchild + len(pages))
    return pages


def _seed_extraction():
    """What the real extractor stores for the seed op-ed: every article in the archive carries a
    copy of it (a random share of its entities), so the row counts per article are an extractor's,
    not a guess: ~N mentions, dates linked to the entities of their sentence, figures."""
    from communique.research.extract import extract_path

    t0 = time.perf_counter()
    result = extract_path(SEED)
    print(f"seed extracted in {time.perf_counter() - t0:.0f} s: {len(result.entities)} entities, "
          f"{sum(len(e.mentions) for e in result.entities)} mentions, {len(result.dates)} dates, "
          f"{len(result.figures)} figures", flush=True)
    return result


def build(n_articles, rng):
    from django.db import transaction

    from communique.demo.research import confirmed_records
    from communique.magazine.tests.factories import build_magazine
    from communique.research import services
    from communique.research.models import DateFact, Entity, FigureFact, Mention, Source
    from communique.research.sources import passages, read_source

    mag = build_magazine(n_articles=1, with_images=False)
    section = mag["sections"][0]
    confirmed_records()  # the starter list and the seed's countries, confirmed, as in the demo
    extraction = _seed_extraction()
    seed_source = services.store(extraction, page=mag["articles"][0])
    Entity.objects.filter(status="suggested").update(status="confirmed")  # an editor went through them
    mentions = list(Mention.objects.filter(source=seed_source).values(
        "entity_id", "text", "sentence", "passage", "start", "end"))
    dates = list(DateFact.objects.filter(source=seed_source).prefetch_related("entities"))
    date_rows = [({f.name: getattr(d, f.name) for f in DateFact._meta.concrete_fields
                   if f.name not in ("id", "source")}, [e.pk for e in d.entities.all()]) for d in dates]
    figures = list(FigureFact.objects.filter(source=seed_source).values(
        "value", "unit", "symbol", "kind", "text", "sentence", "passage", "start"))
    entity_ids = sorted({m["entity_id"] for m in mentions})
    names = dict(Entity.objects.values_list("name", "pk"))
    lavrov, pakistan, russia = (Entity.objects.get(pk=names[n]) for n in ("Sergey Lavrov", "Pakistan", "Russia"))
    always = {lavrov.pk, pakistan.pk, russia.pk}
    body = [{"type": "paragraph", "value": f"<p>{p.text}</p>"} for p in passages(read_source(SEED))]
    t0 = time.perf_counter()
    start = datetime(2000, 1, 1, tzinfo=timezone.utc)
    counts = [0, 0, 0]
    through = DateFact.entities.through
    for chunk in range(0, n_articles, 500):
        with transaction.atomic():
            specs = []
            for i in range(chunk, min(n_articles, chunk + 500)):
                when = start + timedelta(hours=12 * i)
                specs.append((f"Archive article {i + 1}", f"archive-{i + 1}", when, body))
            pages = _insert_articles(section, specs)
            sources = Source.objects.bulk_create(
                [Source(page_id=p.pk, title=p.title, published=p.date.date(), words=extraction.words) for p in pages])
            new_mentions, new_dates, links, new_figures = [], [], [], []
            for s in sources:
                # Lavrov, Pakistan and Russia in every article (the worst case for their pages), the
                # others in a random 60-100% of them
                keep = always | set(rng.sample(entity_ids, int(len(entity_ids) * rng.uniform(0.6, 1.0))))
                new_mentions += [Mention(source=s, **m) for m in mentions if m["entity_id"] in keep]
                for row, linked in date_rows:
                    new_dates.append((DateFact(source=s, **row), [e for e in linked if e in keep]))
                new_figures += [FigureFact(source=s, **f) for f in figures]
            Mention.objects.bulk_create(new_mentions, batch_size=2000)
            DateFact.objects.bulk_create([d for d, _ in new_dates], batch_size=2000)
            through.objects.bulk_create([through(datefact_id=d.pk, entity_id=e) for d, linked in new_dates
                                         for e in linked], batch_size=2000)
            FigureFact.objects.bulk_create(new_figures, batch_size=2000)
            counts[0] += len(new_mentions)
            counts[1] += len(new_dates)
            counts[2] += len(new_figures)
        print(f"  {min(n_articles, chunk + 500):,} articles ({time.perf_counter() - t0:.0f} s)", flush=True)
    services.recount(list(Entity.objects.values_list("pk", flat=True)))
    return {"lavrov": lavrov, "pakistan": pakistan, "russia": russia, "article": pages[len(pages) // 2],
            "mentions": counts[0], "dates": counts[1], "figures": counts[2], "seconds": time.perf_counter() - t0,
            "entities": len(entity_ids)}


def reused():
    """What `build` returns, read back from an archive it built earlier."""
    from communique.magazine.models import ArticlePage
    from communique.research.models import DateFact, Entity, FigureFact, Mention

    names = dict(Entity.objects.values_list("name", "pk"))
    n = ArticlePage.objects.filter(slug__startswith="archive-").count()
    return {"lavrov": Entity.objects.get(pk=names["Sergey Lavrov"]), "pakistan": Entity.objects.get(pk=names["Pakistan"]),
            "russia": Entity.objects.get(pk=names["Russia"]),
            "article": ArticlePage.objects.get(slug=f"archive-{n // 2}"), "mentions": Mention.objects.count(),
            "dates": DateFact.objects.count(), "figures": FigureFact.objects.count(), "seconds": None,
            "entities": Mention.objects.values("entity_id").distinct().count()}


def measure(client, url, n=30, cold=True):
    """Median and p95 of n requests, and the queries of one. `cold`: the cache (fragments, routes,
    counts) is emptied before each request, outside the timing, so nothing the page shows comes
    from an earlier request; warm: the usual case once a page has been seen."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
    backend = _backend_stat()
    times, cpu, db_cpu = [], [], []
    for _ in range(n):
        if cold:
            cache.clear()
        t0, c0, d0 = time.perf_counter(), time.process_time(), _cpu_of(backend)
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        db_cpu.append((_cpu_of(backend) - d0) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as q:
        client.get(url)
    times.sort()
    return (statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.median(cpu),
            statistics.median(db_cpu), len(q.captured_queries))


def _backend_stat():
    """/proc/<pid>/stat of this connection's PostgreSQL backend (same machine), for its CPU time."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        return Path(f"/proc/{c.fetchone()[0]}/stat")


def _cpu_of(stat):
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=30, help="timed requests per URL")
    ap.add_argument("--reuse", action="store_true", help="measure the archive an earlier run built in that database")
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database this script may drop and create")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.test")
    os.environ.setdefault("COMMUNIQUE_VAR_DIR", "/tmp/research-bench-var")
    needs_migrate = False if args.reuse else fresh_db(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)  # from the template, only migrations added since it was made
    print(f"migrated in {time.perf_counter() - t0:.0f} s", flush=True)
    if needs_migrate:
        keep_template(url)
    if args.reuse:
        built, indexed = reused(), None
    else:
        built = build(args.articles, random.Random(11))
        t0 = time.perf_counter()
        call_command("update_index", verbosity=0)  # as for an imported archive: the search index in bulk
        indexed = time.perf_counter() - t0
    lavrov, pakistan, russia, article = built["lavrov"], built["pakistan"], built["russia"], built["article"]
    from django.db import connection

    with connection.cursor() as c:
        c.execute("ANALYZE")  # the planner's statistics for the new rows, as autovacuum would soon
    from communique.magazine.models import ArticlePage

    client = Client()
    rows = [
        ("entity page, Sergey Lavrov (named in every article; first page of the list)", lavrov.get_absolute_url(), True),
        ("entity page, page 50 of the same list", lavrov.get_absolute_url() + "?page=50", True),
        ("entity page, Pakistan", pakistan.get_absolute_url(), True),
        ("timeline Pakistan–Russia", f"/research/timeline/{pakistan.pk}/{russia.pk}/", True),
        ("TimelineJS JSON of the same pair", f"/research/timeline/{pakistan.pk}/{russia.pk}/timeline.json", True),
        ("an article with its key-facts box, cold (nothing cached)", article.url, True),
        ("the same article, warm (only the key-facts box and JSON-LD mentions are not cached)", article.url, False),
        ("the magazine's search for \"Sergey Lavrov\" (what a reader would otherwise use)", "/search/?q=Sergey+Lavrov", True),
    ]
    load_before = os.getloadavg()
    results = [(label, path, *measure(client, path, args.requests, cold)) for label, path, cold in rows]
    load = os.getloadavg()
    table = "\n".join(f"| {label} | {med:.0f} ms | {p95:.0f} ms | {cpu:.0f} ms | {db:.0f} ms | {queries} |"
                      for label, _p, med, p95, cpu, db, queries in results)
    n = ArticlePage.objects.filter(slug__startswith="archive-").count()
    built_note = ("measured on an archive an earlier run built" if built["seconds"] is None else
                  f"{built['seconds'] / 60:.1f} min for the whole archive; search index built in bulk afterwards in "
                  f"{indexed / 60:.1f} min")
    body = f"""## Research desk: entity pages on a {n:,}-article archive (PostgreSQL)

`bench/research_pages.py`: {n:,} live article pages on PostgreSQL, each with a copy of what the
extractor stored for the seed op-ed (real extraction, run once: {built['entities']} entities; every
article names Lavrov, Pakistan and Russia, and a random 60–100% of the other entities):
{built['mentions']:,} mentions, {built['dates']:,} dated facts linked to the entities of their sentence,
{built['figures']:,} figures. Pages and rows are written with multi-row INSERTs straight into the
page tree ({built_note}), not through the page editor. Each URL is requested 3 times, then
{args.requests} times through Django's test client in one process (server time, no network), the
cache emptied before each request unless the row says warm; median and 95th percentile of the wall
time, median CPU time of the Django process and of its PostgreSQL backend (from /proc, 10 ms
ticks), and the queries of one request.

| Request | Median | p95 | Django CPU | PostgreSQL CPU | Queries |
| --- | ---: | ---: | ---: | ---: | ---: |
{table}

The entity page's and the pair timeline's query counts do not grow with the archive
(`research/tests/test_views.py` counts them); the entity page's article list is paginated, its
co-mentioned entities are counted over the latest 500 articles naming it
(`CO_MENTION_WINDOW`; over the whole archive that one query took over 20 s for Lavrov), and a timeline draws at most 300 dated facts
(`TIMELINE_LIMIT` in `research/queries.py`). The search row is the like-for-like alternative: the
magazine's own full-text search for the name, on the same archive, in the same run. Load average
before / after the requests: {load_before[0]:.2f} / {load[0]:.2f} (1 min; 5 min {load[1]:.2f}) on 2 cores
shared with other engineers' runs, so wall times are upper bounds; the CPU columns are steadier
(their sum is what one request costs the machine).
"""
    write_section("research-pages", body)


if __name__ == "__main__":
    main()
