"""Articles (and any wagtail-localize translatable page) through the translation desk.

The page's text is wagtail-localize's: its `TranslationSource` cuts the page into strings (title,
standfirst, each rich-text block, captions …), and the translated page is written by
wagtail-localize (`Translation.save_target`), so the editor's own translation screen shows and
edits the same work. This module turns those strings into the desk's units (sentences with
protected codes), runs memory → glossary → machine and the QA checks over them, and stores the
results as `StringTranslation`s:

- machine and memory drafts are stored as machine translations and the page is saved as a **draft**
  (never published by this module: an editor publishes in the admin after review);
- a segment whose codes came back changed is stored with `has_error`, so wagtail-localize leaves the
  source text in its place and its editor shows the problem;
- XLIFF 2.0 and PO files go out and come back through the same exchange code as books.

A page is found by id or by its URL path ("/en/oped/slug/" or "/oped/slug/")."""
from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass, field

from django.db import transaction

from communique.documents import model as dm

from . import pipeline, qa
from .languages import canonical
from .segments import Content, InlineCode, Tag, Unit, join_segments, merge_text, source_version, split_content

# Stays as in the source in every language (synchronised, not translated).
SYNCHRONISED = {"slug"}
_TOKEN = re.compile(r"<[^<>]+>|\[\^[^\]\s]+\]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
_PAIRED_TAGS = {"b": "strong", "strong": "strong", "i": "emph", "em": "emph", "a": "link", "sup": "sup",
                "sub": "sub", "s": "strike", "strike": "strike"}


class ArticleError(ValueError):
    """The page or the request cannot be handled; the message names the problem."""


# ---- finding the page -------------------------------------------------------------------------


def find_page(ref):
    """A translatable page by id ("12") or URL path ("/en/oped/slug/", "/oped/slug/")."""
    from wagtail.models import Locale, Page, Site

    ref = str(ref).strip()
    if ref.isdigit():
        page = Page.objects.filter(pk=int(ref)).first()
        if page is None:
            raise ArticleError(f"no page with id {ref}")
        return page.specific
    if not ref.startswith("/"):
        raise ArticleError(f"{ref!r} is neither a page id nor a URL path (it must start with '/')")
    parts = [p for p in ref.split("/") if p]
    locale = None
    if parts:
        locale = Locale.objects.filter(language_code__iexact=parts[0]).first()
        if locale is not None:
            parts = parts[1:]
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first() or Site.objects.first()
    if site is None:
        raise ArticleError("no site is set up, so a URL path cannot be resolved")
    root = site.root_page
    if locale is not None:
        root = root.get_translation_or_none(locale) or root
    url_path = root.url_path + "".join(f"{p}/" for p in parts)
    page = Page.objects.filter(url_path=url_path, locale=root.locale).first()
    if page is None:
        raise ArticleError(f"no page at {ref} (looked for {url_path!r})")
    return page.specific


# ---- wagtail-localize strings ↔ the desk's units -------------------------------------------------


def _content(data: str) -> tuple[Content, dict[str, InlineCode]]:
    """A wagtail-localize string (HTML with `<b>`, `<a id="a1">`, `<br>`) and `[^note]` markers as
    content with codes: the tags and markers cannot be changed by an engine or a translator."""
    codes: dict[str, InlineCode] = {}
    content: Content = []
    stack: list[tuple[str, str]] = []
    pos = 0
    for mt in _TOKEN.finditer(data):
        if mt.start() > pos:
            content.append(htmlmod.unescape(data[pos:mt.start()]))
        pos = mt.end()
        token = mt.group(0)
        name = re.match(r"</?\s*([a-zA-Z0-9]+)", token)
        name = name.group(1).lower() if name else ""
        if token.startswith("[^"):
            cid = str(len(codes) + 1)
            codes[cid] = InlineCode(cid, "note", token[2:-1])
            content.append(Tag("ph", cid))
        elif token.startswith("</") and stack and stack[-1][0] == name:
            content.append(Tag("close", stack.pop()[1]))
        elif not token.startswith("</") and not token.endswith("/>") and name in _PAIRED_TAGS:
            cid = str(len(codes) + 1)
            codes[cid] = InlineCode(cid, _PAIRED_TAGS[name], token)
            stack.append((name, cid))
            content.append(Tag("open", cid))
        else:
            cid = str(len(codes) + 1)
            codes[cid] = InlineCode(cid, "br" if name == "br" else "tag", token)
            content.append(Tag("ph", cid))
    if pos < len(data):
        content.append(htmlmod.unescape(data[pos:]))
    if stack:
        raise ArticleError(f"unbalanced markup in {data[:80]!r}")
    return merge_text(content), codes


def _html(content: Content, codes: dict[str, InlineCode]) -> str:
    out = []
    for x in content:
        if isinstance(x, str):
            out.append(htmlmod.escape(x, quote=False))
            continue
        code = codes[x.id]
        if x.kind == "open":
            out.append(code.data)
        elif x.kind == "close":
            out.append("</" + _TAG_NAME.match(code.data).group(1) + ">")
        elif code.type == "note":
            out.append(f"[^{code.data}]")
        else:
            out.append(code.data)
    return "".join(out)


@dataclass
class ArticleWork:
    """One page in one target language: the desk's Translation over the page's strings, and the
    wagtail-localize rows it maps to."""

    page: object
    source: object  # wagtail_localize TranslationSource
    translation: object  # wagtail_localize Translation
    tr: pipeline.Translation
    rows: dict[str, object] = field(default_factory=dict)  # unit id → StringSegment
    synced: list[object] = field(default_factory=list)  # StringSegments kept as in the source

    @property
    def language(self) -> str:
        return self.tr.target


def _document_for(page, language: str) -> dm.Document:
    # Only what exchange files need to name the document: its key (the page's translation key,
    # the same for every language) and its title.
    code = page.locale.language_code if getattr(page, "locale_id", None) else "en"
    return dm.Document(meta=dm.Metadata(title=page.title, language=code,
                                        identifiers={"uuid": f"page-{page.translation_key}"}))


def _locale(language: str):
    from wagtail.models import Locale

    from communique.documents import languages as registry

    code = canonical(language)
    web = registry.lookup(code).web_code
    locale = Locale.objects.filter(language_code__iexact=web).first() or \
        Locale.objects.filter(language_code__iexact=code).first()
    if locale is None:
        raise ArticleError(f"the site has no {code} locale (add it under Settings → Locales)")
    return code, locale


def _source_page(page):
    """Work always starts from the page in the language it was written in."""
    from wagtail_localize.models import TranslationSource

    src = TranslationSource.objects.filter(object_id=page.translation_key).order_by("created_at").first()
    if src is not None and src.locale_id != page.locale_id:
        return src.get_source_instance().specific
    return page


def start(page, language: str) -> ArticleWork:
    """Bring the page's wagtail-localize source up to date and read its strings (and what is
    already translated) as the desk's units."""
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

    page = _source_page(page.specific)
    code, locale = _locale(language)
    if locale.pk == page.locale_id:
        raise ArticleError(f"“{page.title}” is already in {code}")
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    segments = list(StringSegment.objects.filter(source=source).select_related("context", "string").order_by("order"))
    existing = {(t.translation_of_id, t.context_id): t for t in StringTranslation.objects.filter(
        locale=locale, translation_of_id__in=[s.string_id for s in segments])}
    units, rows, synced = [], {}, []
    for seg in segments:
        path = seg.context.path
        if path.rsplit(".", 1)[-1] in SYNCHRONISED:
            synced.append(seg)
            continue
        content, codes = _content(seg.string.data)
        uid = path if path not in rows else f"{path}#{seg.order}"
        segs = [pipeline_segment(f"{uid}/s{i + 1}", body, tail) for i, (body, tail) in enumerate(split_content(content))]
        unit = Unit(uid, "inline" if codes else "plain", segs, codes, note=f"{page.title}: {path}")
        done = existing.get((seg.string_id, seg.context_id))
        if done is not None and not done.has_error:
            _fill(unit, done)
        units.append(unit)
        rows[uid] = seg
    tr = pipeline.Translation(_document_for(page, code), code, units, source_version(units))
    return ArticleWork(page, source, translation, tr, rows, synced)


def pipeline_segment(sid, body, tail):
    from .segments import Segment

    return Segment(sid, body, tail=tail)


def _fill(unit: Unit, done) -> None:
    """A stored translation of the whole string goes back on its unit (one target for the unit,
    kept on the first segment, so exports show it and nothing is translated twice)."""
    try:
        content, codes = _content(done.data)
    except ArticleError:
        return
    by_data = {c.data: cid for cid, c in unit.codes.items()}
    mapping = {cid: by_data.get(c.data) for cid, c in codes.items()}
    if None in mapping.values():
        return
    target = [x if isinstance(x, str) else Tag(x.kind, mapping[x.id]) for x in content]
    state = "machine" if done.translation_type == "machine" else "translated"
    first, *rest = unit.segments
    first.target, first.state, first.origin = target, state, done.tool_name or "stored"
    for s in rest:
        s.target, s.state, s.origin = [], state, first.origin
    if rest:
        first.tail = ""
        for s in rest:
            s.tail = ""


# ---- storing -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    page: object
    language: str
    translated_page: object | None
    stored: int
    flagged: list[dict]
    report: qa.Report
    total_units: int

    def summary(self) -> str:
        return (f"{self.language}: {self.stored}/{self.total_units} strings stored, {len(self.flagged)} flagged, "
                f"{len(self.report.errors)} QA error(s); saved as a draft of page {getattr(self.translated_page, 'pk', '?')}"
                " (an editor reviews and publishes it)")


@transaction.atomic
def store(work: ArticleWork, *, user=None, tool: str = "", glossary=None) -> Outcome:
    """Write every fully translated unit as a StringTranslation (machine/memory drafts as machine,
    people's work as manual; changed codes as errors) and save the page as a draft through
    wagtail-localize. All or nothing."""
    from wagtail_localize.models import StringTranslation

    report = work.tr.check(glossary)
    locale = work.translation.target_locale
    stored, flagged = 0, []
    for seg in work.synced:
        StringTranslation.objects.update_or_create(
            translation_of_id=seg.string_id, locale=locale, context_id=seg.context_id,
            defaults={"data": seg.string.data, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                      "tool_name": "", "last_translated_by": user, "has_error": False, "field_error": ""})
    for unit in work.tr.units:
        if any(s.target is None for s in unit.segments):
            continue
        seg = work.rows[unit.id]
        content = join_segments(unit.segments, "target")
        states = {s.state for s in unit.segments}
        machine = bool(states & {"machine", "memory"})
        problems = [f for s in unit.segments for f in s.flags if "code" in f.lower()]
        problems += [i.message for i in report.issues if i.severity == "error" and i.check == "codes"
                     and (i.unit == unit.id or i.segment.startswith(unit.id + "/"))]
        if problems:
            flagged.append({"unit": unit.id, "flags": problems})
        origin = next((s.origin for s in unit.segments if s.origin), tool)
        StringTranslation.objects.update_or_create(
            translation_of_id=seg.string_id, locale=locale, context_id=seg.context_id,
            defaults={"data": _html(content, unit.codes),
                      "translation_type": (StringTranslation.TRANSLATION_TYPE_MACHINE if machine
                                           else StringTranslation.TRANSLATION_TYPE_MANUAL),
                      "tool_name": (origin or tool)[:255] if machine else "",
                      "last_translated_by": user, "has_error": bool(problems),
                      "field_error": "; ".join(dict.fromkeys(problems))[:2000]})
        stored += 1
    work.translation.save_target(user=user, publish=False)
    target = work.source.get_translated_instance(locale)
    return Outcome(work.page, work.language, target, stored, flagged, report, len(work.tr.units))


# ---- what the CLI and jobs call --------------------------------------------------------------


def translate(page, language: str, engine=None, *, user=None, memory: bool = True, glossary: bool = True) -> Outcome:
    """Pre-translate one page: memory first (exact, then fuzzy), then the engine; stored as a draft."""
    from . import services

    work = start(page, language)
    source = work.tr.source
    gl = services.glossary_for(source, work.language) if glossary else None
    mem = services.memory_for(source, work.language) if memory else None
    pipeline.machine_translate(work.tr, engine, glossary=gl, memory=mem)
    return store(work, user=user, tool=getattr(engine, "name", engine or ""), glossary=gl)


def export(page, language: str, fmt: str = "xliff") -> bytes:
    from . import po, xliff

    work = start(page, language)
    return xliff.export_xliff(work.tr) if fmt == "xliff" else po.export_po(work.tr)


def import_file(page, data: bytes, what: str = "file", *, user=None) -> Outcome:
    """A translator's XLIFF or PO file for the page: checked against the page's current text
    (document, language, version, codes) before anything is stored."""
    from . import po, services, xliff
    from .xliff import ExchangeError

    head = data[:4096].decode("utf-8", "replace")
    mt = re.search(r'trgLang="([^"]+)"', head) or re.search(r'"Language: ([^\\"]+)\\n"', head)
    if not mt:
        raise ExchangeError(f"{what}: names no target language (XLIFF trgLang or PO 'Language' header)")
    work = start(page, mt.group(1))
    is_xml = data.lstrip()[:1] == b"<"
    work.tr = xliff.import_xliff(data, work.tr, what) if is_xml else po.import_po(data, work.tr, what)
    return store(work, user=user, tool="import",
                 glossary=services.glossary_for(work.tr.source, work.language))


def pages_of(container) -> list:
    """The articles a bulk job works on: a section's articles, a print issue's articles (in the
    issue's order), or the page itself."""
    container = container.specific
    if hasattr(container, "issue_articles"):
        return [link.article.specific for link in container.issue_articles.all().select_related("article")]
    if hasattr(container, "articles") and callable(container.articles):
        return [p.specific for p in container.get_children().specific()
                if hasattr(p, "body")] or list(container.articles())
    return [container]


def remember(page, language: str) -> int:
    """Put people's translations of the page (not machine drafts, not flagged ones) into the shared
    memory, so the next article pre-fills from them. Called when an editor publishes the
    translation; returns the entries written. Whole strings are remembered: a one-sentence string
    (titles, captions, most headings) is then an exact match for the same sentence anywhere."""
    from .memory import _relabel, normalise
    from .models import MemoryEntry
    from .segments import content_json
    from .services import _key

    work = start(page, language)
    written = 0
    for unit in work.tr.units:
        if not unit.segments or any(s.target is None or s.state != "translated" for s in unit.segments):
            continue
        source = join_segments(unit.segments, "source")
        text, mapping = normalise(source)
        if not text:
            continue
        target = content_json(_relabel(join_segments(unit.segments, "target"), mapping))
        MemoryEntry.objects.update_or_create(source_language=work.tr.source, target_language=work.language,
                                             key=_key(text), defaults={"source_text": text, "target": target})
        written += 1
    return written
