"""Serving uploaded images from MEDIA_ROOT when no web server is in front: the demo (DEBUG) and a
small gunicorn-only install (COMMUNIQUE_SERVE_MEDIA=1). Images only: Wagtail documents share
MEDIA_ROOT, and serving them here would skip the collection privacy checks of Wagtail's document
view (/documents/<id>/<name>) and send a contributor's .html inline from the site's own origin.
Even image files are sent so that nothing in them can run: nosniff, a sandboxing CSP, and
`attachment` for anything that is not a raster image type browsers only display."""
import mimetypes

from django.conf import settings
from django.urls import re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve

INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}
IMAGE_FOLDERS = r"(?:images|original_images)/"


@cache_control(public=True, max_age=86400)
def serve_image(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = (mimetypes.guess_type(path)[0] or "application/octet-stream").lower()
    if content_type not in INLINE_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def media_urlpatterns():
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(r"^%s(?P<path>%s.*)$" % (prefix, IMAGE_FOLDERS), serve_image)]
