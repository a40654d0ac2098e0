import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("magazine", "0006_author_default_locale")]

    operations = [
        migrations.AlterField(
            model_name="author",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="author",
            name="locale",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="wagtailcore.locale", verbose_name="locale"),
        ),
        migrations.AlterUniqueTogether(name="author", unique_together={("translation_key", "locale")}),
        migrations.AddConstraint(
            model_name="author",
            constraint=models.UniqueConstraint(fields=("slug", "locale"), name="author_slug_per_locale"),
        ),
    ]
