"""XLIFF 2.0 for outside translators: export a translation, import it back checked.

Paired codes are `<pc>`, standalone codes `<ph>`; what the codes stand for (a link's address, a note's
id) is in `<originalData>` for the translator's tools to show, but on import it is taken from our own
source, never from the file, so a file cannot change a link. Import refuses, naming the problem and
changing nothing, a file that is not well-formed XLIFF 2.0, has a DTD or entities, is for another
document, language or source version, or whose units, segments or codes do not match the source."""
from __future__ import annotations

import re

from lxml import etree

from .pipeline import Translation
from .segments import Content, Segment, Tag, Unit, merge_text

NS = "urn:oasis:names:tc:xliff:document:2.0"
X = "{%s}" % NS
MAX_BYTES = 50 * 1024 * 1024
SUBTYPES = {"emph": ("fmt", "xlf:i"), "strong": ("fmt", "xlf:b"), "sup": ("fmt", "communique:sup"),
            "sub": ("fmt", "communique:sub"), "strike": ("fmt", "communique:strike"),
            "smallcaps": ("fmt", "communique:smallcaps"), "link": ("link", "communique:link"),
            "code": ("other", "communique:code"), "br": ("fmt", "xlf:lb"), "note": ("other", "communique:noteref"),
            "tag": ("fmt", "communique:html")}
# Our states ↔ XLIFF's four, with the finer one kept in subState.
TO_XLIFF = {"new": "initial", "machine": "initial", "memory": "initial", "stale": "initial",
            "translated": "translated", "reviewed": "reviewed", "approved": "final"}


class ExchangeError(ValueError):
    """A translation file was refused; the message names the problem."""


def xml_id(value: str) -> str:
    """Our ids as XML NMTOKENs (reversible): characters outside [A-Za-z0-9._:-] as _xHHHH_."""
    return re.sub(r"[^A-Za-z0-9.:-]|_", lambda mt: f"_x{ord(mt.group(0)):04x}_", value)


def document_key(tr: Translation) -> str:
    meta = tr.document.meta
    ident = meta.identifiers.get("isbn") or meta.identifiers.get("uuid") or ""
    return ident or re.sub(r"[^a-z0-9]+", "-", meta.title.lower()).strip("-") or "document"


def _content(parent, content: Content, unit: Unit) -> None:
    stack = [parent]
    last = None  # last element written at this depth, for tail text

    def add_text(text):
        nonlocal last
        cur = stack[-1]
        if last is not None and last.getparent() is cur:
            last.tail = (last.tail or "") + text
        elif len(cur):
            cur[-1].tail = (cur[-1].tail or "") + text
        else:
            cur.text = (cur.text or "") + text

    for x in content:
        if isinstance(x, str):
            add_text(x)
            continue
        code = unit.codes.get(x.id)
        typ, sub = SUBTYPES.get(code.type if code else "", ("other", "communique:unknown"))
        if x.kind == "open":
            el = etree.SubElement(stack[-1], X + "pc", id=x.id, type=typ, subType=sub)
            if code and code.data:
                el.set("dataRefStart", f"d{x.id}")
            stack.append(el)
            last = None
        elif x.kind == "close":
            if len(stack) > 1:
                last = stack.pop()
        else:
            el = etree.SubElement(stack[-1], X + "ph", id=x.id, type=typ, subType=sub)
            if code and code.data:
                el.set("dataRef", f"d{x.id}")
            if code and code.type == "note":
                el.set("disp", f"[{code.data}]")
            last = el


