"""Bulk archive generator for bench/archive.py: 100,000 published articles straight into the tables.

Page.add_child per article would take hours (one treebeard update, revision and index entry each);
here the site's skeleton (home, sections, their translations, settings) is made with the test
factories, then the articles go in with COPY: wagtailcore_page rows with treebeard paths computed
here, magazine_articlepage rows, authors, tags and the search index entries (tsvectors built by
PostgreSQL with each article's own language configuration, as search_backend.py would); the list
rows (magazine.listings) are rebuilt from them at the end."""
import io
import json
import uuid
from datetime import datetime, timedelta, timezone

from archive_data import Writer, rng

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node.alphabet, steplen 4
# Share of the articles in each language; every non-English article is a translation of an
# English one (same translation_key and slug), so the sitemap has hreflang pairs to list.
LOCALES = {"en": 0.88, "fr": 0.04, "es": 0.04, "ur": 0.04}
BATCH = 5000


def step(n):
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    if n:
        raise ValueError("more than 36**4 children under one section")
    return out


def skeleton():
    """Home, sections and their translations, live, through the ORM (a few dozen pages)."""
    from wagtail.models import Locale

    from communique.magazine.models import SectionPage
    from communique.magazine.tests.factories import build_magazine, translate_page

    for code in LOCALES:
        Locale.objects.get_or_create(language_code=code)
    mag = build_magazine(0, with_images=False)
    sections = {"en": mag["sections"]}
    for code in LOCALES:
        if code != "en":
            sections[code] = [translate_page(s, code) for s in mag["sections"]]
    return mag, {code: [SectionPage.objects.get(pk=s.pk) for s in pages] for code, pages in sections.items()}


def _copy(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _ids(cursor, table, n):
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [n])
    return [r[0] for r in cursor.fetchall()]


def authors_and_tags(cursor, r, n_authors, n_tags):
    import uuid

    from django.utils.text import slugify
    from wagtail.models import Locale

    writer = Writer("en", r)
    first = ["Amna", "Bilal", "Claire", "Dmitri", "Elif", "Farid", "Grace", "Hamid", "Ines", "Jawad", "Karin",
             "Laila", "Mateo", "Nadia", "Omar", "Priya", "Qasim", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Yusuf", "Zara"]
    last = ["Ahmed", "Baig", "Chen", "Dubois", "Erdem", "Farooqi", "Garcia", "Hussain", "Ivanova", "Jamil", "Khan",
            "Lopez", "Malik", "Novak", "Okafor", "Petrov", "Qureshi", "Rahman", "Silva", "Tanaka", "Usman", "Weber", "Yilmaz"]
    ids = _ids(cursor, "magazine_author", n_authors)
    english = Locale.objects.get(language_code="en").pk  # authors are translatable: the English record
    rows, names = [], []
    for i, pk in enumerate(ids):
        name = f"{r.choice(first)} {r.choice(last)}"
        names.append(name)
        rows.append((pk, str(uuid.UUID(int=r.getrandbits(128), version=4)), english, name, f"{slugify(name)}-{i}",
                     r.choice(["Analyst", "Former ambassador", "Correspondent", "Fellow"]),
                     f"<p>{writer.sentence()}</p>", "", "", ""))
    _copy(cursor, "magazine_author", ["id", "translation_key", "locale_id", "name", "slug", "role_line", "bio",
                                      "website", "x_handle", "linkedin"], rows)
    tag_ids = _ids(cursor, "taggit_tag", n_tags)
    seen, tags = set(), []
    for pk in tag_ids:
        while True:
            name = " ".join(r.sample(writer.words[60:], r.choice([1, 1, 2])))
            if name not in seen:
                seen.add(name)
                break
        tags.append((pk, name, slugify(name)))
    _copy(cursor, "taggit_tag", ["id", "name", "slug"], tags)
    return list(zip(ids, names)), [t[0] for t in tags]


def _zipf_weights(n, s=0.8):
    import itertools

    return list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))


