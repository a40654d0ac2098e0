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
    from .views import SubmitPageTranslationView, status_board

    urls = [path("submit/page/<int:page_id>/", SubmitPageTranslationView.as_view(), name="submit_page_translation")]
    from . import desk

    from .localize_guard import localize_urls

    return localize_urls() + [
            path("translation/", include((urls, "communique_translation"), namespace="communique_translation")),
            path("translations/", status_board, name="translation_board"),
            path("desk/", desk.desk, name="translation_desk"),
            path("desk/assign/", desk.assign, name="translation_assign"),
            path("desk/status/", desk.board, name="translation_status"),
            path("desk/page/<int:work_id>/", desk.page_editor, name="translation_page_work"),
            path("desk/book/<uuid:public_id>/", desk.edition_editor, name="translation_edition_work")]


@hooks.register("register_admin_menu_item")
def translator_desk_menu():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class DeskUsers(MenuItem):
        def is_shown(self, request):
            from .desk import is_translator
            from .services import can_review

            return can_review(request.user) or is_translator(request.user)
    return DeskUsers("Translator's desk", reverse("translation_desk"), icon_name="doc-full", order=150)


@hooks.register("before_edit_page", order=-10)
def desk_translations_go_through_the_desk(request, page):
    """A page translated on the desk reaches readers only from the desk (all segments approved, or an
    editor's recorded override), not by "Publish" in the page editor or wagtail-localize's editor; a
    translator edits it on the desk, where every change gets its review state."""
    from django.shortcuts import redirect

    from .page_work import work_for_page

    publishing = request.method == "POST" and bool(
        {"action-publish", "action-submit"} & set(request.POST) or request.POST.get("action") == "publish")
    translator = is_translator_only(request.user)
    if not (publishing or translator):
        return None
    work = work_for_page(page)
    if work is None:
        return None
    if publishing:
        messages.error(request, "This translation is published from the translator's desk, once every segment is "
                                "approved (or by an editor's override there).")
    return redirect("translation_page_work", work.pk)
