# Authors become translatable in three steps (wagtail's documented path for an existing model):
# nullable locale and translation key, then existing rows get the default locale, then the fields
# are required and unique per (translation_key, locale).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0004_content_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="author",
            name="locale",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterField(model_name="author", name="slug", field=models.SlugField(max_length=200)),
    ]
