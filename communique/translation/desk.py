"""The translator's desk in the Wagtail admin: the work assigned to a translator (articles and books,
per language), a status board, and a segment editor where translators draft and save and reviewers
review, approve and publish.

Translators see only work assigned to them (anything else is a 404); only reviewers (Editors) approve,
publish or assign; every list and editor page is paginated so no request does unbounded work."""
from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import page_work
from .engines import EngineError
from .models import SegmentRecord, State, TranslatedEdition
from .page_models import PageTranslationWork
from .permissions import TRANSLATORS
from .po import parse as parse_codes, render as render_codes
from .segments import content_from_json, text_of
from .services import TransitionError, can_review
from .xliff import ExchangeError

WORK_PER_PAGE = 25
SEGMENTS_PER_PAGE = 20
BOARD_PER_PAGE = 25


def is_translator(user) -> bool:
    return bool(user.is_authenticated and user.groups.filter(name=TRANSLATORS).exists())


def _desk_user(request):
    if not (can_review(request.user) or is_translator(request.user)):
        raise PermissionDenied
    return request.user


def _works(user):
    works = PageTranslationWork.objects.select_related("translation__source", "translation__target_locale",
                                                       "translator")
    editions = TranslatedEdition.objects.select_related("book", "translator")
    if not can_review(user):
        works, editions = works.filter(translator=user), editions.filter(translator=user)
    return works, editions


def _annotated(qs):
    return qs.annotate(total=Count("segments", distinct=True),
                       done=Count("segments", filter=Q(segments__state=State.APPROVED), distinct=True),
                       reviewed=Count("segments", filter=Q(segments__state=State.REVIEWED), distinct=True),
                       stale=Count("segments", filter=Q(segments__state=State.STALE), distinct=True))


def _titles(works):
    """Source titles for a page of works: pages in one query, snippets (authors, the publication's
    text) by their own name."""
    from types import SimpleNamespace

    from wagtail.models import Page

    keys = {w.translation.source.object_id for w in works}
    locales = {w.translation.source.locale_id for w in works}
    found = {(p.translation_key, p.locale_id): p for p in Page.objects.filter(translation_key__in=keys,
                                                                             locale_id__in=locales)}
    for w in works:
        source = w.translation.source
        if (source.object_id, source.locale_id) not in found and source.specific_content_type.model_class() \
                and not issubclass(source.specific_content_type.model_class(), Page):
            instance = source.get_source_instance() if _exists(source) else None
            if instance is not None:
                url = instance.get_absolute_url() if hasattr(instance, "get_absolute_url") else ""
                found[(source.object_id, source.locale_id)] = SimpleNamespace(
                    title=f"{instance._meta.verbose_name.capitalize()}: {instance}", url=url)
    return found


def _exists(source) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        source.get_source_instance()
    except ObjectDoesNotExist:
        return False
    return True


# Snippets an editor may send to the desk ("app.model:pk" in the assign form's choice).
DESK_SNIPPETS = ("magazine.author", "core.publicationtext")


def _snippet(value: str):
    from django.apps import apps

    label, _, pk = value.partition(":")
    if label not in DESK_SNIPPETS:
        raise ValueError(value)
    model = apps.get_model(label)
    return model.objects.get(pk=int(pk))


def desk(request):
    """Assigned work, newest first: articles and books with done / reviewed / stale per language."""
    user = _desk_user(request)
    works, editions = _works(user)
    page_works = Paginator(_annotated(works).order_by("-created_at", "-id"), WORK_PER_PAGE).get_page(request.GET.get("p"))
    titles = _titles(page_works.object_list)
    article_rows = []
    for w in page_works.object_list:
        src = titles.get((w.translation.source.object_id, w.translation.source.locale_id))
        article_rows.append({"work": w, "title": src.title if src else "(original deleted)",
                             "language": w.translation.target_locale,
                             "draft": w.total - w.done - w.reviewed - w.stale})
    book_page = Paginator(_annotated(editions).order_by("book__title", "language"), WORK_PER_PAGE).get_page(
        request.GET.get("b"))
    book_rows = [{"edition": e, "draft": e.total - e.done - e.reviewed - e.stale} for e in book_page.object_list]
    context = {"article_rows": article_rows, "page_works": page_works, "book_rows": book_rows,
               "book_page": book_page, "reviewer": can_review(user), "page_title": "Translator's desk",
               "header_title": "Translator's desk", "header_icon": "globe"}
    if can_review(user):
        context.update(_assign_choices())
    return TemplateResponse(request, "translation/desk.html", context)


