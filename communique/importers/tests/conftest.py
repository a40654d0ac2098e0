import pytest
from wagtail.models import Page, Site


@pytest.fixture
def home(db):
    from communique.magazine.models import HomePage

    root = Page.get_first_root_node()
    home = HomePage(title="Communiqué", slug="communique-home")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page = home
        site.save()
    else:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def counts():
    """Everything an import may create, to assert a failed import left no trace."""
    from django.core.files.storage import default_storage
    from taggit.models import Tag
    from wagtail.images import get_image_model

    from communique.importers.models import ImportRecord
    from communique.magazine.models import Author

    image_files = 0
    try:
        _, files = default_storage.listdir("original_images")
        image_files = len(files)
    except FileNotFoundError:
        pass
    return {
        "pages": Page.objects.count(),
        "authors": Author.objects.count(),
        "images": get_image_model().objects.count(),
        "image_files": image_files,
        "records": ImportRecord.objects.count(),
        "tags": Tag.objects.count(),
    }