def articles(cursor, r, sections, authors, tags, n, years=16):
    """COPY n articles (and their authors, tags, index entries) under `sections` {code: [SectionPage]}."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils.text import slugify

    from communique.magazine.models import ArticlePage
    from communique.magazine.body_facts import body_facts
    from communique.magazine.search import extra_index_text, pg_config
    from wagtail.models import Locale

    ct = ContentType.objects.get_for_model(ArticlePage).pk
    locale_ids = {code: Locale.objects.get(language_code=code).pk for code in LOCALES}
    writers = {code: Writer(code, r) for code in LOCALES}
    author_weights = _zipf_weights(len(authors))
    tag_weights = _zipf_weights(len(tags), 0.9)
    counters = {s.pk: s.numchild for pages in sections.values() for s in pages}
    now = datetime.now(timezone.utc)
    span = timedelta(days=365 * years).total_seconds()
    n_en = round(n * LOCALES["en"])
    plan = []  # (code, index of the English original or None)
    for i in range(n_en):
        plan.append(("en", None))
    for code, share in LOCALES.items():
        if code != "en":
            for original in r.sample(range(n_en), round(n * share)):
                plan.append((code, original))
    originals = {}  # English index -> (translation_key, slug, section index, date, author ids, tag ids)
    done = 0
    for start in range(0, len(plan), BATCH):
        chunk = plan[start:start + BATCH]
        ids = _ids(cursor, "wagtailcore_page", len(chunk))
        pages, specific, links, tagged, index = [], [], [], [], []
        for pk, (code, original), position in zip(ids, chunk, range(start, start + len(chunk))):
            w = writers[code]
            if original is None:
                title = w.title()
                slug = f"{slugify(title)[:60]}-{position}"
                s_index = r.randrange(len(sections["en"]))
                date = now - timedelta(seconds=r.random() * span)
                by = sorted(set(r.choices(range(len(authors)), cum_weights=author_weights, k=r.choice([1, 1, 1, 2]))))
                with_tags = set(r.choices(tags, cum_weights=tag_weights, k=r.randint(2, 4)))
                key = uuid.uuid4()
                originals[position] = (key, slug, s_index, date, by, with_tags)
            else:
                key, slug, s_index, date, by, with_tags = originals[original]
                title = w.title()
            section = sections[code][s_index]
            counters[section.pk] += 1
            path = section.path + step(counters[section.pk])
            paragraphs = [w.paragraph() for _ in range(r.randint(4, 7))]
            standfirst = w.sentence(14, 26)
            body = [{"type": "paragraph", "value": f"<p>{p}</p>", "id": str(uuid.uuid4())} for p in paragraphs]
            if r.random() < 0.5:
                body.insert(2, {"type": "heading", "value": {"text": w.title(), "level": "h2"}, "id": str(uuid.uuid4())})
            published = date + timedelta(minutes=r.randint(0, 90))
            pages.append((pk, path, 4, 0, title, slug, True, False, f"{section.url_path}{slug}/", "", False, "",
                          False, ct, False, published, published, title, key, locale_ids[code]))
            text, opening = body_facts(body)
            specific.append((pk, standfirst, date, "", "", "", json.dumps(body), True, len(text.split()), opening))
            for order, a in enumerate(by):
                links.append((order, pk, authors[a][0]))
            for t in with_tags:
                tagged.append((pk, t))
            text = " ".join([p for p in paragraphs])
            extra = extra_index_text(" ".join((title, standfirst, text)), code)
            names = " ".join(authors[a][1] for a in by)
            index.append((ct, str(pk), pg_config(code), title, standfirst, text, names, extra))
        _copy(cursor, "wagtailcore_page",
              ["id", "path", "depth", "numchild", "title", "slug", "live", "has_unpublished_changes", "url_path",
               "seo_title", "show_in_menus", "search_description", "expired", "content_type_id", "locked",
               "first_published_at", "last_published_at", "draft_title", "translation_key", "locale_id"], pages)
        _copy(cursor, "magazine_articlepage",
              ["page_ptr_id", "standfirst", "date", "lead_image_alt", "lead_image_caption", "lead_image_credit", "body",
               "is_sample", "word_count", "opening"], specific)
        _copy(cursor, "magazine_articleauthor", ["sort_order", "page_id", "author_id"], links)
        _copy(cursor, "magazine_articletag", ["content_object_id", "tag_id"], tagged)
        index_entries(cursor, index)
        done += len(chunk)
        print(f"  {done:>7} articles", flush=True)
    for pk, numchild in counters.items():
        cursor.execute("UPDATE wagtailcore_page SET numchild = %s WHERE id = %s", [numchild, pk])
    return done


def index_entries(cursor, rows):
    """The rows Wagtail's PostgreSQL index would write (see modelsearch's ObjectIndexer): title at
    weight B (boost 2), standfirst, body, author names and the extra words at D, each in the
    article's own configuration; autocomplete with 'simple'."""
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS archive_index_in (ct int, object_id text, config text, "
                   "title text, standfirst text, body text, names text, extra text) ON COMMIT DROP")
    cursor.execute("TRUNCATE archive_index_in")
    _copy(cursor, "archive_index_in", ["ct", "object_id", "config", "title", "standfirst", "body", "names", "extra"], rows)
    cursor.execute("""
        INSERT INTO wagtailsearch_indexentry
            (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
        SELECT ct, object_id,
               setweight(to_tsvector(config::regconfig, title), 'B'),
               setweight(to_tsvector('simple', title), 'D'),
               setweight(to_tsvector(config::regconfig, standfirst), 'D')
                 || setweight(to_tsvector(config::regconfig, body), 'D')
                 || setweight(to_tsvector(config::regconfig, names), 'D')
                 || setweight(to_tsvector(config::regconfig, extra), 'D'),
               1.0, title, concat_ws(' ', standfirst, body, names, extra)
        FROM archive_index_in""")


def build(n_articles, n_authors=1000, n_tags=2000, seed=13):
    """Skeleton through the ORM, then everything else in bulk, in one transaction."""
    from django.db import connection, transaction

    r = rng(seed)
    with transaction.atomic():
        mag, sections = skeleton()
        raw = connection.connection
        with raw.cursor() as cursor:
            authors, tags = authors_and_tags(cursor, r, n_authors, n_tags)
            count = articles(cursor, r, sections, authors, tags, n_articles)
        from communique.magazine.listings import rebuild

        rebuild()  # COPY bypasses ArticlePage.save(), which keeps each article's list rows
    from wagtail.search.backends import get_search_backend

    # Wagtail's own step after indexing: title_norm from the average title length.
    get_search_backend().get_index_for_model(__import__("communique.magazine.models", fromlist=["ArticlePage"]).ArticlePage)._refresh_title_norms(full=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the visibility map too, for index-only scans
    return mag, count
