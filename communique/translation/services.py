"""Translation work on stored editions: keep segments in step with the source, move them through
review, build the memory and glossary from the database, and hand kits only approved work."""
from __future__ import annotations

import difflib
import hashlib

from django.db import models, transaction

from . import pipeline, qa
from .glossary import Glossary, Term, seeded
from .memory import Memory, normalise
from .models import GlossaryTerm, MemoryEntry, SegmentComment, SegmentRecord, State, TranslatedEdition
from .segments import content_from_json, content_json, text_of

REVIEWER_GROUPS = ("Editors",)


class TransitionError(ValueError):
    pass


# ---- segments in step with the source --------------------------------------------------------


@transaction.atomic
def sync(edition: TranslatedEdition, document) -> dict:
    """Create, keep, mark stale or remove segment records so they match `document`'s segments."""
    tr = pipeline.start(document, edition.language)
    existing = {r.segment_id: r for r in edition.segments.all()}
    seen, counts = set(), {"new": 0, "stale": 0, "kept": 0, "removed": 0}
    position = 0
    for u in tr.units:
        for s in u.segments:
            position += 1
            source = content_json(s.source)
            rec = existing.get(s.id)
            seen.add(s.id)
            if rec is None:
                SegmentRecord.objects.create(edition=edition, unit_id=u.id, segment_id=s.id, position=position,
                                             source=source)
                counts["new"] += 1
            elif rec.source != source:
                rec.previous_source, rec.source, rec.position = rec.source, source, position
                if rec.target is not None:
                    rec.state = State.STALE
                rec.save()
                counts["stale"] += 1
            else:
                if rec.position != position:
                    rec.position = position
                    rec.save(update_fields=["position"])
                counts["kept"] += 1
    gone = [sid for sid in existing if sid not in seen]
    counts["removed"] = SegmentRecord.objects.filter(edition=edition, segment_id__in=gone).delete()[0] if gone else 0
    edition.source_version = tr.version
    edition.save(update_fields=["source_version", "updated_at"])
    return counts


def stale_diff(record: SegmentRecord) -> list[str]:
    """The source change that made a segment stale, as a word diff ('- old', '+ new')."""
    old = text_of(content_from_json(record.previous_source or [])).split()
    new = text_of(content_from_json(record.source)).split()
    return [d for d in difflib.ndiff(old, new) if d[:1] in "+-"]


def translation(edition: TranslatedEdition, document) -> pipeline.Translation:
    """The pipeline's view of the edition: the document's segments with the stored targets."""
    tr = pipeline.start(document, edition.language)
    records = {r.segment_id: r for r in edition.segments.prefetch_related("comments")}
    for u in tr.units:
        for s in u.segments:
            rec = records.get(s.id)
            if rec is None:
                continue
            if rec.source == content_json(s.source):
                s.target = content_from_json(rec.target) if rec.target is not None else None
                s.state, s.origin, s.flags = rec.state, rec.origin, list(rec.flags)
            else:
                s.target, s.state = (content_from_json(rec.target) if rec.target is not None else None), State.STALE
            s.comments = [c.text for c in rec.comments.all()]
    return tr


@transaction.atomic
def save(edition: TranslatedEdition, tr: pipeline.Translation, user=None) -> int:
    """Store the targets, states, origins and flags of `tr` (all or nothing); returns segments changed."""
    records = {r.segment_id: r for r in edition.segments.select_for_update()}
    changed = 0
    for u in tr.units:
        for s in u.segments:
            rec = records.get(s.id)
            if rec is None:
                raise TransitionError(f"segment {s.id} is not in the stored edition: sync it with the source first")
            target = content_json(s.target) if s.target is not None else None
            if (rec.target, rec.state, rec.origin, rec.flags) != (target, s.state, s.origin, s.flags):
                rec.target, rec.state, rec.origin, rec.flags = target, s.state, s.origin, list(s.flags)
                if s.state == State.MACHINE:
                    rec.machine_origin = s.origin
                rec.updated_by = user
                rec.save()
                changed += 1
            for text in s.comments:
                if not rec.comments.filter(text=text).exists():
                    SegmentComment.objects.create(segment=rec, author=user, text=text)
    return changed


# ---- review --------------------------------------------------------------------------------


def can_review(user) -> bool:
    return bool(user and (user.is_superuser or user.groups.filter(name__in=REVIEWER_GROUPS).exists()))


def set_target(record: SegmentRecord, content, user) -> SegmentRecord:
    record.target, record.state, record.origin = content_json(content), State.TRANSLATED, getattr(user, "username", "")
    record.previous_source = None
    record.flags = []
    record.updated_by = user
    record.save()
    return record


def _issues(record: SegmentRecord) -> list[qa.Issue]:
    from .segments import Segment, Unit

    seg = Segment(record.segment_id, content_from_json(record.source),
                  content_from_json(record.target) if record.target is not None else None)
    edition = record.edition
    unit = Unit(record.unit_id, "inline", [seg])
    glossary = glossary_for(edition.book.language or "en", edition.language)
    issues = qa.check_segment(seg, unit, qa.Context((edition.book.language or "en"), edition.language, glossary))
    return [i for i in issues if i.check != "codes" or i.severity == "error"]


def review(record: SegmentRecord, user) -> SegmentRecord:
    if record.target is None:
        raise TransitionError(f"{record.segment_id}: nothing to review (no translation yet)")
    if record.state == State.STALE:
        raise TransitionError(f"{record.segment_id}: the source changed; update the translation first")
    record.state, record.updated_by = State.REVIEWED, user
    record.save()
    return record


