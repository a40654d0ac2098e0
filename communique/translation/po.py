"""PO (gettext) for translators who work in Poedit, Weblate or a text editor, via polib.

One entry per segment: msgctxt is "unit id|segment number", inline codes are written `{1}…{/1}`
(paired) and `{3/}` (standalone), literal braces doubled. The segment's state travels as a flag
(`fuzzy` for drafts, `state-reviewed`…), comments as translator comments, the location as an
extracted comment. The header names the document, languages and source version, which import checks."""
from __future__ import annotations

import re

import polib

from .pipeline import Translation
from .segments import Content, Tag, merge_text
from .xliff import DRAFTS, ExchangeError, _check_codes_present, apply_targets, document_key

MAX_BYTES = 50 * 1024 * 1024
_TOKEN = re.compile(r"\{\{|\}\}|\{(/?)([A-Za-z0-9]+)(/?)\}|[{}]")
STATES = {"new", "machine", "memory", "translated", "reviewed", "approved", "stale"}


def render(content: Content) -> str:
    out = []
    for x in content:
        if isinstance(x, str):
            out.append(x.replace("{", "{{").replace("}", "}}"))
        elif x.kind == "open":
            out.append(f"{{{x.id}}}")
        elif x.kind == "close":
            out.append(f"{{/{x.id}}}")
        else:
            out.append(f"{{{x.id}/}}")
    return "".join(out)


def parse(text: str, where: str) -> Content:
    out: Content = []
    pos = 0
    for mt in _TOKEN.finditer(text):
        out.append(text[pos:mt.start()])
        tok = mt.group(0)
        if tok == "{{":
            out.append("{")
        elif tok == "}}":
            out.append("}")
        elif tok in "{}":
            raise ExchangeError(f"{where}: a single {tok!r} (write {tok * 2!r} for a literal brace, or a code like {{1}})")
        else:
            close, cid, standalone = mt.groups()
            if close and standalone:
                raise ExchangeError(f"{where}: malformed code {tok!r}")
            out.append(Tag("close" if close else "ph" if standalone else "open", cid))
        pos = mt.end()
    out.append(text[pos:])
    return merge_text(out)


def export_po(tr: Translation) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": tr.document.meta.title,
        "Language": tr.target,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Communique-Document": document_key(tr),
        "X-Communique-Source-Language": tr.source,
        "X-Communique-Source-Version": tr.version,
    }
    for u in tr.units:
        for i, s in enumerate(u.segments):
            flags = []
            if s.target is not None and s.state in ("machine", "memory", "new", "stale"):
                flags.append("fuzzy")
            flags.append(f"state-{s.state}")
            codes = ", ".join(f"{{{c.id}}}={c.type}" + (f" {c.data}" if c.data and c.type != "link" else "")
                              for c in u.codes.values() if any(isinstance(t, Tag) and t.id == c.id for t in s.source))
            po.append(polib.POEntry(
                msgctxt=f"{u.id}|{i + 1}",
                msgid=render(s.source),
                msgstr=render(s.target) if s.target is not None else "",
                comment=u.note + (f"\ncodes: {codes}" if codes else ""),
                tcomment="\n".join(s.comments),
                flags=flags,
            ))
    return str(po).encode("utf-8")


def import_po(data: bytes, tr: Translation, what: str = "PO file") -> Translation:
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"{what}: larger than the {MAX_BYTES // 1_000_000} MB limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"{what}: not UTF-8 (invalid byte at position {exc.start})") from None
    try:
        po = polib.pofile(text)
    except (OSError, ValueError) as exc:
        raise ExchangeError(f"{what}: not a valid PO file ({exc})") from None
    meta = po.metadata
    if meta.get("X-Communique-Document") != document_key(tr):
        raise ExchangeError(f"{what}: made for document {meta.get('X-Communique-Document')!r}, not {document_key(tr)!r}")
    if (meta.get("Language") or "").lower() != tr.target.lower():
        raise ExchangeError(f"{what}: for language {meta.get('Language')!r}, not {tr.target!r}")
    if meta.get("X-Communique-Source-Version") != tr.version:
        raise ExchangeError(f"{what}: made from source version {meta.get('X-Communique-Source-Version')!r}; the "
                            f"manuscript is now {tr.version!r} (export a new file)")
    units = {u.id: u for u in tr.units}
    targets, comments, seen = {}, {}, set()
    for entry in po:
        if entry.obsolete:
            continue
        ctx = entry.msgctxt or ""
        uid, _, num = ctx.rpartition("|")
        unit = units.get(uid)
        where = f"{what}: entry {ctx!r} (line {entry.linenum})"
        if unit is None or not num.isdigit() or not 1 <= int(num) <= len(unit.segments):
            raise ExchangeError(f"{where}: no such segment in the document")
        if ctx in seen:
            raise ExchangeError(f"{where}: appears twice")
        seen.add(ctx)
        seg = unit.segments[int(num) - 1]
        if parse(entry.msgid, where) != merge_text(list(seg.source)):
            raise ExchangeError(f"{where}: the source text differs from the manuscript's")
        if entry.tcomment:
            comments[(uid, seg.id)] = [c for c in entry.tcomment.split("\n") if c.strip()]
        if not entry.msgstr:
            continue
        content = parse(entry.msgstr, where)
        for t in content:
            if isinstance(t, Tag):
                code = unit.codes.get(t.id)
                if code is None:
                    raise ExchangeError(f"{where}: code {{{t.id}}} is not a code of this segment's source")
                if code.paired == (t.kind == "ph"):
                    raise ExchangeError(f"{where}: code {t.id} is written as the wrong kind of code")
        _check_codes_present(seg.source, content, where)
        state = next((f[6:] for f in entry.flags if f.startswith("state-") and f[6:] in STATES), None)
        if state is None or (state in ("machine", "memory") and "fuzzy" not in entry.flags):
            state = "translated"
        if state == "new":
            state = "translated"
        targets[(uid, seg.id)] = (content, state)
    return apply_targets(tr, targets, comments)
