import uuid

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    """Every existing author is an original in the site's default language, with its own key."""
    Locale = apps.get_model("wagtailcore", "Locale")
    Author = apps.get_model("magazine", "Author")
    if not Author.objects.exists():
        return
    code = settings.LANGUAGE_CODE
    locale = (Locale.objects.filter(language_code=code).first()
              or Locale.objects.filter(language_code=code.split("-")[0]).first()
              or Locale.objects.create(language_code=code))
    for author in Author.objects.filter(translation_key__isnull=True).only("pk"):
        Author.objects.filter(pk=author.pk).update(translation_key=uuid.uuid4(), locale=locale)
    Author.objects.filter(locale__isnull=True).update(locale=locale)


class Migration(migrations.Migration):
    dependencies = [("magazine", "0005_author_translatable_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
