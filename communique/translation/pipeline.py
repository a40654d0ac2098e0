"""Segment → memory → machine → check → reassemble, for one document and one target language.

Machine output is always a draft (state "machine"); a segment whose codes the engine changed carries
a flag and can be neither approved nor published until a person fixes it."""
from __future__ import annotations

from dataclasses import dataclass, field

from communique.documents.model import Document

from . import qa
from .engines import Engine, MTItem, get_engine
from .languages import canonical
from .segments import Unit, reassemble, segment_document, source_version

DRAFT_STATES = {"new", "machine", "memory", "stale"}
PUBLISHABLE_STATES = {"approved"}


@dataclass
class Translation:
    document: Document  # the source
    target: str
    units: list[Unit]
    version: str
    report: qa.Report | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.document.meta.language.split("-")[0] if self.document.meta.language else "en"

    def translated_document(self, *, fallback_to_source: bool = True) -> Document:
        return reassemble(self.document, self.units, self.target, fallback_to_source=fallback_to_source)

    def check(self, glossary=None) -> qa.Report:
        self.report = qa.check_units(self.units, self.source, self.target, glossary)
        return self.report


class NotPublishable(ValueError):
    pass


def start(document: Document, target: str) -> Translation:
    units = segment_document(document)
    return Translation(document, canonical(target), units, source_version(units))


def machine_translate(tr: Translation, engine: Engine | str | None = None, *, glossary=None, memory=None,
                      fuzzy_threshold: float = 85) -> Translation:
    """Fill every empty segment: memory matches first (exact, then fuzzy at or above the threshold,
    flagged for review), then the engine, then check the codes."""
    if memory is not None:
        for u in tr.units:
            for s in u.segments:
                if s.target is not None:
                    continue
                hit = memory.exact(s.source)
                if hit is not None:
                    s.target, s.state, s.origin = hit, "memory", "memory 100%"
                    continue
                best = memory.fuzzy(s.source, threshold=fuzzy_threshold, limit=1)
                if best:
                    s.target, s.state, s.origin = best[0].target, "memory", f"memory {best[0].score:g}%"
                    s.flags = [f"fuzzy memory match {best[0].score:g}%: compare with {best[0].source!r}"]
                    s.flags += [qa.flag_text(i) for i in qa.check_codes(s, u, qa.Context(tr.source, tr.target))
                                if i.severity == "error"]
    if not isinstance(engine, (str, type(None))):
        eng = engine
    else:
        eng = get_engine(engine, tr.source, tr.target)
    todo = [(u, s) for u in tr.units for s in u.segments if s.target is None]
    items = [MTItem(s.source, u.codes) for u, s in todo]
    if glossary is not None:
        items, restore = glossary.protect(items, tr.target)
    results = eng.translate(items, tr.source, tr.target)
    if glossary is not None:
        results = restore(results)
    for (u, s), res in zip(todo, results):
        if res.content is None:
            continue
        s.target, s.state, s.origin = res.content, "machine", eng.name
        s.flags = list(res.notes)
        s.flags += [qa.flag_text(i) for i in qa.check_codes(s, u, qa.Context(tr.source, tr.target))
                    if i.severity == "error"]
    return tr


def publishable(tr: Translation, *, override: bool = False, who: str = "") -> Document:
    """The translated Document for readers and kits: only when every segment is approved and free of
    errors, unless an editor overrides (their name is recorded in the document's warnings)."""
    report = tr.check()
    pending = [s.id for u in tr.units for s in u.segments if s.state not in PUBLISHABLE_STATES]
    errors = report.errors
    if (pending or errors) and not override:
        parts = []
        if pending:
            parts.append(f"{len(pending)} segment(s) not approved (first: {pending[0]})")
        if errors:
            parts.append(f"{len(errors)} QA error(s) (first: {errors[0]})")
        raise NotPublishable(f"{tr.target} translation cannot be published: " + "; ".join(parts))
    doc = tr.translated_document()
    if pending or errors:
        doc.warn("translation", f"published by override ({who or 'editor'}): {len(pending)} unapproved segment(s), "
                                f"{len(errors)} QA error(s)")
    return doc
