import os

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from communique.magazine import urls as magazine_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("communique.magazine.outreach_urls")),
    path("", include("communique.editions.urls")),
    path("", include("communique.books.urls")),
    path("", include("communique.jobs.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif os.environ.get("COMMUNIQUE_SERVE_MEDIA") == "1":
    # A site run by gunicorn alone (the benchmarks, a small install) has no web server in front
    # to serve uploaded images; without this every <img> on a reader page is a 404. Images only:
    # documents in MEDIA_ROOT keep going through Wagtail's serve view and its privacy checks.
    from django.urls import re_path
    from django.views.decorators.cache import cache_control
    from django.views.static import serve

    urlpatterns += [
        re_path(r"^%s(?P<path>(?:images|original_images)/.*)$" % settings.MEDIA_URL.lstrip("/"), cache_control(public=True, max_age=86400)(serve),
                {"document_root": settings.MEDIA_ROOT}),
    ]

# Reader paths carry the language (/ur/authors/…, /ur/search/, /ur/feeds/rss/) so a reader who
# follows a link from an Urdu article stays in Urdu; English keeps unprefixed paths.
urlpatterns += i18n_patterns(
    path("", include(magazine_urls)),
    path("", include("communique.magazine.feed_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
