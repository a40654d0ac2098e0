"""Translation work on the demo desk: the demo translator signs in to a Spanish article with Apertium's
machine draft waiting for review, and an Urdu article waiting to be translated by hand.

Apertium may be missing on a user's machine: then the Spanish work is still assigned, without the
machine draft, and the demo output says why (the build never fails for it)."""
from __future__ import annotations

from wagtail.models import Locale

# (article slug, language, draft with the pair's engine first)
ASSIGNMENTS = [
    ("translation-is-a-diplomatic-act", "es", True),
    ("counting-goodwill-how-ministries-measure-public-diplomacy", "ur", False),
]


def _apertium_problem(source: str, target: str) -> str:
    """Why Apertium cannot draft source→target here, or "" when it can."""
    from communique.translation.engines import EngineError
    from communique.translation.engines.apertium import ApertiumEngine

    try:
        ApertiumEngine().check(source, target)
    except EngineError as exc:
        return str(exc)
    return ""


def assign(articles: dict, editor, translator) -> list[str]:
    """Assign the demo's translation work (once: a second build finds it and leaves it as it is).
    Returns one line per assignment for the demo's output."""
    from communique.documents.languages import lookup
    from communique.translation import page_work
    from communique.translation.models import State
    from communique.translation.page_models import PageTranslationWork

    lines = []
    for slug, language, machine in ASSIGNMENTS:
        page = articles[slug]
        locale, _ = Locale.objects.get_or_create(language_code=language)
        work = (PageTranslationWork.objects.filter(translation__source__object_id=page.translation_key,
                                                   translation__target_locale=locale).first())
        created = work is None
        if created:
            work = page_work.start(page, locale, editor, translator)
        name = lookup(language).english_name  # the output is in English; the locale's own name is native
        line = f"{name} translation of “{page.title}” on {translator.username}'s desk"
        if not machine:
            lines.append(line + ", waiting to be translated.")
            continue
        problem = _apertium_problem(page_work.source_language(work), page_work.target_language(work))
        if problem:
            lines.append(line + f", without a machine draft ({problem}).")
            continue
        if created:
            page_work.draft(work, list(work.segments.order_by("position")), editor, "apertium")
        drafted = work.segments.filter(state=State.MACHINE).count()
        lines.append(line + f", {drafted} segment(s) drafted by Apertium for review.")
    return lines
