"""wagtail-localize's own admin views (its translation editor's string and override API, PO files,
machine translation, preview, "Translate", "Sync translated pages", stop, convert to alias, the
report and the snippet API) behind the newsroom's roles.

wagtail-localize checks only "may edit this object" (and its own submit permission), and its snippet
API checks nothing. Here every one of its URLs is served through `guard`: reviewers (Editors,
superusers) keep all of it; translators may only translate, that is use the editing endpoints of a
translation they may edit (not an original, not live, and not one assigned on the translator's desk,
whose review states only the desk keeps); everyone else (Contributors, Authors) is refused. An
endpoint a new wagtail-localize version adds is refused to all but reviewers until it is classified
below."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, include, path

# Translating: the editor's string/override saves, PO download and upload, machine drafts, preview.
TRANSLATE = {"edit_string_translation", "edit_override", "download_pofile", "upload_pofile", "machine_translate",
             "preview_translation"}
# The editor's interface strings: harmless, needed by anyone who may open the editor at all.
OPEN = {"javascript_catalog"}
# Everything else is for reviewers only: submit_page_translation, submit_snippet_translation,
# update_translations (sync from source), stop_translation, convert_to_alias, translations_report(_results),
# snippets_api_listing, snippets_api_detail.
REVIEWERS_ONLY = {"submit_page_translation", "submit_snippet_translation", "update_translations", "stop_translation",
                  "convert_to_alias", "translations_report", "translations_report_results", "snippets_api_listing",
                  "snippets_api_detail"}


def check(request, name: str, kwargs: dict) -> None:
    """Raise PermissionDenied unless the signed-in user's role allows `name` (a wagtail-localize URL name)."""
    from .desk import is_translator
    from .services import can_review

    user = request.user
    if name in OPEN or can_review(user):
        return
    if name in TRANSLATE and is_translator(user):
        why = _why_not_translate(user, kwargs.get("translation_id"))
        if not why:
            return
        raise PermissionDenied(why)
    raise PermissionDenied("Only editors may do that; translators translate on the translator's desk.")


def _why_not_translate(user, translation_id) -> str:
    from django.core.exceptions import ObjectDoesNotExist
    from wagtail_localize.models import Translation

    from .page_work import work_for_page
    from .permissions import translator_may_edit

    translation = Translation.objects.filter(pk=translation_id).select_related("source").first()
    if translation is None:
        raise Http404("No such translation")
    try:
        target = translation.get_target_instance()
    except ObjectDoesNotExist:
        return "This translation has no page yet."
    allowed, why = translator_may_edit(user, target)
    if not allowed:
        return why
    if work_for_page(target) is not None:
        return "This translation is assigned on the translator's desk: translate it there."
    return ""


def guard(name: str, view):
    def guarded(request, *args, **kwargs):
        if request.user.is_authenticated:  # anonymous readers get Wagtail's own login redirect
            check(request, name, kwargs)
        return view(request, *args, **kwargs)

    # Not functools.wraps: the URL walk in tests/security must see this module, not wagtail-localize's.
    guarded.__name__ = f"guarded_{name}"
    guarded.__doc__ = view.__doc__
    if getattr(view, "csrf_exempt", False):  # its REST endpoints check CSRF themselves (DRF sessions)
        guarded.csrf_exempt = True
    guarded.guards = name
    return guarded


def localize_urls() -> list:
    """wagtail-localize's URLs, same addresses and names, each view behind `guard`: registered before
    wagtail-localize's own (this app comes first), so these are the ones that answer."""
    from wagtail_localize.wagtail_hooks import register_admin_urls

    (resolver,) = register_admin_urls()
    patterns = [URLPattern(p.pattern, guard(p.name, p.callback), p.default_args, p.name)
                for p in resolver.url_patterns]
    return [path("localize/", include((patterns, "localize_guard"), namespace="localize_guard"))]
