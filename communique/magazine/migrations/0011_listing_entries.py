"""The archive's list rows (magazine.listings), filled from the articles already stored."""
import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from communique.magazine.listings import rebuild

    rebuild(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('magazine', '0010_content_page_tags'),
    ]

    operations = [
        migrations.CreateModel(
            name='ListingEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64)),
                ('date', models.DateTimeField()),
                ('path', models.CharField(max_length=255)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='magazine.articlepage')),
            ],
            options={
                'indexes': [models.Index(fields=['key', '-date', '-article', 'path'], name='magazine_listing_order')],
                'constraints': [models.UniqueConstraint(fields=('key', 'article'), name='magazine_listing_once')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