def export_xliff(tr: Translation) -> bytes:
    root = etree.Element(X + "xliff", nsmap={None: NS}, version="2.0", srcLang=tr.source, trgLang=tr.target)
    f = etree.SubElement(root, X + "file", id="f1", original=document_key(tr))
    notes = etree.SubElement(f, X + "notes")
    etree.SubElement(notes, X + "note", id="source-version", category="communique:source-version").text = tr.version
    etree.SubElement(notes, X + "note", id="title", category="communique:title").text = tr.document.meta.title
    for u in tr.units:
        ue = etree.SubElement(f, X + "unit", id=xml_id(u.id), name=u.id)
        unit_notes = [("location", u.note)] + [(f"comment:s{i + 1}", c) for i, s in enumerate(u.segments) for c in s.comments]
        unit_notes += [(f"flag:s{i + 1}", fl) for i, s in enumerate(u.segments) for fl in s.flags]
        if any(text for _, text in unit_notes):
            ne = etree.SubElement(ue, X + "notes")
            for cat, text in unit_notes:
                if text:
                    etree.SubElement(ne, X + "note", category=cat).text = text
        data_codes = [c for c in u.codes.values() if c.data]
        if data_codes:
            od = etree.SubElement(ue, X + "originalData")
            for c in data_codes:
                etree.SubElement(od, X + "data", id=f"d{c.id}").text = c.data
        for i, s in enumerate(u.segments):
            se = etree.SubElement(ue, X + "segment", id=f"s{i + 1}", state=TO_XLIFF.get(s.state, "initial"),
                                  subState=f"communique:{s.state}")
            _content(etree.SubElement(se, X + "source"), s.source, u)
            if s.target is not None:
                _content(etree.SubElement(se, X + "target"), s.target, u)
            if s.tail:
                ig = etree.SubElement(ue, X + "ignorable", id=f"i{i + 1}")
                etree.SubElement(ig, X + "source").text = s.tail
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)


# ---- import --------------------------------------------------------------------------------


def parse_xml(data: bytes, what: str):
    if len(data) > MAX_BYTES:
        raise ExchangeError(f"{what}: {len(data) // 1_000_000} MB is larger than the {MAX_BYTES // 1_000_000} MB limit")
    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:65536], re.I):
        raise ExchangeError(f"{what}: has a DOCTYPE or ENTITY declaration; translation files may not declare entities")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ExchangeError(f"{what}: not well-formed XML ({exc})") from None
    if root.getroottree().docinfo.doctype:
        raise ExchangeError(f"{what}: has a DOCTYPE; translation files may not declare entities")
    return root


def _read_content(el, unit: Unit, where: str) -> Content:
    out: Content = []
    if el.text:
        out.append(el.text)
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in (X + "pc", X + "ph"):
            raise ExchangeError(f"{where}: element <{etree.QName(child).localname}> is not allowed in a target "
                                "(only <pc> and <ph> codes of the source)")
        cid = child.get("id", "")
        code = unit.codes.get(cid)
        if code is None:
            raise ExchangeError(f"{where}: code id {cid!r} is not a code of this unit's source")
        if child.tag == X + "pc":
            if not code.paired:
                raise ExchangeError(f"{where}: code {cid} is a standalone code (<ph>) in the source, not <pc>")
            out.append(Tag("open", cid))
            out.extend(_read_content(child, unit, where))
            out.append(Tag("close", cid))
        else:
            if code.paired:
                raise ExchangeError(f"{where}: code {cid} is a paired code (<pc>) in the source, not <ph>")
            if len(child) or (child.text or "").strip():
                raise ExchangeError(f"{where}: <ph> code {cid} may not have content")
            out.append(Tag("ph", cid))
        if child.tail:
            out.append(child.tail)
    return merge_text(out)


def _check_codes_present(source: Content, target: Content, where: str):
    src = sorted((t.kind, t.id) for t in source if isinstance(t, Tag))
    tgt = sorted((t.kind, t.id) for t in target if isinstance(t, Tag))
    if src != tgt:
        missing = sorted(set(src) - set(tgt))
        extra = [t for t in tgt if tgt.count(t) > src.count(t)]
        detail = []
        if missing:
            detail.append("missing " + ", ".join(f"{k} {i}" for k, i in missing))
        if extra:
            detail.append("extra or repeated " + ", ".join(f"{k} {i}" for k, i in sorted(set(extra))))
        raise ExchangeError(f"{where}: the target's inline codes do not match the source's ({'; '.join(detail)})")


DRAFTS = {"new", "machine", "memory", "stale"}
FROM_XLIFF = {"initial": "translated", "translated": "translated", "reviewed": "reviewed", "final": "approved"}


