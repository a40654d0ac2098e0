"""Break 11: demo mode (settings.dev, DEBUG) served every upload raw from /media/: a contributor's
HTML document ran script on the site's origin, and private documents were readable at
/media/documents/<name>. Now /media/ serves images only, never inline unless a raster image type,
and documents only through Wagtail's document view with its privacy checks, as attachments."""
import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db

EVIL = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def demo_mode(settings):
    import communique.urls

    settings.DEBUG = True
    importlib.reload(communique.urls)
    clear_url_caches()
    yield settings
    settings.DEBUG = False
    importlib.reload(communique.urls)
    clear_url_caches()


def _document(title, name, content, collection=None):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    doc = get_document_model()(title=title, collection=collection or Collection.get_first_root_node())
    doc.file.save(name, ContentFile(content), save=False)
    doc.save()
    return doc


def test_demo_mode_never_serves_documents_from_media(client, demo_mode):
    doc = _document("Evil", "evil.html", EVIL)
    response = client.get(demo_mode.MEDIA_URL + doc.file.name)
    assert response.status_code == 404, f"{doc.file.name} was served raw from MEDIA_ROOT"


def test_demo_mode_serves_images_inertly(client, demo_mode):
    from communique.magazine.tests.factories import make_image

    image = make_image("Served")
    response = client.get(demo_mode.MEDIA_URL + image.file.name)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]

    # Something that is not a raster image, in an image folder, goes out as an inert download.
    stray = demo_mode.MEDIA_ROOT / "original_images" / "stray.html"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(EVIL)
    try:
        response = client.get(demo_mode.MEDIA_URL + "original_images/stray.html")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    finally:
        stray.unlink()


def test_uploaded_html_document_is_an_attachment_never_inline(client, demo_mode):
    doc = _document("Evil", "evil.html", EVIL)
    response = client.get(doc.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment"), response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_private_document_needs_sign_in_in_demo_mode(client, demo_mode, editor):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Editors only")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    doc = _document("Secret", "secret.pdf", b"%PDF-1.4 secret", collection=private)
    assert client.get(demo_mode.MEDIA_URL + doc.file.name).status_code == 404
    anonymous = client.get(doc.url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(editor)
    assert client.get(doc.url).status_code == 200
