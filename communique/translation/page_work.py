"""Translating magazine pages on the desk: wagtail-localize holds the strings and writes the page
(slugs and dates synchronised), this module adds the desk's review states, machine and memory drafts,
QA, comments, stale detection and the rule that only approved work is published.

A wagtail-localize string is an HTML fragment of inline tags (`Hello <b>you</b>, <a id="a1">see</a>`).
On the desk it is the same content (text and codes) as a book's segment, so the engines, the memory,
the glossary and QA work on both alike."""
from __future__ import annotations

import difflib
import re

from bs4 import BeautifulSoup, NavigableString
from bs4 import Tag as SoupTag
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from . import qa
from .models import MemoryEntry, State
from .page_models import PageSegmentComment, PageSegmentState, PageTranslationWork
from .segments import Content, InlineCode, Segment, Tag, Unit, content_from_json, content_json, merge_text, text_of
from .services import TransitionError, can_review, glossary_for

CODE_TYPES = {"b": "strong", "strong": "strong", "i": "emph", "em": "emph", "a": "link", "sup": "sup", "sub": "sub",
              "s": "strike", "code": "code", "br": "br", "span": "emph", "small": "smallcaps"}
VOID = {"br", "wbr", "img"}
# Footnote references in the body's text ("…relations.[^1]") and the footnotes' own labels point at
# each other: both stay exactly as in the original (a reference is a protected code, a label is kept).
NOTE_REF = re.compile(r"\[\^[^\]\s]{1,20}\]")
KEPT_SUFFIXES = (".label",)


def kept(context: str) -> bool:
    return context.startswith("body.") and context.endswith(KEPT_SUFFIXES)


# ---- wagtail-localize strings ↔ content -------------------------------------------------------


class StringCodes:
    """A source string's elements by code id, so a target's codes become the same elements again."""

    def __init__(self):
        self.elements: dict[str, tuple[str, dict]] = {}
        self.codes: dict[str, InlineCode] = {}


def parse_string(data: str) -> tuple[Content, StringCodes]:
    codes = StringCodes()
    out: Content = []

    def walk(node):
        for child in node.children:
            if isinstance(child, NavigableString):
                text, pos = str(child), 0
                for m in NOTE_REF.finditer(text):
                    out.append(text[pos:m.start()])
                    cid = str(len(codes.elements) + 1)
                    codes.elements[cid] = ("#note", {"text": m.group(0)})
                    codes.codes[cid] = InlineCode(cid, "note", m.group(0))
                    out.append(Tag("ph", cid))
                    pos = m.end()
                out.append(text[pos:])
            elif isinstance(child, SoupTag):
                cid = str(len(codes.elements) + 1)
                codes.elements[cid] = (child.name, dict(child.attrs))
                codes.codes[cid] = InlineCode(cid, CODE_TYPES.get(child.name, "emph"), child.get("id", ""))
                if child.name in VOID:
                    out.append(Tag("ph", cid))
                else:
                    out.append(Tag("open", cid))
                    walk(child)
                    out.append(Tag("close", cid))

    walk(BeautifulSoup(data or "", "html.parser"))
    return merge_text(out), codes


def render_string(content: Content, codes: StringCodes) -> str:
    """Content → wagtail-localize string data; a code the source does not have is refused, named."""
    out = []
    for x in content:
        if isinstance(x, str):
            out.append(escape(x))
            continue
        if x.id not in codes.elements:
            raise TransitionError(f"code {x.id} is not in the source text (it has {', '.join(codes.elements) or 'none'})")
        name, attrs = codes.elements[x.id]
        if name == "#note":
            out.append(escape(attrs["text"]))
        elif x.kind == "close":
            out.append(f"</{name}>")
        else:
            attr = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items() if k == "id")
            out.append(f"<{name}{attr}>")
    return "".join(out)


# ---- starting and syncing work ----------------------------------------------------------------


def source_language(work: PageTranslationWork) -> str:
    return work.translation.source.locale.language_code.split("-")[0]


def target_language(work: PageTranslationWork) -> str:
    return work.translation.target_locale.language_code