def apply_targets(tr: Translation, targets: dict, comments: dict | None = None) -> Translation:
    """A new Translation with the given targets {(unit id, segment id): (content, state)} and comments
    {(unit id, segment id): [text]}; segments not named keep what they had, `tr` is unchanged."""
    import copy

    new = copy.deepcopy(tr)
    for u in new.units:
        for s in u.segments:
            hit = targets.get((u.id, s.id))
            if hit is not None:
                changed = hit[0] != s.target
                s.target, s.state = hit
                if changed:
                    s.origin, s.flags = "import", []
            for c in (comments or {}).get((u.id, s.id), []):
                if c not in s.comments:
                    s.comments.append(c)
    return new


def import_xliff(data: bytes, tr: Translation, what: str = "XLIFF file") -> Translation:
    root = parse_xml(data, what)
    if root.tag != X + "xliff":
        raise ExchangeError(f"{what}: not an XLIFF 2.0 file (root element {etree.QName(root).localname!r} in "
                            f"namespace {etree.QName(root).namespace!r})")
    if root.get("version") != "2.0":
        raise ExchangeError(f"{what}: XLIFF version {root.get('version')!r}; only 2.0 is read")
    if (root.get("srcLang") or "").split("-")[0].lower() != tr.source.split("-")[0].lower():
        raise ExchangeError(f"{what}: source language {root.get('srcLang')!r}, but the document is in {tr.source!r}")
    if (root.get("trgLang") or "").lower() != tr.target.lower():
        raise ExchangeError(f"{what}: for language {root.get('trgLang')!r}, not {tr.target!r}")
    files = root.findall(X + "file")
    if len(files) != 1:
        raise ExchangeError(f"{what}: expected one <file>, found {len(files)}")
    f = files[0]
    if f.get("original") != document_key(tr):
        raise ExchangeError(f"{what}: made for document {f.get('original')!r}, not {document_key(tr)!r}")
    version = f.find(f"{X}notes/{X}note[@category='communique:source-version']")
    if version is None or (version.text or "").strip() != tr.version:
        found = (version.text or "").strip() if version is not None else "none"
        raise ExchangeError(f"{what}: made from source version {found!r}; the manuscript is now {tr.version!r} "
                            "(export a new file)")
    units = {xml_id(u.id): u for u in tr.units}
    targets: dict[tuple[str, str], tuple[Content, str]] = {}
    comments: dict[tuple[str, str], list[str]] = {}
    seen = set()
    for ue in f:
        if not isinstance(ue.tag, str) or ue.tag == X + "notes":
            continue
        if ue.tag != X + "unit":
            raise ExchangeError(f"{what}: unexpected element <{etree.QName(ue).localname}> in <file>")
        uid = ue.get("id", "")
        unit = units.get(uid)
        if unit is None:
            raise ExchangeError(f"{what}: unit {uid!r} is not in the document")
        if uid in seen:
            raise ExchangeError(f"{what}: unit {uid!r} appears twice")
        seen.add(uid)
        segs = {f"s{i + 1}": s for i, s in enumerate(unit.segments)}
        for note in ue.findall(f"{X}notes/{X}note"):
            cat = note.get("category") or ""
            if cat.startswith("comment:") and cat[8:] in segs and (note.text or "").strip():
                comments.setdefault((unit.id, segs[cat[8:]].id), []).append(note.text.strip())
        for se in ue.findall(X + "segment"):
            sid = se.get("id", "")
            seg: Segment | None = segs.get(sid)
            where = f"{what}: unit {unit.id} segment {sid}"
            if seg is None:
                raise ExchangeError(f"{where}: no such segment in the document")
            src_el = se.find(X + "source")
            if src_el is None or _read_content(src_el, unit, where) != merge_text(list(seg.source)):
                raise ExchangeError(f"{where}: the source text differs from the manuscript's")
            tgt_el = se.find(X + "target")
            if tgt_el is None:
                continue
            content = _read_content(tgt_el, unit, where)
            _check_codes_present(seg.source, content, where)
            sub = (se.get("subState") or "").removeprefix("communique:")
            state = sub if sub in TO_XLIFF and TO_XLIFF[sub] == se.get("state", "initial") else \
                FROM_XLIFF.get(se.get("state", "initial"), "translated")
            if state == "new":
                state = "translated"  # exported empty, written by a person
            targets[(unit.id, seg.id)] = (content, state)
    return apply_targets(tr, targets, comments)
