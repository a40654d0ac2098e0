from django.db import migrations


def forwards(apps, schema_editor):
    from communique.core.roles import setup_locales, setup_roles

    setup_locales(apps)
    setup_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("magazine", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    # Reversing leaves the groups and locales in place: content may already depend on them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