@transaction.atomic
def start(page, locale, user, translator=None) -> PageTranslationWork:
    """Send `page` for translation into `locale` (a draft page: readers see nothing yet) and open it on
    the desk, assigned to `translator`."""
    from wagtail_localize.models import Translation, TranslationSource
    from wagtail_localize.operations import translate_object

    from wagtail.models import Page

    if isinstance(page, Page):
        page = page.specific
    else:
        prepare = getattr(page, "prepare_for_translation", None)
        if prepare is not None:  # a carrier snippet refreshes its text from where editors write it
            page = prepare()
    if page.locale_id == locale.pk:
        raise TransitionError(f"“{page.title}” is already in {locale.get_display_name()}")
    _lists_in_block_format(page)
    translate_object(page, [locale], user=user)
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation = Translation.objects.get(source=source, target_locale=locale)
    work, created = PageTranslationWork.objects.get_or_create(translation=translation,
                                                              defaults={"translator": translator})
    if not created and translator is not None and work.translator_id != translator.pk:
        work.translator = translator
        work.save(update_fields=["translator"])
    sync(work)
    _same_dates(work)
    return work


def _lists_in_block_format(page) -> None:
    """wagtail-localize extracts list items (an article's footnotes) only from the block format
    (`{"type": "item", "value": …, "id": …}`); lists stored in the older plain format are rewritten
    in place, the same content with item ids, so their text is translatable too."""
    import uuid

    from wagtail.blocks import StreamValue
    from wagtail.fields import StreamField

    def plain(value):
        return isinstance(value, list) and value and isinstance(value[0], dict) and "type" not in value[0]

    changed = {}
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        raw = [dict(b) for b in getattr(page, field.name).raw_data]
        if not any(plain(b.get("value")) for b in raw):
            continue
        for b in raw:
            if plain(b.get("value")):
                b["value"] = [{"type": "item", "value": item, "id": str(uuid.uuid4())} for item in b["value"]]
        changed[field.name] = StreamValue(field.stream_block, raw, is_lazy=True)
    if changed:
        type(page).objects.filter(pk=page.pk).update(**changed)
        page.refresh_from_db()


def _same_dates(work) -> None:
    """wagtail-localize copies dates through JSON, which keeps milliseconds only: the translated page
    gets the original's dates exactly, so both sort and show alike."""
    page = translated_page(work)
    original = work.translation.source.get_source_instance()
    if page is None:
        return
    names = [f for f in ("date", "updated") if hasattr(original, f)]
    if names:
        type(original).objects.filter(pk=page.pk).update(**{f: getattr(original, f) for f in names})


def _string_segments(source):
    from wagtail_localize.models import StringSegment

    return StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")


def _translations(work, segments) -> dict:
    """context path → (data, is for the current source string, translation row)."""
    from wagtail_localize.models import StringTranslation

    wanted = {s.context_id: s for s in segments}
    found = {}
    for st in (StringTranslation.objects.filter(locale=work.translation.target_locale, context_id__in=wanted)
               .order_by("updated_at", "id")):
        seg = wanted[st.context_id]
        current = st.translation_of_id == seg.string_id
        prev = found.get(seg.context.path)
        if prev is None or current or not prev[1]:
            found[seg.context.path] = (st.data, current, st)
    return found


@transaction.atomic
def sync(work: PageTranslationWork) -> dict:
    """Bring the source strings up to date with the published original and match the states to them:
    new segments start new (or translated, if wagtail-localize already has a translation), changed
    ones become stale with the old source kept for the diff, removed ones go."""
    source = work.translation.source
    original = source.get_source_instance()
    if hasattr(original, "last_published_at"):
        published = original.last_published_at
        if published and published > source.last_updated_at:
            source.update_from_db()
    elif _snippet_changed(source, original):
        # A snippet (an author, the publication's text) has no publishing: its saved content is the source.
        source.update_from_db()
    segments = list(_string_segments(source))
    targets = _translations(work, segments)
    existing = {r.context: r for r in work.segments.all()}
    counts = {"new": 0, "stale": 0, "kept": 0, "removed": 0}
    for position, seg in enumerate(segments, 1):
        content, _ = parse_string(seg.string.data)
        src = content_json(content)
        path = seg.context.path
        rec = existing.pop(path, None)
        target = targets.get(path)
        if kept(path):
            if rec is None or rec.source != src or rec.state != State.APPROVED:
                _keep(work, seg, user=None)
                PageSegmentState.objects.update_or_create(work=work, context=path, defaults={
                    "position": position, "source": src, "state": State.APPROVED, "origin": "kept as the original",
                    "previous_source": None, "flags": []})
            counts["kept"] += 1
            continue
        if rec is None:
            state = State.NEW
            if target and target[1]:
                state = State.MACHINE if target[2].translation_type == "machine" else State.TRANSLATED
            PageSegmentState.objects.create(work=work, context=path, position=position, source=src, state=state,
                                            origin=target[2].tool_name if target and target[1] else "")
            counts["new"] += 1
        elif rec.source != src:
            rec.previous_source, rec.source, rec.position = rec.source, src, position
            rec.state = State.STALE if target else State.NEW
            rec.save()
            counts["stale"] += 1
        else:
            if rec.position != position:
                rec.position = position
                rec.save(update_fields=["position"])
            counts["kept"] += 1
    if existing:
        counts["removed"] = PageSegmentState.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()[0]
    return counts


