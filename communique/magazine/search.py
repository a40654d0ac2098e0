"""Article search: language-aware full text, author names, snippets with highlighting.

On PostgreSQL the database backend (communique.magazine.search_backend) indexes each article
with the text-search configuration of its language (english, french, arabic…; 'simple' for
Urdu, Persian, Hindi and Chinese, which PostgreSQL cannot stem) and queries with the reader's
language, so "listen" finds "listening". SQLite's FTS5 index has no stemmer: there the article
also indexes its Snowball stems (ArticlePage.search_stems) and the query asks for the stems too.
Urdu, Arabic and Persian words are also indexed folded (optional vowel marks dropped, Arabic and
Urdu letter variants unified), so either keyboard finds them.
"""
import functools
import re
import time
import unicodedata

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

# PostgreSQL's built-in text-search configurations, by our language codes.
PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "de": "german", "ru": "russian",
              "tr": "turkish", "ar": "arabic"}
# Snowball stemmers (the same algorithms PostgreSQL uses) for the SQLite fallback.
SNOWBALL = {"en": "english", "fr": "french", "es": "spanish", "de": "german", "ru": "russian",
            "tr": "turkish", "ar": "arabic", "hi": "hindi"}

# Urdu and Arabic: short vowels, tatweel and the superscript alef are optional in writing;
# Arabic and Urdu keyboards give different code points for yeh, kaf and heh.
_ARABIC_MARKS = re.compile("[\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200C\u200D]")
_ARABIC_FOLD = str.maketrans({"\u064A": "\u06CC", "\u0649": "\u06CC", "\u0643": "\u06A9", "\u0647": "\u06C1",
                              "\u0629": "\u06C3", "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627"})
_WORD = re.compile(r"\w+", re.UNICODE)


def base_language(code):
    return (code or "en").split("-")[0].lower()


def pg_config(code):
    return PG_CONFIGS.get(base_language(code), "simple")


def normalise(text):
    text = unicodedata.normalize("NFC", text or "")
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD).lower()


def _stemmer(code):
    name = SNOWBALL.get(base_language(code))
    if not name:
        return None
    try:
        import snowballstemmer
    except ImportError:  # the fallback still finds exact words
        return None
    return snowballstemmer.stemmer(name)


def stems(text, code):
    """The words of `text` as search stems in language `code` (normalised words where no stemmer)."""
    words = _WORD.findall(normalise(text))
    stemmer = _stemmer(code)
    if stemmer is not None:
        words = stemmer.stemWords(words)
    return " ".join(words)


ARABIC_SCRIPT = {"ur", "ar", "fa"}


def extra_index_text(text, code):
    """What an article indexes beside its own words: on SQLite, whose full-text index cannot
    stem, the Snowball stems; for Urdu, Arabic and Persian on any database, the words with
    optional marks removed and letter variants folded (PostgreSQL stems the rest itself)."""
    if connection.vendor != "postgresql":
        return stems(text, code)
    if base_language(code) in ARABIC_SCRIPT:
        return " ".join(_WORD.findall(normalise(text)))
    return ""


def search_articles(queryset, query, language):
    """Search `queryset` for `query` in `language`, asking for the folded / stemmed forms too."""
    from wagtail.search.query import Or, PlainText

    if connection.vendor != "postgresql":
        extra = stems(query, language)
    elif base_language(language) in ARABIC_SCRIPT:
        extra = " ".join(_WORD.findall(normalise(query)))
    else:
        extra = ""
    plain = " ".join(_WORD.findall(query)) or query
    if extra and extra != plain:
        return queryset.search(Or([PlainText(plain), PlainText(extra)]))
    return queryset.search(plain)


@functools.lru_cache(maxsize=256)
def _patterns(query, code):
    """Regexes for each query word: the common prefix of the word and its stem, so the snippet
    marks "listening" for "listen" and "diplomacy" for "diplomacies"."""
    words = _WORD.findall(normalise(query))
    stemmer = _stemmer(code)
    found = []
    for word in words:
        stem = stemmer.stemWord(word) if stemmer else word
        prefix = word[: next((i for i, (a, b) in enumerate(zip(word, stem)) if a != b), min(len(word), len(stem)))]
        prefix = prefix if len(prefix) >= 3 else word
        found.append(prefix)
    return tuple(found)  # cached: highlight() asks twice for each of a page's results


@functools.lru_cache(maxsize=4096)
def _fold_char(ch):
    # A result's title and text are folded a character at a time (for the index map below): a
    # page of ten results is ~20,000 characters from an alphabet of a few dozen.
    return normalise(ch)


def _fold_map(text):
    """normalise(text) and, for each of its characters, the index of the original character."""
    folds = {ch: _fold_char(ch) for ch in set(text)}
    if all(len(f) == 1 for f in folds.values()):
        # Nearly always (no letter folds to two or to none): positions are unchanged, and
        # str.translate does in C what the loop below does a character at a time.
        return text.translate({ord(c): f for c, f in folds.items() if f != c}), range(len(text))
    out, index = [], []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        for f in folded:
            out.append(f)
            index.append(i)
    return "".join(out), index


