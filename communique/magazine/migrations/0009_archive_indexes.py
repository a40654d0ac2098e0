"""An index for the archive's listings (section, author and tag pages, newest first): the ids of a
page of cards come from an index-only scan of (date, id) instead of reading the articles' rows,
bodies and all (docs/performance.md, "archive"). Plain SQL with no model state, so the models and
their later migrations are untouched; after the translatable-author migrations."""
from django.db import migrations

INDEX = "magazine_articlepage_date_id_desc"


class Migration(migrations.Migration):
    dependencies = [("magazine", "0008_table_cells_translatable")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON magazine_articlepage (date DESC, page_ptr_id DESC)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