def _snippet_changed(source, instance) -> bool:
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from modelcluster.models import ClusterableModel, get_serializable_data_for_fields

    prepare = getattr(instance, "prepare_for_translation", None)
    if prepare is not None:
        instance = prepare()
    if isinstance(instance, ClusterableModel):
        current = json.loads(instance.to_json())
    else:
        current = json.loads(json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder))
    return current != json.loads(source.content_json)


def _keep(work, seg, user) -> None:
    from wagtail_localize.models import StringTranslation

    StringTranslation.objects.update_or_create(
        translation_of=seg.string, locale=work.translation.target_locale, context=seg.context,
        defaults={"data": seg.string.data, "translation_type": "manual", "tool_name": "kept",
                  "last_translated_by": user, "has_error": False, "field_error": ""})


# ---- one segment ------------------------------------------------------------------------------


class Row:
    """What the segment editor shows for one segment (a page's or a book's)."""

    def __init__(self, record, source: Content, target: Content | None, codes: dict, previous: Content | None,
                 issues: list, comments: list):
        self.record, self.source, self.target, self.codes = record, source, target, codes
        self.previous, self.issues, self.comments = previous, issues, comments

    @property
    def diff(self) -> list[str]:
        if self.previous is None or self.record.state != State.STALE:
            return []
        return [d for d in difflib.ndiff(text_of(self.previous).split(), text_of(self.source).split()) if d[:1] in "+-"]

    @property
    def match(self) -> str:
        origin = self.record.origin or ""
        return origin if origin.startswith("memory") else ""


def issues_for(source: Content, target: Content | None, codes: dict, src_lang: str, tgt_lang: str,
               glossary=None) -> list[qa.Issue]:
    if target is None:
        return []
    seg = Segment("s", source, target)
    unit = Unit("u", "inline", [seg], codes=codes)
    return qa.check_segment(seg, unit, qa.Context(src_lang, tgt_lang, glossary))


def rows(work: PageTranslationWork, records, glossary=None) -> list[Row]:
    segments = {s.context.path: s for s in _string_segments(work.translation.source).filter(
        context__path__in=[r.context for r in records])}
    targets = _translations(work, list(segments.values()))
    out = []
    for rec in records:
        seg = segments.get(rec.context)
        source, codes = parse_string(seg.string.data) if seg else (content_from_json(rec.source), StringCodes())
        t = targets.get(rec.context)
        target = parse_string(t[0])[0] if t else None
        issues = issues_for(source, target, codes.codes, source_language(work), target_language(work), glossary)
        previous = content_from_json(rec.previous_source) if rec.previous_source else None
        out.append(Row(rec, source, target, codes.codes, previous, issues, list(rec.comments.all())))
    return out


def _segment(work, rec):
    seg = _string_segments(work.translation.source).filter(context__path=rec.context).first()
    if seg is None:
        raise TransitionError(f"{rec.context}: no longer in the original; reload the desk")
    return seg


def _write(work, rec, content: Content, user, *, machine: str = "") -> None:
    from wagtail_localize.models import StringTranslation

    seg = _segment(work, rec)
    source, codes = parse_string(seg.string.data)
    data = render_string(content, codes)
    StringTranslation.objects.update_or_create(
        translation_of=seg.string, locale=work.translation.target_locale, context=seg.context,
        defaults={"data": data, "translation_type": "machine" if machine else "manual",
                  "tool_name": machine, "last_translated_by": user, "has_error": False, "field_error": ""})


@transaction.atomic
def set_target(work, rec: PageSegmentState, content: Content, user) -> PageSegmentState:
    if kept(rec.context):
        raise TransitionError(f"{rec.context}: a footnote label stays as in the original (paragraphs refer to it)")
    _write(work, rec, content, user)
    rec.state, rec.origin, rec.previous_source, rec.flags, rec.updated_by = (
        State.TRANSLATED, getattr(user, "username", ""), None, [], user)
    rec.save()
    return rec


def _target_of(work, rec) -> Content | None:
    seg = _segment(work, rec)
    t = _translations(work, [seg]).get(rec.context)
    return parse_string(t[0])[0] if t and t[1] else None


def review(work, rec, user) -> PageSegmentState:
    if _target_of(work, rec) is None:
        raise TransitionError(f"{rec.context}: nothing to review (no translation yet)")
    if rec.state == State.STALE:
        raise TransitionError(f"{rec.context}: the source changed; update the translation first")
    rec.state, rec.updated_by = State.REVIEWED, user
    rec.save()
    return rec


