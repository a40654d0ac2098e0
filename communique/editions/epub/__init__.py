"""EPUB 3 writer (with an EPUB 2 NCX for Kindle), validated by EPUBCheck in the tests.

`EpubWriter().write(document, output_path, options) -> BuildReport`. Options:
  embed_fonts (True)       embed the Noto faces for the book's language (communique.editions.fonts)
  toc_depth (2)            levels in the nav/NCX; Kindle shows two
  generate_cover (True)    draw a plain typographic cover when the metadata has no cover image
  max_image_side (3200)    larger images are scaled down, with a warning
  modified ("")            dcterms:modified; otherwise metadata.modified, metadata.date, then now
  toc_title                the contents' heading; default: the language's label (documents/labels.py)
  subset_fonts (True)      keep only the glyphs the book uses (about 40 KB a face instead of 600 KB,
                           a few hundred KB instead of 4 MB for CJK; Kindle's 70% plan charges
                           delivery by the megabyte) at ~0.5 s a face; False embeds whole faces
  theme ("classic")        interior theme (editions/themes.py): chapter openings and scene breaks
"""
from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from communique.documents.index_nodes import iter_marks
from communique.documents.labels import labels_for
from communique.documents.languages import normalise_language
from communique.documents.model import Division, Document, Heading, Image, direction_for, plain_text
from communique.editions import themes
from communique.editions.fonts import fonts_for
from communique.editions.registry import BuildReport

from .ocf import DEFLATED, STORED, OcfWriter, deflate_async, deflate_file_cached
from .images import DEFAULT_MAX_SIDE, ImageProblem, PreparedImage, prepare_image
from .package import (
    CONTAINER_XML,
    ManifestItem,
    TocEntry,
    _trim,
    ncx_document,
    opf_document,
    stylesheet,
)
from .package import nav_document
from .xhtml import Renderer, attr, esc, html_document, make_id

__all__ = ["EpubWriter", "write_epub"]

# epub:type (EPUB Structural Semantics) and ARIA DPUB role for each division kind.
EPUB_TYPES = {
    "halftitlepage": ("halftitlepage", ""),
    "seriespage": ("seriespage", ""),
    "titlepage": ("titlepage", ""),
    "copyright-page": ("copyright-page", ""),
    "dedication": ("dedication", "doc-dedication"),
    "epigraph": ("epigraph", "doc-epigraph"),
    "foreword": ("foreword", "doc-foreword"),
    "preface": ("preface", "doc-preface"),
    "introduction": ("introduction", "doc-introduction"),
    "part": ("part", "doc-part"),
    "chapter": ("chapter", "doc-chapter"),
    "article": ("chapter", "doc-chapter"),
    "afterword": ("afterword", "doc-afterword"),
    "acknowledgments": ("acknowledgments", "doc-acknowledgments"),
    "appendix": ("appendix", "doc-appendix"),
    "notes": ("endnotes", "doc-endnotes"),
    "bibliography": ("bibliography", "doc-bibliography"),
    "index": ("index", "doc-index"),
    "about-the-author": ("backmatter", ""),
}
# Pages named after their kind rather than numbered (d001.xhtml …), so links into them stay stable.
PAGE_FILES = {"halftitlepage": "halftitle", "seriespage": "also-by", "titlepage": "titlepage",
              "copyright-page": "copyright"}
# Matter kept out of the contents (the landmarks point at the title page).
NOT_IN_CONTENTS = {"halftitlepage", "titlepage", "copyright-page", "toc"}
_W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class _Page:
    href: str  # relative to EPUB/, e.g. "text/c003.xhtml"
    item_id: str
    title: str
    kind: str
    division: Division | None = None
    xml_id: str = ""
    toc: list[TocEntry] = field(default_factory=list)
    linear: bool = True
    label: str = ""  # its name in the landmarks


def _iso_modified(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        if _W3CDTF.match(value):
            parts = [int(p) for p in value.split("-")] + [1, 1]
            stamp = dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.timezone.utc)
        else:
            stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dc_date(value: str) -> str | None:
    """dc:date in W3CDTF: a date as given, or a date and time normalised to UTC with a Z
    (a time without a zone draws an EPUBCheck warning)."""
    value = (value or "").strip()
    if not value:
        return None
    if _W3CDTF.match(value):
        return value
    return _iso_modified(value)


class EpubWriter:
    format = "epub"

    def write(self, document: Document, output_path, options: dict | None = None) -> BuildReport:
        return write_epub(document, output_path, options)


