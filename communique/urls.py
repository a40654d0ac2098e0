import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from communique.core.accounts import SignInView, SignOutView
from communique.magazine import urls as magazine_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("communique.magazine.outreach_urls")),
    path("", include("communique.editions.urls")),
    path("", include("communique.books.urls")),
    path("", include("communique.jobs.urls")),
]

if settings.DEBUG or os.environ.get("COMMUNIQUE_SERVE_MEDIA") == "1":
    # The demo, or gunicorn alone (the benchmarks, a small install) with no web server in front to
    # serve uploaded images. Images only, never documents or anything raw: see core/media.py.
    from communique.core.media import media_urlpatterns

    urlpatterns += media_urlpatterns()

# Reader paths carry the language (/ur/authors/…, /ur/search/, /ur/feeds/rss/, /ur/research/…,
# /ur/accounts/login/) so a reader who follows a link from an Urdu article stays in Urdu, signing
# in included; English keeps unprefixed paths.
urlpatterns += i18n_patterns(
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("research/", include("communique.research.urls")),
    path("", include(magazine_urls)),
    path("", include("communique.magazine.feed_urls")),
    # Wagtail's page URLs, with the URL → page lookup cached (magazine/routing.py).
    path("", include("communique.magazine.routing")),
    prefix_default_language=False,
)