def _past_dropped(text, end):
    # A vowel mark or tatweel right after a match folds to nothing: it belongs inside the <mark>.
    while end < len(text) and not _fold_char(text[end]):
        end += 1
    return end


def highlight(text, query, code, words=36):
    """A window of `text` around the first match of the query, matches in <mark>; None when no
    word of the query occurs (e.g. it matched an author name)."""
    if not text:
        return None
    prefixes = _patterns(query, code)
    if not prefixes:
        return None
    folded, index = _fold_map(text)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in prefixes) + r")\w*", re.UNICODE)
    matches = list(pattern.finditer(folded))
    if not matches:
        return None
    spans = [(index[m.start()], _past_dropped(text, index[m.end() - 1] + 1)) for m in matches]
    first = spans[0][0]
    # The window: from a few words before the first match, `words` words long.
    before = text[:first].split()
    start_words = before[-6:] if len(before) > 6 else before
    start = first - len(" ".join(start_words)) - (1 if start_words else 0) if start_words else first
    start = max(0, start)
    window_end = start
    count = 0
    for m in re.finditer(r"\S+", text[start:]):
        count += 1
        window_end = start + m.end()
        if count >= words:
            break
    html = []
    pos = start
    for a, b in spans:
        if a < start or b > window_end:
            continue
        html.append(escape(text[pos:a]))
        html.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    html.append(escape(text[pos:window_end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if window_end < len(text) else ""
    return mark_safe(prefix + "".join(html).strip() + suffix)


def annotate(articles, query, code):
    """Give each result `search_snippet` (body or standfirst) and `search_title` (highlighted)."""
    for article in articles:
        article.search_title = highlight(article.title, query, code, words=40) or article.title
        text = " ".join(t for t in (article.standfirst, article.body_text) if t)
        article.search_snippet = highlight(text, query, code)
    return articles


# What one article costs each way, in the same unit (measured on the 100,000-article bench
# archive, docs/performance.md): walking the list checks an article's stripped vectors (an
# integer-key probe of magazine_articlevector and its row: search_vectors.py); the GIN index finds
# a match for less, once Wagtail's index table keeps its rows small (migration 0012), and the
# matches are then ordered by the list's index.
WALK_ROW_COST = 5
INDEX_MATCH_COST = 2
# Above this many matches the GIN path reads more than any page of results is worth.
MAX_INDEX_MATCHES = 30_000


def use_index(estimated_matches, listed, wanted):
    """Whether reading every match from the GIN index is cheaper than walking the list of
    `listed` articles, newest first, until `wanted` matches are found: a rare query's deep page
    walks thousands of rows for its ten, a common word's first page a few dozen."""
    if listed <= 0 or estimated_matches > MAX_INDEX_MATCHES:
        return False
    walked = wanted * listed / max(estimated_matches, 1)
    return estimated_matches * INDEX_MATCH_COST < min(walked, listed) * WALK_ROW_COST


# Below this many indexed rows any walk is short: no estimate is asked for.
MIN_INDEXED = 5_000
_indexed = {}


def _indexed_rows(cursor):
    """The planner's count of Wagtail's index rows (pg_class.reltuples, kept by ANALYZE), looked
    up once every few minutes per process: below MIN_INDEXED no estimate is asked for."""
    now = time.monotonic()
    if _indexed.get("until", 0) < now:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'wagtailsearch_indexentry'::regclass")
        row = cursor.fetchone()
        _indexed.update(rows=row[0] if row else 0, until=now + 300)
    return _indexed["rows"]


def _planned_rows(cursor, where, arguments, listing):
    """The planner's estimates of the index's matches and of the list's length. The reader's
    language list, not the whole index, is what a walk goes down: an Urdu search's list is a
    twentieth of the archive."""
    cursor.execute(f"""EXPLAIN (FORMAT JSON)
        SELECT e.object_id FROM wagtailsearch_indexentry e WHERE {where}
        UNION ALL SELECT l.key FROM magazine_listingentry l WHERE l.key = %s""", [*arguments, listing])
    branches = cursor.fetchone()[0][0]["Plan"]["Plans"]  # psycopg loads the json
    matches, listed = (branch["Plan Rows"] for branch in branches)
    return matches, listed


def _matches_if_few(cursor, ct, tsquery, params, limit, listing):
    """(every matching article's id, how many articles the list holds), when use_index() says
    so from the planner's estimates of both (one EXPLAIN, well under a millisecond); otherwise
    None, and the caller walks the list."""
    if _indexed_rows(cursor) < MIN_INDEXED:
        return None
    where = f"e.content_type_id = %s AND (e.title @@ {tsquery} OR e.body @@ {tsquery})"
    arguments = [ct, *params, *params]
    matches, listed = _planned_rows(cursor, where, arguments, listing)
    if not use_index(matches, listed, limit + 1):
        return None
    cursor.execute(f"SELECT CAST(e.object_id AS integer) FROM wagtailsearch_indexentry e WHERE {where}", arguments)
    return {row[0] for row in cursor.fetchall()}, listed


# Looking one article up in the list by id costs about this many rows of walking its index.
PROBE_COST = 6


def _newest_among(rows, matches, limit, listed):
    """The first `limit` + 1 ids of the list `rows` (newest first) that are in `matches`: a few
    matches are looked up in the list by id; more are found by reading the list's index (ids
    only) in batches sized by how often an article matches."""
    if not matches:
        return []
    share = len(matches) / max(listed, len(matches))
    walk = (limit + 1) / share  # rows of the list read before `limit` + 1 matches, on average
    if len(matches) * PROBE_COST < walk:
        return list(rows.filter(article_id__in=matches).values_list("article_id", flat=True)[:limit + 1])
    ids = rows.values_list("article_id", flat=True)
    found, start, batch = [], 0, max(500, int(1.5 * walk))
    while len(found) <= limit:
        chunk = list(ids[start:start + batch])
        found.extend(pk for pk in chunk if pk in matches)
        if len(chunk) < batch:
            break
        start, batch = start + batch, batch * 2
    return found[:limit + 1]


# A search lists at most this many articles (100 pages of ten): enough to browse, and each
# request reads only as far into the archive as the page it shows (pg_search_ids).
MAX_RESULTS = 1000


def pg_search_ids(pages, query, language, limit, listing=None):
    """PostgreSQL: the ids of the first `limit` + 1 articles among `pages` (a Page queryset: live,
    public, the reader's language) that match `query`, newest first (one more than asked tells
    the caller there are more).

    Newest first, rather than ranked, so that the work is bounded by the page asked for: for a
    common word PostgreSQL walks the articles by the (date, id) index and checks each one's
    vectors (their narrow copy: search_vectors.py) until it has `limit` matches; for a rare one
    it takes the GIN index's matches and sorts those. Wagtail's own query matches
    `title || body`, which no index covers, and ranks every match with ts_rank, reading each
    matching body vector: seconds for a common word on a 100,000-article archive. The query is
    parsed with the reader's language configuration, the one each article in that language was
    indexed with (search_backend.py); Urdu, Arabic and Persian also match the folded words.

    With `listing` (a key of magazine.listings, "l:<locale pk>": the reader's language), the walk
    goes down that list's index — only this language's live articles, newest first, the view
    restrictions applied from the same index — instead of every article's date with a look at
    each page row: an Urdu search no longer steps over the 96% of the archive in other languages;
    and a rarer phrase, whose walk would check many rows for each match, takes its matches from the
    GIN index instead (use_index)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from .models import ArticlePage

    words = " ".join(_WORD.findall(query)) or query
    config = pg_config(language)
    tsquery, params = "plainto_tsquery(%s::regconfig, %s)", [config, words]
    if base_language(language) in ARABIC_SCRIPT:
        folded = " ".join(_WORD.findall(normalise(query)))
        if folded and folded != words:
            tsquery, params = f"({tsquery} || plainto_tsquery(%s::regconfig, %s))", params + [config, folded]
    if listing is not None:
        from .listings import entries

        ct = ContentType.objects.get_for_model(ArticlePage).pk
        with connection.cursor() as cursor:
            found = _matches_if_few(cursor, ct, tsquery, params, limit, listing)
        if found is not None:
            matches, listed = found
            return _newest_among(entries(listing), matches, limit, listed)
        rows, rows_params = entries(listing).order_by().values("article_id", "date").query.sql_with_params()
        sql = f"""
        SELECT l.article_id
        FROM ({rows}) l
        JOIN magazine_articlevector v ON v.article_id = l.article_id
        WHERE v.title @@ {tsquery} OR v.body @@ {tsquery}
        ORDER BY l.date DESC, l.article_id DESC
        LIMIT %s"""
        arguments = [*rows_params, *params, *params, limit + 1]
    else:
        among, among_params = pages.order_by().values("pk").query.sql_with_params()
        sql = f"""
        SELECT a.page_ptr_id
        FROM magazine_articlepage a
        JOIN magazine_articlevector v ON v.article_id = a.page_ptr_id
        WHERE (v.title @@ {tsquery} OR v.body @@ {tsquery}) AND a.page_ptr_id IN ({among})
        ORDER BY a.date DESC, a.page_ptr_id DESC
        LIMIT %s"""
        arguments = [*params, *params, *among_params, limit + 1]
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Parallel workers each scan ahead in their own stretch of the date index and are stopped
        # only when the LIMIT is met: several times the rows a single scan reads for a page.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(sql, arguments)
        return [row[0] for row in cursor.fetchall()]