def write_epub(document: Document, output_path, options: dict | None = None) -> BuildReport:
    started = time.perf_counter()
    options = dict(options or {})
    output_path = Path(output_path)
    report = BuildReport(output_path=output_path, format="epub")
    _Build(document, output_path, options, report).run()
    report.seconds = time.perf_counter() - started
    return report


class _Build:
    def __init__(self, document: Document, output_path: Path, options: dict, report: BuildReport):
        self.doc = document
        self.meta = document.meta
        self.out = output_path
        self.options = options
        self.report = report
        self.lang = normalise_language(self.meta.language or "en")
        self.labels = labels_for(self.lang)  # only for the writer's own cover page's name
        self.theme = themes.get(options.get("theme"))
        self.dir = direction_for(self.lang)
        self.files: list[tuple[str, bytes | str]] = []  # (path in zip, content)
        self.items: list[ManifestItem] = []
        self.spine: list[ManifestItem] = []

    # ------------------------------------------------------------------------------------
    def run(self) -> None:
        meta = self.meta
        title = meta.title.strip()
        if not title:
            title = "Untitled"
            self.report.warn("metadata", "the book has no title; 'Untitled' used")
        self.title = title
        self.uid = self._identifier()
        self.modified = (
            _iso_modified(self.options.get("modified", ""))
            or _iso_modified(meta.modified)
            or _iso_modified(meta.date)
            or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        self.date = _dc_date(meta.date)
        if meta.date and not self.date:
            self.report.warn("metadata", f"date {meta.date!r} is not an ISO 8601 date; left out of the package")

        # Start deflating the fonts now; they are ready by the time the text is rendered.
        self.faces = self._faces()
        self.subset = bool(self.options.get("subset_fonts", True))
        self.used_chars: set[str] = set()
        self.font_jobs = [] if self.subset else [deflate_file_cached(f.path) for f in self.faces]
        self.images: dict[str, tuple[str | None, PreparedImage | None]] = {}
        self._prepare_images()
        cover_href = self._cover()

        pages = self._plan_pages(cover_href is not None)
        anchors, heading_ids = self._assign_anchors(pages)
        renderer = Renderer(self.doc, self.images, anchors, self.report)
        renderer.heading_ids = heading_ids

        # The contents' heading is the toc division's title (the matter transform's, in the book's
        # language); a document without one still has a navigation document, outside the spine.
        nav_page = next((p for p in pages if p.kind == "nav"), None)
        toc_title = self.options.get("toc_title") or (nav_page.title if nav_page else "") or self.title
        body_pages = []
        for page in pages:
            if page.kind == "nav":
                continue
            renderer.file = page.href.rsplit("/", 1)[-1]
            renderer.where = page.title or page.kind
            content = self._render_page(page, renderer, cover_href)
            body_pages.append(page)
            if len(content) > 16384:
                if self.subset:
                    self.used_chars.update(content)
                content = deflate_async(content.encode("utf-8"))
            elif self.subset:
                self.used_chars.update(content)
            self._add(page.href, page.item_id, "application/xhtml+xml", content, spine=True, linear=page.linear)

        unused = [nid for nid in self.doc.notes if nid not in renderer.note_number]
        if unused:
            self.report.warn("notes", f"{len(unused)} note(s) never referenced in the text were left out: {', '.join(unused[:10])}")

        # Navigation: the nav doc is also the HTML contents page in the spine.
        toc_entries = _trim([e for p in pages for e in p.toc], int(self.options.get("toc_depth", 2)))
        if not toc_entries:
            # An empty <ol> is invalid in the nav document; a book with no divisions still has a title page.
            title_page = next((p for p in pages if p.kind == "titlepage"), pages[0] if pages else None)
            if title_page is None:
                raise ValueError("the document has no content to put in an EPUB")
            toc_entries = [TocEntry(self.title, title_page.href)]
        landmarks = []
        if cover_href:
            landmarks.append(("cover", "text/cover.xhtml", self.labels["cover"]))
        title_page = next((p for p in pages if p.kind == "titlepage"), None)
        if title_page:
            landmarks.append(("titlepage", title_page.href, title_page.label or title_page.title))
        if nav_page is not None:  # a landmark must point into the spine
            landmarks.append(("toc", "nav.xhtml#toc", toc_title))
        first_body = next((p for p in pages if p.division is not None and p.division.matter == "body"), None)
        if first_body:
            landmarks.append(("bodymatter", first_body.href + "#" + first_body.xml_id, "Start of content"))
        nav = nav_document(lang=self.lang, direction=self.dir, toc_title=toc_title, entries=toc_entries,
                           landmarks=landmarks)
        nav_item = ManifestItem("nav", "nav.xhtml", "application/xhtml+xml", "nav")
        self.files.append(("EPUB/nav.xhtml", nav))
        self.items.append(nav_item)
        if nav_page is not None:
            # spine currently has every page but nav, in page order: insert nav at its planned place.
            self.spine.insert(pages.index(nav_page), nav_item)

        ncx = ncx_document(uid=self.uid, title=self.title, lang=self.lang, entries=toc_entries)
        self._add("EPUB/toc.ncx", "ncx", "application/x-dtbncx+xml", ncx)

        faces = self.faces
        if self.subset:
            from .subset import subset_font

            self.used_chars.update(nav)
            self.font_jobs = []
            for face in faces:
                data = subset_font(face.path, self.used_chars)
                self.font_jobs.append(deflate_async(data))
        for i, (face, job) in enumerate(zip(faces, self.font_jobs), 1):
            self._add(f"EPUB/fonts/{face.filename}", f"font-{i}", face.media_type, job)
        self._add("EPUB/styles/book.css", "css", "text/css",
                  stylesheet(self.lang, self.dir, faces) + "\n" + themes.epub_css(self.theme, self.lang))

        a11y = self._accessibility(renderer)
        opf = opf_document(
            meta=self._meta_for_opf(), uid=self.uid, lang=self.lang, direction=self.dir, modified=self.modified,
            items=self.items, spine=self.spine, a11y=a11y, date=self.date,
            cover_id="cover-image" if cover_href else None,
        )
        self.files.append(("EPUB/package.opf", opf))
        self._zip()
        self.report.stats.update(
            pages=len(pages), notes=len(renderer.note_number), images=renderer.images_rendered,
            fonts=len(faces), identifier=self.uid, language=self.lang, direction=self.dir,
        )

    # ------------------------------------------------------------------------------------
    def _faces(self):
        if not self.options.get("embed_fonts", True):
            return []
        # Headings are bold, so the regular sans face would never be used.
        return [f for f in fonts_for(self.lang) if f.role == "body" or f.weight == "bold"]

    def _identifier(self) -> str:
        ids = self.meta.identifiers
        isbn = re.sub(r"[^0-9Xx]", "", ids.get("isbn", ""))
        if isbn:
            return f"urn:isbn:{isbn}"
        if ids.get("uuid"):
            try:
                return f"urn:uuid:{uuid.UUID(ids['uuid'])}"
            except ValueError:
                self.report.warn("metadata", f"identifier uuid {ids['uuid']!r} is not a UUID; one was derived")
        # Derived from the metadata so rebuilding the same book keeps its identity.
        seed = "|".join([self.title, *(c.name for c in self.meta.contributors), self.meta.date, self.lang])
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'communique:' + seed)}"

    def _meta_for_opf(self):
        from copy import copy

        m = copy(self.meta)
        m.title = self.title
        m.identifiers = {k: re.sub(r"[^0-9Xx]", "", v) if k == "isbn" else v for k, v in self.meta.identifiers.items()}
        return m

    def _add(self, path, item_id, media_type, content, properties="", spine=False, linear=True):
        href = path[len("EPUB/"):] if path.startswith("EPUB/") else path
        item = ManifestItem(item_id, href, media_type, properties, spine, linear)
        self.items.append(item)
        self.files.append((path if path.startswith("EPUB/") else "EPUB/" + path, content))
        if spine:
            self.spine.append(item)
        return item

    # ---- images -------------------------------------------------------------------------
    def _prepare_images(self) -> None:
        max_side = int(self.options.get("max_image_side", DEFAULT_MAX_SIDE))
        blocks = [b for _, b in self.doc.walk_blocks() if isinstance(b, Image)]
        for note_blocks in self.doc.notes.values():
            blocks.extend(b for b in note_blocks if isinstance(b, Image))
        n = 0
        for b in blocks:
            key = str(b.path)
            if key in self.images:
                continue
            where = f"image {b.path}"
            try:
                prepared, notes = prepare_image(Path(b.path), max_side)
            except ImageProblem as exc:
                self.images[key] = (None, None)
                kept = "its caption kept" if b.caption else "no caption to keep"
                self.report.warn(where, f"left out: {exc}; {kept}")
                continue
            for note in notes:
                self.report.warn(where, note)
            n += 1
            href = f"images/img{n:03d}.{prepared.extension}"
            self._add("EPUB/" + href, f"img{n:03d}", prepared.media_type, prepared.data)
            self.images[key] = (href, prepared)

    def _cover(self) -> str | None:
        cover = self.meta.cover_image
        prepared = None
        if cover:
            try:
                prepared, notes = prepare_image(Path(cover), max(DEFAULT_MAX_SIDE, 2560))
                for note in notes:
                    self.report.warn("cover", note)
            except ImageProblem as exc:
                self.report.warn("cover", f"cover image {cover} left out: {exc}")
        if prepared is None and self.options.get("generate_cover", True):
            from .cover import draw_cover

            try:
                prepared = draw_cover(self.title, self.meta.subtitle, [c.name for c in self.meta.authors],
                                      self.lang, self.dir)
            except Exception as exc:  # a cover is worth a warning, not a failed build
                self.report.warn("cover", f"could not draw a cover: {exc}")
                prepared = None
        if prepared is None:
            return None
        href = f"images/cover.{prepared.extension}"
        self._add("EPUB/" + href, "cover-image", prepared.media_type, prepared.data, properties="cover-image")
        self.cover_prepared = prepared
        return href

    # ---- planning -----------------------------------------------------------------------
    def _plan_pages(self, has_cover: bool) -> list[_Page]:
        """A page per top-level division (parts hold their chapters' pages after them), in the
        document's order; the navigation document stands where the document has its contents."""
        pages: list[_Page] = []
        if has_cover:
            pages.append(_Page("text/cover.xhtml", "cover", self.labels["cover"], "cover"))
        n = 0
        named: set[str] = set()
        for d in self.doc.walk_divisions():
            if d.kind == "toc":
                if d.blocks:
                    self.report.warn("structure", "the manuscript's own table of contents was replaced by a generated one")
                if not any(p.kind == "nav" for p in pages):
                    pages.append(_Page("nav.xhtml", "nav", d.title or d.label or self.title, "nav"))
                continue
            fallback = d.kind.replace("-", " ").capitalize()
            title = d.title or d.label or fallback
            stem = PAGE_FILES.get(d.kind)
            if stem and stem not in named:
                named.add(stem)
                pages.append(_Page(f"text/{stem}.xhtml", stem, title, d.kind, d, make_id(d.id, stem),
                                   label=d.label))
                continue
            n += 1
            pages.append(_Page(f"text/d{n:03d}.xhtml", f"d{n:03d}", title, d.kind, d,
                               make_id(d.id, f"d{n:03d}"), label=d.label))
        return pages

    def _assign_anchors(self, pages):
        anchors: dict[str, str] = {}
        heading_ids: dict[int, str] = {}
        used: set[str] = set()
        entry_for_div: dict[int, TocEntry] = {}
        parent_of = {id(c): p for p in self.doc.walk_divisions() for c in p.children}
        for page in pages:
            d = page.division
            file = page.href.rsplit("/", 1)[-1]
            if d is None:
                continue
            xml_id = page.xml_id
            while xml_id in used:
                xml_id += "-x"
            page.xml_id = xml_id
            used.add(xml_id)
            if d.id:
                anchors[d.id] = f"{file}#{xml_id}"
            entry = TocEntry(page.title, f"{page.href}#{xml_id}")
            entry_for_div[id(d)] = entry
            for mark in iter_marks(d.blocks):  # the back-of-book index links to these
                anchors[mark.id] = f"{file}#{mark.id}"
                used.add(mark.id)
            k = 0
            for b in d.blocks:
                if isinstance(b, Heading):
                    k += 1
                    hid = make_id(b.id, f"{xml_id}-s{k}")
                    while hid in used:
                        hid += "-x"
                    used.add(hid)
                    heading_ids[id(b)] = hid
                    if b.id:
                        anchors[b.id] = f"{file}#{hid}"
                    if b.level == 1:
                        text = plain_text(b.children).strip()
                        if text:
                            entry.children.append(TocEntry(text, f"{page.href}#{hid}"))
            # A part's chapters nest under it in the contents.
            parent = parent_of.get(id(d))
            if parent is not None and id(parent) in entry_for_div:
                entry_for_div[id(parent)].children.append(entry)
            elif d.kind not in NOT_IN_CONTENTS:
                page.toc = [entry]
        return anchors, heading_ids

    # ---- pages --------------------------------------------------------------------------
    def _render_page(self, page: _Page, r: Renderer, cover_href) -> str:
        kind = page.kind
        if kind == "cover":
            prepared = self.cover_prepared
            body = (
                f'<section class="cover" epub:type="cover"><img src="../{cover_href}" '
                f'alt="{attr("Cover: " + self.title)}" width="{prepared.width}" height="{prepared.height}"/></section>'
            )
            return html_document(lang=self.lang, direction=self.dir, title=self.title, body=body,
                                 body_attrs=' epub:type="frontmatter"')
        d = page.division
        epub_type, role = EPUB_TYPES.get(d.kind, ("chapter", "doc-chapter"))
        role_attr = f' role="{role}"' if role else ""
        head = []
        if d.section_label:
            head.append(f'<p class="section-label">{esc(d.section_label)}</p>')
        if d.title:
            head.append(f"<h1>{esc(d.title)}</h1>")
        if d.subtitle:
            head.append(f'<p class="subtitle">{esc(d.subtitle)}</p>')
        for c in d.contributors:
            head.append(f'<p class="byline">{esc(c.name)}</p>')
            if c.role_line:
                head.append(f'<p class="role-line">{esc(c.role_line)}</p>')
        label = "" if d.title else f' aria-label="{attr(page.title)}"'
        cls = f' class="{attr(d.kind)}"' if d.matter != "body" else ""
        body_html = r.blocks(d.blocks)
        bios = [c for c in d.contributors if c.bio]
        if bios:
            body_html += '\n<div class="contributors">' + "".join(
                f"<p><strong>{esc(c.name)}</strong>" + (f", {esc(c.role_line)}" if c.role_line else "")
                + f". {esc(c.bio)}</p>" for c in bios) + "</div>"
        header = ("<header>" + "".join(head) + "</header>\n") if len(head) > 1 else ("".join(head) + "\n" if head else "")
        section = (
            f'<section id="{page.xml_id}" epub:type="{epub_type}"{role_attr}{cls}{label}>\n'
            f"{header}{body_html}\n</section>"
        )
        notes = r.flush_notes()
        return self._page(page.title, section + ("\n" + notes if notes else ""), d.matter + "matter")

    def _page(self, title, body, matter) -> str:
        return html_document(lang=self.lang, direction=self.dir, title=title, body=body,
                             body_attrs=f' epub:type="{matter}"')

    # ---- accessibility -------------------------------------------------------------------
    def _accessibility(self, r: Renderer) -> list[tuple[str, str]]:
        has_images = r.images_rendered > 0
        all_alt = r.alt_missing == 0
        props = [("schema:accessMode", "textual")]
        if has_images:
            props.append(("schema:accessMode", "visual"))
        if all_alt:
            props.append(("schema:accessModeSufficient", "textual"))
        if has_images:
            props.append(("schema:accessModeSufficient", "textual,visual"))
        for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability"):
            props.append(("schema:accessibilityFeature", feature))
        if has_images and all_alt:
            props.append(("schema:accessibilityFeature", "alternativeText"))
        props.append(("schema:accessibilityHazard", "none"))
        conforms = all_alt and r.tables_without_headers == 0
        summary = self.meta.accessibility_summary or self._summary(has_images, all_alt, r, conforms)
        props.append(("schema:accessibilitySummary", summary))
        if conforms:
            props.append(("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"))
            props.append(("a11y:certifiedBy", self.meta.publisher or "Communiqué (self-assessed)"))
        else:
            reasons = []
            if not all_alt:
                reasons.append(f"{r.alt_missing} image(s) without alt text")
            if r.tables_without_headers:
                reasons.append(f"{r.tables_without_headers} table(s) without header cells")
            self.report.warn("accessibility", "no WCAG conformance claimed: " + "; ".join(reasons))
        return props

    def _summary(self, has_images, all_alt, r, conforms) -> str:
        s = ("Reflowable text with a navigable table of contents, structured headings, and "
             "linked footnotes that return to the text. Publisher fonts can be turned off.")
        if has_images:
            s += " All images have text alternatives." if all_alt else " Some images lack text alternatives."
        if not conforms:
            s += " This publication does not claim WCAG conformance."
        return s

    # ---- zip ----------------------------------------------------------------------------
    def _zip(self) -> None:
        stamp = dt.datetime.strptime(self.modified, "%Y-%m-%dT%H:%M:%SZ")
        date_time = (max(1980, stamp.year), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
        writer = OcfWriter(self.out, date_time)
        try:
            writer.add("mimetype", "application/epub+zip", STORED)
            writer.add("META-INF/container.xml", CONTAINER_XML)
            for name, data in self.files:
                # JPEG and PNG are already compressed: deflating them again costs time for nothing.
                writer.add(name, data, STORED if name.endswith((".jpg", ".png")) else DEFLATED)
            writer.close()
        except BaseException:
            writer.abort()
            raise
