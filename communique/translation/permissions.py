"""Who may do translation work on the web side.

Translators work on translations, not originals: a user whose only editing role is Translators may
edit a page only when it is in a language other than the site's default and not live (a translation
in progress). Editors and Contributors keep what their roles give them. Enforced on every admin view
that edits a page (edit and revision revert share Wagtail's `before_edit_page` hook) and in the
explorer's listing, so translators see translation work only."""
from __future__ import annotations

from django.conf import settings

TRANSLATORS = "Translators"
FULL_EDITING_GROUPS = ("Editors", "Contributors")


def is_translator_only(user) -> bool:
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return False
    names = set(user.groups.values_list("name", flat=True))
    return TRANSLATORS in names and not names & set(FULL_EDITING_GROUPS)


def default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0].lower()


def is_original(page) -> bool:
    return page.locale.language_code.split("-")[0].lower() == default_language()


def translator_may_edit(user, page) -> tuple[bool, str]:
    """(allowed, why not) for translator-only users; everyone else is left to their page permissions."""
    if not is_translator_only(user):
        return True, ""
    if is_original(page):
        return False, "Translators edit translations only, not the original-language page."
    if getattr(page, "live", False):  # snippets without drafts have no "live"
        return False, "This translation is live; an editor changes published pages. Ask an editor to unpublish it or to make the change."
    return True, ""
