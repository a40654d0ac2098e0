"""COMMUNIQUE_SERVE_MEDIA=1 lets Django serve uploads when no web server is in front. It must serve
images only: Wagtail documents live in MEDIA_ROOT too, and serving them directly would skip the
collection privacy checks of Wagtail's document view and send a contributor's .html or .svg inline
from the site's origin (stored script)."""
import importlib

import pytest
from django.conf import settings
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_served(monkeypatch):
    import communique.urls

    monkeypatch.setenv("COMMUNIQUE_SERVE_MEDIA", "1")
    importlib.reload(communique.urls)
    clear_url_caches()
    yield
    monkeypatch.delenv("COMMUNIQUE_SERVE_MEDIA")
    importlib.reload(communique.urls)
    clear_url_caches()


def test_media_route_serves_images_but_never_documents(client, media_served):
    from communique.magazine.tests.factories import make_image

    image = make_image("Served")
    assert client.get(settings.MEDIA_URL + image.file.name).status_code == 200

    evil = settings.MEDIA_ROOT / "documents" / "evil.html"
    evil.parent.mkdir(parents=True, exist_ok=True)
    evil.write_text("<script>alert(document.cookie)</script>")
    try:
        response = client.get(settings.MEDIA_URL + "documents/evil.html")
        assert response.status_code == 404, "a Wagtail document was served straight from MEDIA_ROOT"
    finally:
        evil.unlink()


def test_media_route_is_classified(media_served):
    from .test_url_access import PROTECTED, PUBLIC, project_patterns

    extra = [(r, n) for r, n in project_patterns() if n not in PUBLIC and n not in PROTECTED]
    # The one unnamed route the setting adds, restricted to Wagtail's image folders.
    assert all(r.startswith("^media/") and "original_images" in r and "documents" not in r for r, _ in extra), extra
