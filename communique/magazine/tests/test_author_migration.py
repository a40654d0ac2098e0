"""Authors made translatable by migrations 0005-0007: rows that existed before get the default
locale and a translation key each, and the slug becomes unique per language."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_existing_authors_get_the_default_locale_and_their_own_key():
    before = [("magazine", "0004_content_page")]
    after = [("magazine", "0007_author_translatable_required")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Author = old.get_model("magazine", "Author")
        Author.objects.create(name="Asif Durrani", slug="asif-durrani")
        Author.objects.create(name="Amina Rehman", slug="amina-rehman")

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        Author = new.get_model("magazine", "Author")
        Locale = new.get_model("wagtailcore", "Locale")
        en = Locale.objects.get(language_code="en")
        rows = list(Author.objects.order_by("slug"))
        assert [a.slug for a in rows] == ["amina-rehman", "asif-durrani"]
        assert all(a.locale_id == en.pk for a in rows)
        assert rows[0].translation_key and rows[1].translation_key and rows[0].translation_key != rows[1].translation_key
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