def _assign_choices():
    from django.conf import settings
    from wagtail.models import Locale

    from communique.magazine.models import ArticlePage

    from .permissions import default_language

    from communique.core.models import PublicationText
    from communique.magazine.models import Author

    originals = (ArticlePage.objects.filter(locale__language_code__iexact=default_language())
                 .order_by("-date", "-pk").only("pk", "title")[:100])
    authors = Author.objects.filter(locale__language_code__iexact=default_language()).order_by("name")[:200]
    texts = PublicationText.objects.filter(locale__language_code__iexact=default_language()).order_by("pk")[:20]
    translators = get_user_model().objects.filter(groups__name=TRANSLATORS, is_active=True).order_by("username")[:200]
    locales = Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code")
    return {"originals": originals, "authors": authors, "texts": texts, "translators": translators,
            "locales": locales}


@require_http_methods(["POST"])
def assign(request):
    """An editor sends an article for translation into one language, assigned to a translator."""
    from wagtail.models import Locale, Page

    if not can_review(request.user):
        raise PermissionDenied
    from django.core.exceptions import ObjectDoesNotExist

    choice = request.POST.get("page", "")
    try:
        page = _snippet(choice) if ":" in choice else Page.objects.get(pk=int(choice))
        locale = Locale.objects.get(pk=int(request.POST.get("locale", "")))
    except (ValueError, LookupError, ObjectDoesNotExist):
        messages.error(request, "Choose an article (or an author) and a language to translate it into.")
        return redirect("translation_desk")
    translator = None
    if request.POST.get("translator"):
        translator = get_user_model().objects.filter(pk=request.POST["translator"], groups__name=TRANSLATORS).first()
        if translator is None:
            messages.error(request, "That translator is not in the Translators group.")
            return redirect("translation_desk")
    try:
        work = page_work.start(page, locale, request.user, translator)
    except TransitionError as exc:
        messages.error(request, str(exc))
        return redirect("translation_desk")
    messages.success(request, f"“{getattr(page, 'title', page)}” sent for translation into {locale.get_display_name()}.")
    return redirect("translation_page_work", work.pk)


def board(request):
    """Per original: done / reviewed / stale per language, for articles (books are on the desk)."""
    user = _desk_user(request)
    works, _ = _works(user)
    per_source = {}
    for w in _annotated(works).order_by("translation__source_id", "translation__target_locale__language_code"):
        per_source.setdefault(w.translation.source_id, []).append(w)
    ids = sorted(per_source)
    page_obj = Paginator(ids, BOARD_PER_PAGE).get_page(request.GET.get("p"))
    chosen = [per_source[i][0] for i in page_obj.object_list]
    titles = _titles(chosen)
    rows = []
    for i in page_obj.object_list:
        w0 = per_source[i][0]
        src = titles.get((w0.translation.source.object_id, w0.translation.source.locale_id))
        rows.append({"title": src.title if src else "(original deleted)", "works": per_source[i]})
    return TemplateResponse(request, "translation/page_board.html", {
        "rows": rows, "page_obj": page_obj, "page_title": "Translation status", "header_title": "Translation status",
        "header_icon": "globe"})


# ---- the segment editor -----------------------------------------------------------------------


def _own(user, translator_id):
    if not can_review(user) and translator_id != user.pk:
        raise Http404("not assigned to you")


def _editor_page(request, records):
    return Paginator(records, SEGMENTS_PER_PAGE).get_page(request.GET.get("page") or request.POST.get("page"))


def _back(request, name, key):
    page = request.POST.get("page") or request.GET.get("page") or "1"
    anchor = f"#seg-{request.POST['segment']}" if request.POST.get("segment") else ""
    return redirect(f"{reverse(name, args=[key])}?page={page}{anchor}")


def _posted_segment(request, segments, name, key):
    """(the segment the form names, or None when it names none; a redirect back to the editor when
    that segment is no longer in this translation, e.g. after the source changed)."""
    if not request.POST.get("segment"):
        return None, None
    rec = segments.filter(pk=request.POST["segment"]).first()
    if rec is None:
        messages.error(request, "That segment is no longer in this translation; the page was reloaded.")
        return None, _back(request, name, key)
    return rec, None


