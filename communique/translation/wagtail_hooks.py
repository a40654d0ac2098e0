from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import include, path
from wagtail import hooks

from .permissions import default_language, is_translator_only, translator_may_edit


@hooks.register("before_edit_page")
def translators_edit_translations_only(request, page):
    allowed, why = translator_may_edit(request.user, page)
    if not allowed:
        messages.error(request, why)
        raise PermissionDenied(why)


@hooks.register("construct_explorer_page_queryset")
def translators_see_translation_work(parent_page, pages, request):
    if is_translator_only(request.user):
        pages = pages.exclude(locale__language_code__iexact=default_language())
    return pages


@hooks.register("register_admin_urls")
def submit_translation_urls():
    # Registered before simple_translation's own (this app comes first in INSTALLED_APPS), so the same
    # address is served by the view that checks the parent page first.
    from .views import SubmitPageTranslationView

    urls = [path("submit/page/<int:page_id>/", SubmitPageTranslationView.as_view(), name="submit_page_translation")]
    return [path("translation/", include((urls, "communique_translation"), namespace="communique_translation"))]
