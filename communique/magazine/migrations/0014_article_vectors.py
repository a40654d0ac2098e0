"""Each article's search vectors beside Wagtail's index, kept by a trigger (PostgreSQL; the table
stays empty on SQLite): see magazine.search_vectors."""
from django.db import migrations, models

import communique.magazine.search_vectors


def install(apps, schema_editor):
    communique.magazine.search_vectors.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    communique.magazine.search_vectors.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("magazine", "0013_article_body_facts"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleVector",
            fields=[
                ("article_id", models.IntegerField(primary_key=True, serialize=False)),
                ("title", communique.magazine.search_vectors.TsVector()),
                ("body", communique.magazine.search_vectors.TsVector()),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