SEGMENT_ACTIONS = ("save", "review", "approve", "comment")


def _segment_action(request, action, rec, *, set_target, review, approve, comment):
    """One segment's save, review, approve or comment, the same for a page's and a book's translation
    (each passes its own operations)."""
    user = request.user
    if action == "save":
        set_target(rec, _parse_target(request.POST.get("target"), f"segment {rec.position}"), user)
        messages.success(request, f"Segment {rec.position} saved (translated).")
    elif action == "review":
        _reviewer(user)
        review(rec, user)
        messages.success(request, f"Segment {rec.position} marked reviewed.")
    elif action == "approve":
        approve(rec, user, override=request.POST.get("override") == "1")
        messages.success(request, f"Segment {rec.position} approved.")
    else:
        comment(rec, user, request.POST.get("comment", ""))
        messages.success(request, f"Comment added to segment {rec.position}.")


def _drafted(request, counts):
    messages.success(request, f"Drafted {counts['machine']} segment(s) by machine and {counts['memory']} from memory"
                              + (f"; {counts['left']} left for you" if counts["left"] else "") + ".")


def _parse_target(text: str, where: str):
    text = (text or "").strip()
    if not text:
        raise TransitionError(f"{where}: the translation is empty")
    if len(text) > 20000:
        raise TransitionError(f"{where}: the translation is longer than 20,000 characters")
    try:
        return parse_codes(text, where)
    except ExchangeError as exc:
        raise TransitionError(str(exc)) from None


def page_editor(request, work_id):
    user = _desk_user(request)
    work = get_object_or_404(PageTranslationWork.objects.select_related(
        "translation__source__locale", "translation__target_locale"), pk=work_id)
    _own(user, work.translator_id)
    if request.method == "POST":
        return _page_action(request, work)
    page_work.sync(work)
    records = work.segments.prefetch_related("comments__author").order_by("position")
    page_obj = _editor_page(request, records)
    from .services import glossary_for

    glossary = glossary_for(page_work.source_language(work), page_work.target_language(work))
    rows = page_work.rows(work, list(page_obj.object_list), glossary)
    titles = _titles([work])
    src = titles.get((work.translation.source.object_id, work.translation.source.locale_id))
    target_page = page_work.translated_page(work)
    return _render_editor(request, {
        "kind": "page", "work": work, "title": src.title if src else "(original deleted)", "rows": rows,
        "page_obj": page_obj, "counts": page_work.counts(work), "language": work.translation.target_locale.language_code,
        "language_name": work.translation.target_locale.get_display_name(), "target_page": target_page,
        "source_page": src, "action": reverse("translation_page_work", args=[work.pk])})


def _page_action(request, work):
    user, action = request.user, request.POST.get("action", "")
    rec, gone = _posted_segment(request, work.segments, "translation_page_work", work.pk)
    if gone:
        return gone
    try:
        if rec and action in SEGMENT_ACTIONS:
            _segment_action(request, action, rec, set_target=partial(page_work.set_target, work),
                            review=partial(page_work.review, work), approve=partial(page_work.approve, work),
                            comment=page_work.comment)
        elif action == "draft":
            records = list(_editor_page(request, work.segments.order_by("position")).object_list)
            _drafted(request, page_work.draft(work, records, user))
        elif action == "approve_page":
            _reviewer(user)
            done, problems = 0, []
            for r in _editor_page(request, work.segments.order_by("position")).object_list:
                if r.state in (State.TRANSLATED, State.REVIEWED, State.MEMORY, State.MACHINE):
                    try:
                        page_work.approve(work, r, user)
                        done += 1
                    except TransitionError as exc:
                        problems.append(str(exc))
            messages.success(request, f"Approved {done} segment(s) on this page.")
            for p in problems[:5]:
                messages.warning(request, p)
        elif action == "publish":
            override = request.POST.get("override") == "1"
            page = page_work.publish(work, user, override=override)
            messages.success(request, "Published" + (" by override (recorded)" if work.override_note else "") +
                             (f": {getattr(page, 'title', page)}" if page else "."))
        else:
            messages.error(request, "Unknown action.")
    except (TransitionError, EngineError) as exc:
        messages.error(request, str(exc))
    return _back(request, "translation_page_work", work.pk)


def _reviewer(user):
    if not can_review(user):
        raise TransitionError("only an editor (reviewer) can do that")