def approve(record: SegmentRecord, user, *, override: bool = False) -> SegmentRecord:
    """Only a reviewer approves; QA errors block approval unless the reviewer overrides them."""
    if not can_review(user):
        raise TransitionError("only an editor (reviewer) can approve translations")
    if record.target is None or record.state == State.STALE:
        raise TransitionError(f"{record.segment_id}: cannot approve a {record.get_state_display().lower()} segment")
    errors = [i for i in _issues(record) if i.severity == "error"]
    if errors and not override:
        raise TransitionError(f"{record.segment_id}: QA error(s): " + "; ".join(i.message for i in errors))
    record.state, record.updated_by = State.APPROVED, user
    record.flags = [f"approved over QA error: {i.message}" for i in errors] if errors else record.flags
    record.save()
    remember(record)
    return record


def comment(record: SegmentRecord, user, text: str) -> SegmentComment:
    text = (text or "").strip()
    if not text:
        raise TransitionError("a comment needs some text")
    return SegmentComment.objects.create(segment=record, author=user, text=text[:5000])


def status_board(book) -> list[dict]:
    """Per language: total, done (approved), reviewed, stale, draft segments."""
    from django.db.models import Count, Q

    rows = []
    for ed in TranslatedEdition.objects.filter(book=book).annotate(
            total=Count("segments"), done=Count("segments", filter=Q(segments__state=State.APPROVED)),
            reviewed=Count("segments", filter=Q(segments__state=State.REVIEWED)),
            stale=Count("segments", filter=Q(segments__state=State.STALE))).order_by("language"):
        rows.append({"language": ed.language, "total": ed.total, "done": ed.done, "reviewed": ed.reviewed,
                     "stale": ed.stale, "draft": ed.total - ed.done - ed.reviewed - ed.stale,
                     "complete": ed.total > 0 and ed.done == ed.total})
    return rows


def ai_disclosure(edition: TranslatedEdition) -> dict:
    """KDP's AI-content question for the translation, from the segments' history."""
    records = edition.segments.all()
    total = records.count()
    machine = records.exclude(machine_origin="").count()
    engines = sorted(set(records.exclude(machine_origin="").values_list("machine_origin", flat=True)))
    if machine == 0:
        return {"ai_translated": False, "answer": "human translated", "machine_segments": 0, "total": total,
                "kdp": "none"}
    drafted = records.exclude(machine_origin="")
    reviewed = drafted.filter(state=State.APPROVED).count()
    # A person rewrote the draft when the segment's last origin is no longer the engine's.
    edited = drafted.exclude(origin=models.F("machine_origin")).count()
    answer = "machine translated and human reviewed" if reviewed == machine else "machine translated, not all reviewed"
    return {"ai_translated": True, "answer": answer, "machine_segments": machine, "total": total, "engines": engines,
            "reviewed_segments": reviewed, "edited_segments": edited,
            "kdp": "entire" if machine == total else "some",
            "editing": "extensive" if edited * 2 > machine else "minimal"}


# ---- memory and glossary from the database ---------------------------------------------------


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def remember(record: SegmentRecord) -> None:
    edition = record.edition
    source = content_from_json(record.source)
    text, mapping = normalise(source)
    if not text or record.target is None:
        return
    from .memory import _relabel

    target = content_json(_relabel(content_from_json(record.target), mapping))
    MemoryEntry.objects.update_or_create(
        source_language=(edition.book.language or "en"), target_language=edition.language, key=_key(text),
        defaults={"source_text": text, "target": target})


def memory_for(source: str, target: str) -> Memory:
    m = Memory()
    for text, tgt in MemoryEntry.objects.filter(source_language=source, target_language=target).values_list(
            "source_text", "target").iterator(chunk_size=5000):
        m.exact_index[text] = len(m.sources)
        m.sources.append(text)
        m.targets.append(content_from_json(tgt))
    m.build_index()
    return m


def seed_glossary(source: str, target: str) -> int:
    """Store the pycountry seed for a pair (terms editors changed are kept as they are)."""
    created = 0
    for term in seeded(source, target).terms.values():
        _, made = GlossaryTerm.objects.get_or_create(
            source_language=source, target_language=target, source=term.source,
            defaults={"renderings": term.renderings, "keep": term.keep, "origin": term.origin})
        created += made
    return created


def glossary_for(source: str, target: str) -> Glossary:
    g = seeded(source, target)
    for t in GlossaryTerm.objects.filter(source_language=source, target_language=target):
        if t.keep or t.renderings:
            g.add(Term(t.source, list(t.renderings), t.keep, t.origin))
    return g


# ---- publishing ------------------------------------------------------------------------------


def publishable_document(edition: TranslatedEdition, document, *, override: bool = False, who: str = ""):
    """The translated Document for EPUB, PDF and the KDP kit: only approved work unless overridden,
    with the translator named as a contributor."""
    from communique.documents.model import Contributor

    tr = translation(edition, document)
    doc = pipeline.publishable(tr, override=override, who=who)
    if edition.translator_name and not any(c.role == "translator" and c.name == edition.translator_name
                                           for c in doc.meta.contributors):
        doc.meta.contributors.append(Contributor(name=edition.translator_name, role="translator"))
    return doc
