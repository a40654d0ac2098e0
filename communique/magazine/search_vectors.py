"""PostgreSQL: each article's search vectors copied beside Wagtail's index, narrow enough to walk.

A common word's search walks the reader's language list newest first and checks each article's
vectors until it has a page of matches (search.pg_search_ids). In Wagtail's index table a row is
found by a text object id and its body vector is fetched from TOAST storage (migration 0012
keeps that table's heap small for the GIN path): a dozen buffers an article. Here the row is
found by the article's integer id and both vectors are in it, stripped of positions and weights,
which a plain AND query (plainto_tsquery) never reads: three buffers an article, a third of the
time on the bench archive's deep pages (docs/performance.md).

A trigger on Wagtail's index table keeps the copy, so whatever writes the index (a publish,
`update_index`, the bench's bulk load) writes this too, in the same transaction. On SQLite the
table exists and stays empty: search there goes through Wagtail's SQLite backend."""
from django.db import models

INDEX = "wagtailsearch_indexentry"
TABLE = "magazine_articlevector"
FUNCTION = "magazine_articlevector_copy"
TRIGGER = "magazine_articlevector_copy"
_ARTICLE_TYPE = "(SELECT id FROM django_content_type WHERE app_label = 'magazine' AND model = 'articlepage')"


class TsVector(models.Field):
    """PostgreSQL's tsvector; plain text elsewhere (never written there)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class ArticleVector(models.Model):
    article_id = models.IntegerField(primary_key=True)
    title = TsVector()
    body = TsVector()

    class Meta:
        app_label = "magazine"

    def __str__(self):
        return f"vectors of article {self.article_id}"


INSTALL = [
    # Kept in the row (compressed if need be) rather than in TOAST storage: the walk reads them all.
    f"ALTER TABLE {TABLE} ALTER COLUMN title SET STORAGE MAIN",
    f"ALTER TABLE {TABLE} ALTER COLUMN body SET STORAGE MAIN",
    f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF OLD.content_type_id = {_ARTICLE_TYPE} THEN
                DELETE FROM {TABLE} WHERE article_id = CAST(OLD.object_id AS integer);
            END IF;
            RETURN OLD;
        END IF;
        IF NEW.content_type_id = {_ARTICLE_TYPE} THEN
            INSERT INTO {TABLE} (article_id, title, body)
            VALUES (CAST(NEW.object_id AS integer), strip(NEW.title), strip(NEW.body))
            ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body;
        END IF;
        RETURN NEW;
    END $$""",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {INDEX}",
    # Not on any update: Wagtail rewrites each new entry's title_norm right after writing it (and
    # every entry's on update_index), which leaves the vectors as they were.
    f"""CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF title, body ON {INDEX}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()""",
]

# The articles already indexed, copied once.
FILL = f"""
    INSERT INTO {TABLE} (article_id, title, body)
    SELECT CAST(object_id AS integer), strip(title), strip(body) FROM {INDEX} WHERE content_type_id = {_ARTICLE_TYPE}
    ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body"""

UNINSTALL = [f"DROP TRIGGER IF EXISTS {TRIGGER} ON {INDEX}", f"DROP FUNCTION IF EXISTS {FUNCTION}()"]


def install(connection):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in INSTALL:
            cursor.execute(statement)
        cursor.execute(FILL)
        cursor.execute(f"ANALYZE {TABLE}")


def uninstall(connection):
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for statement in UNINSTALL:
            cursor.execute(statement)