def edition_editor(request, public_id):
    from . import services

    user = _desk_user(request)
    edition = get_object_or_404(TranslatedEdition.objects.select_related("book"), public_id=public_id)
    _own(user, edition.translator_id)
    if request.method == "POST":
        return _edition_action(request, edition)
    records = edition.segments.prefetch_related("comments__author").order_by("position")
    page_obj = _editor_page(request, records)
    src_lang = edition.book.language or "en"
    glossary = services.glossary_for(src_lang, edition.language)
    rows = []
    for rec in page_obj.object_list:
        source = content_from_json(rec.source)
        target = content_from_json(rec.target) if rec.target is not None else None
        issues = page_work.issues_for(source, target, {}, src_lang, edition.language, glossary)
        previous = content_from_json(rec.previous_source) if rec.previous_source else None
        rows.append(page_work.Row(rec, source, target, {}, previous, issues, list(rec.comments.all())))
    from communique.documents.languages import normalise_language  # noqa: F401  (language names below)

    return _render_editor(request, {
        "kind": "book", "edition": edition, "title": edition.book.title, "rows": rows, "page_obj": page_obj,
        "counts": _edition_counts(edition), "language": edition.language, "language_name": edition.language,
        "action": reverse("translation_edition_work", args=[edition.public_id])})


def _edition_counts(edition):
    from . import services

    for row in services.status_board(edition.book):
        if row["language"] == edition.language:
            return row
    return {}


def _edition_action(request, edition):
    from . import services

    user, action = request.user, request.POST.get("action", "")
    rec, gone = _posted_segment(request, edition.segments, "translation_edition_work", edition.public_id)
    if gone:
        return gone
    try:
        if rec and action in SEGMENT_ACTIONS:
            _segment_action(request, action, rec, set_target=services.set_target, review=services.review,
                            approve=services.approve, comment=services.comment)
        elif action == "draft":
            records = list(_editor_page(request, edition.segments.order_by("position")).object_list)
            _drafted(request, draft_edition(edition, records, user))
        else:
            messages.error(request, "Unknown action.")
    except (TransitionError, EngineError) as exc:
        messages.error(request, str(exc))
    return _back(request, "translation_edition_work", edition.public_id)


def draft_edition(edition, records: list[SegmentRecord], user) -> dict:
    """Memory, then machine, for the empty segments of one editor page of a book's translation."""
    from .memory import Memory  # noqa: F401
    from .pipeline import Translation, machine_translate
    from .segments import Segment, Unit
    from .services import glossary_for, memory_for

    src_lang = edition.book.language or "en"
    todo = [r for r in records if r.target is None]
    if not todo:
        return {"memory": 0, "machine": 0, "left": 0}
    units = [Unit(r.unit_id + "#" + r.segment_id, "inline", [Segment(r.segment_id, content_from_json(r.source))])
             for r in todo]
    from communique.documents.model import Document, Metadata

    tr = Translation(Document(meta=Metadata(title=edition.book.title, language=src_lang)), edition.language, units, "")
    machine_translate(tr, None, glossary=glossary_for(src_lang, edition.language),
                      memory=memory_for(src_lang, edition.language))
    from .segments import content_json

    counts = {"memory": 0, "machine": 0, "left": 0}
    for rec, unit in zip(todo, units):
        s = unit.segments[0]
        if s.target is None:
            counts["left"] += 1
            continue
        rec.target, rec.state, rec.origin, rec.flags, rec.updated_by = content_json(s.target), s.state, s.origin, list(s.flags), user
        if s.state == State.MACHINE:
            rec.machine_origin = s.origin
        rec.save()
        counts["memory" if s.state == State.MEMORY else "machine"] += 1
    return counts


def _render_editor(request, context):
    for row in context["rows"]:
        row.source_codes = render_codes(row.source)
        row.target_codes = render_codes(row.target) if row.target is not None else ""
        row.source_plain = text_of(row.source)
    context.update({"reviewer": can_review(request.user), "page_title": context["title"],
                    "header_title": f"{context['title']} — {context['language_name']}", "header_icon": "globe",
                    "rtl": _rtl(context["language"])})
    return TemplateResponse(request, "translation/editor.html", context)


def _rtl(code: str) -> bool:
    from django.utils.translation import get_language_info

    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return code.split("-")[0] in {"ar", "ur", "fa", "ps", "he"}