@transaction.atomic
def approve(work, rec, user, *, override: bool = False) -> PageSegmentState:
    """Only a reviewer approves; a QA error blocks approval unless the reviewer overrides it (recorded
    in the segment's flags). Approved segments go into the shared translation memory."""
    if not can_review(user):
        raise TransitionError("only an editor (reviewer) can approve translations")
    target = _target_of(work, rec)
    if target is None or rec.state == State.STALE:
        raise TransitionError(f"{rec.context}: cannot approve a {rec.get_state_display().lower()} segment")
    seg = _segment(work, rec)
    source, codes = parse_string(seg.string.data)
    glossary = glossary_for(source_language(work), target_language(work))
    errors = [i for i in issues_for(source, target, codes.codes, source_language(work), target_language(work), glossary)
              if i.severity == "error"]
    if errors and not override:
        raise TransitionError(f"{rec.context}: QA error(s): " + "; ".join(i.message for i in errors))
    rec.state, rec.updated_by = State.APPROVED, user
    if errors:
        rec.flags = [f"approved over QA error by {user.get_username()}: {i.message}" for i in errors]
    rec.save()
    remember(work, source, target)
    return rec


def remember(work, source: Content, target: Content) -> None:
    _remember(source_language(work), target_language(work), source, target)


def _remember(src_lang: str, tgt_lang: str, source: Content, target: Content) -> bool:
    import hashlib

    from .memory import _relabel, normalise

    text, mapping = normalise(source)
    if not text:
        return False
    MemoryEntry.objects.update_or_create(
        source_language=src_lang, target_language=tgt_lang, key=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        defaults={"source_text": text, "target": content_json(_relabel(target, mapping))})
    return True


# A person's work on the desk; machine and memory drafts, new and stale segments are not remembered.
PEOPLES_STATES = (State.TRANSLATED, State.REVIEWED, State.APPROVED)


def remember_translation(translation) -> int:
    """Put people's translated strings of a published translation into the shared memory, so the next
    page's work gets them as matches. On the desk, segments a person translated, reviewed or approved;
    elsewhere (wagtail-localize's editor, PO uploads), its manual strings. Returns entries written."""
    from wagtail_localize.models import StringTranslation

    segments = [s for s in _string_segments(translation.source) if not kept(s.context.path)]
    work = PageTranslationWork.objects.filter(translation=translation).first()
    states = dict(work.segments.values_list("context", "state")) if work else {}
    targets = {(t.translation_of_id, t.context_id): t for t in StringTranslation.objects.filter(
        locale=translation.target_locale, translation_of_id__in={s.string_id for s in segments}, has_error=False)}
    src_lang = translation.source.locale.language_code.split("-")[0]
    tgt_lang = translation.target_locale.language_code
    written = 0
    for seg in segments:
        t = targets.get((seg.string_id, seg.context_id))
        if t is None or t.data == seg.string.data:
            continue
        if work is not None and states.get(seg.context.path) not in PEOPLES_STATES:
            continue
        if work is None and t.translation_type != StringTranslation.TRANSLATION_TYPE_MANUAL:
            continue
        written += _remember(src_lang, tgt_lang, parse_string(seg.string.data)[0], parse_string(t.data)[0])
    return written


def on_page_published(sender, instance=None, **kwargs):
    """A translated page reached readers (from the desk, wagtail-localize's editor or the page editor)."""
    from wagtail_localize.models import Translation

    from .permissions import is_original

    if instance is None or is_original(instance):
        return
    translation = (Translation.objects.select_related("source__locale", "target_locale")
                   .filter(source__object_id=instance.translation_key, target_locale_id=instance.locale_id).first())
    if translation is not None:
        remember_translation(translation)


def comment(rec, user, text: str) -> PageSegmentComment:
    text = (text or "").strip()
    if not text:
        raise TransitionError("a comment needs some text")
    return PageSegmentComment.objects.create(segment=rec, author=user, text=text[:5000])


# ---- drafts from memory and machine -----------------------------------------------------------


