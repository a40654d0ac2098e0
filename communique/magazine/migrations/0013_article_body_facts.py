"""Each article's word count and opening paragraph kept beside its body, filled for the
articles already stored (magazine.body_facts)."""
from django.db import migrations, models


def fill(apps, schema_editor):
    from communique.magazine.body_facts import refill

    refill(apps.get_model("magazine", "ArticlePage"), connection=schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('magazine', '0012_compact_search_index_rows'),
    ]

    operations = [
        migrations.AddField(
            model_name='articlepage',
            name='opening',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='articlepage',
            name='word_count',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