def draft(work, records, user, engine=None, *, fuzzy_threshold: float = 85) -> dict:
    """Fill the empty segments among `records`: memory first (exact, then fuzzy with its percentage),
    then the engine configured for the pair. Drafts are states machine/memory: a person still decides."""
    from .engines import MTItem, get_engine
    from .services import memory_for

    src_lang, tgt_lang = source_language(work), target_language(work)
    segs = {s.context.path: s for s in _string_segments(work.translation.source).filter(
        context__path__in=[r.context for r in records])}
    current = _translations(work, list(segs.values()))
    todo = [r for r in records if r.context in segs and not kept(r.context)
            and not (current.get(r.context) or (None, False))[1]]
    counts = {"memory": 0, "machine": 0, "left": 0}
    if not todo:
        return counts
    memory = memory_for(src_lang, tgt_lang)
    glossary = glossary_for(src_lang, tgt_lang)
    left = []
    with transaction.atomic():
        for rec in todo:
            source, codes = parse_string(segs[rec.context].string.data)
            hit = memory.exact(source) if memory.sources else None
            score = 100.0
            if hit is None and memory.sources:
                best = memory.fuzzy(source, threshold=fuzzy_threshold, limit=1)
                if best:
                    hit, score = best[0].target, best[0].score
            if hit is None:
                left.append((rec, source, codes))
                continue
            _write(work, rec, hit, user)
            rec.state, rec.origin = State.MEMORY, f"memory {score:g}%"
            rec.flags = [] if score == 100 else [f"fuzzy memory match {score:g}%: compare with the source"]
            rec.updated_by = user
            rec.save()
            counts["memory"] += 1
    if not left:
        return counts
    eng = engine if engine is not None and not isinstance(engine, str) else get_engine(engine, src_lang, tgt_lang)
    if eng.name == "none":
        counts["left"] = len(left)
        return counts
    items = [MTItem(source, codes.codes) for _, source, codes in left]
    items, restore = glossary.protect(items, tgt_lang)
    results = restore(eng.translate(items, src_lang, tgt_lang))
    with transaction.atomic():
        for (rec, source, codes), res in zip(left, results):
            if res.content is None:
                counts["left"] += 1
                continue
            _write(work, rec, res.content, user, machine=eng.name)
            rec.state, rec.origin, rec.machine_origin = State.MACHINE, eng.name, eng.name
            problems = issues_for(source, res.content, codes.codes, src_lang, tgt_lang)
            rec.flags = list(res.notes) + [qa.flag_text(i) for i in problems if i.check == "codes" and i.severity == "error"]
            rec.updated_by = user
            rec.save()
            counts["machine"] += 1
    return counts


# ---- board and publishing ---------------------------------------------------------------------


def counts(work) -> dict:
    from django.db.models import Count, Q

    c = work.segments.aggregate(
        total=Count("id"), done=Count("id", filter=Q(state=State.APPROVED)),
        reviewed=Count("id", filter=Q(state=State.REVIEWED)), stale=Count("id", filter=Q(state=State.STALE)))
    c["draft"] = c["total"] - c["done"] - c["reviewed"] - c["stale"]
    c["complete"] = c["total"] > 0 and c["done"] == c["total"]
    return c


def blockers(work) -> list[str]:
    sync(work)
    pending = list(work.segments.exclude(state=State.APPROVED).values_list("context", flat=True)[:1])
    n = work.segments.exclude(state=State.APPROVED).count()
    return [f"{n} segment(s) not approved (first: {pending[0]})"] if n else []


@transaction.atomic
def publish(work, user, *, override: bool = False) -> object:
    """Publish the translated page. Only a reviewer publishes, and only when every segment is approved,
    unless they override explicitly: then who and what was pending is recorded on the work."""
    if not can_review(user):
        raise TransitionError("only an editor (reviewer) can publish a translation")
    problems = blockers(work)
    if problems and not override:
        raise TransitionError("not every segment is approved: " + "; ".join(problems) +
                              ". Approve them, or publish by override.")
    work.translation.save_target(user=user, publish=True)  # wagtail-localize publishes on commit
    from wagtail.models import Page

    if not isinstance(translated_page(work), Page):  # a page is remembered by on_page_published
        remember_translation(work.translation)
    transaction.on_commit(lambda: _same_dates(work))
    work.published_at, work.published_by = timezone.now(), user
    work.override_note = (f"published by override by {user.get_username()} on {timezone.now():%Y-%m-%d %H:%M} UTC: "
                          + "; ".join(problems)) if problems else ""
    work.save(update_fields=["published_at", "published_by", "override_note"])
    return translated_page(work)


def translated_page(work):
    """The translated page (or snippet) in the work's language, None if there is none yet."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return work.translation.source.get_translated_instance(work.translation.target_locale)
    except ObjectDoesNotExist:
        return None


def work_for_page(page):
    """The desk's work on this translated page (or snippet), if it is one. Translation keys are
    random UUIDs, so the key and the locale name one object whatever its type."""
    return (PageTranslationWork.objects.select_related("translation")
            .filter(translation__source__object_id=page.translation_key,
                    translation__target_locale_id=page.locale_id).first())
