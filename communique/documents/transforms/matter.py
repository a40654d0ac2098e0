"""Front and back matter as nodes of the document, in the book's language: half title, "Also by",
title page, copyright page, dedication, epigraph, the place of the contents, foreword, and at the
back acknowledgements and "About the author". Writers write these divisions like any other (each
in its format's way: epub:type and landmarks, print page styles, Word styles); none of them makes
matter of its own, so a document that did not go through this transform has none.

What goes in comes from the metadata and from a mapping of texts, option `texts` (the portal's
fields), else the manuscript's front matter (Vellum's and Atticus's defaults):

    dedication: For my teachers          epigraph: "…"   epigraph_source: Rumi
    foreword: …   acknowledgements: …   about_the_author: …   (paragraphs split by blank lines)
    also_by: [Title One, Title Two]      (or option `also_by`: the author's other books)

An absent or empty field makes no page. A page the manuscript already has (a division of that
kind, or one titled like it) is not made again, so the transform can run twice. Labels come from
documents/labels.py in the document's language, so it runs after translation.

Options (given to `transforms.run` as {"matter": {...}}, like every transform's, or bare):
  texts        texts by key, as above (default: document.front_matter)
  also_by      titles of the author's other books (default: texts["also_by"])
  pages        which pages to make (default: all): halftitle, also-by, title, copyright,
               dedication, epigraph, contents, foreword, acknowledgements, about
  medium       "print" or "ebook" (default): a print book opens with a half title and has "Also
               by" on its verso; an ebook has no half title and lists the other books at the end,
               where a reader who finished the book looks for the next
  format       the edition's name on the ISBN line ("EPUB", "paperback"), when the ISBN is per format
  fonts_line   True: the copyright page credits the fonts (an edition that embeds them)
  contents     "auto" (default: only when the manuscript has at least two divisions to list), True, False
"""
from __future__ import annotations

import copy
import datetime as dt

from communique.documents.labels import labels_for
from communique.documents.model import Division, Document, Paragraph, Text

OPTIONS = {"texts", "also_by", "pages", "medium", "format", "fonts_line", "contents"}
PAGES = ("halftitle", "also-by", "title", "copyright", "dedication", "epigraph", "contents", "foreword",
         "acknowledgements", "about")
# Texts a manuscript may carry: key, division kind, label key, front or back.
TEXTS = (
    ("foreword", "foreword", "foreword", "front"),
    ("acknowledgements", "acknowledgments", "acknowledgements", "back"),
)
# Pages that come before the contents, as in print convention.
BEFORE_CONTENTS = {"halftitlepage", "seriespage", "titlepage", "copyright-page", "dedication", "epigraph"}
NOT_LISTED = {"halftitlepage", "titlepage", "copyright-page", "toc"}
ROLE_LABELS = {"editor": "edited_by", "translator": "translated_by", "illustrator": "illustrated_by",
               "foreword": "foreword_by"}


def _paragraphs(text: str, role: str = "") -> list:
    return [Paragraph([Text(" ".join(p.split()))], role=role) for p in str(text).split("\n\n") if p.strip()]


def _line(text: str, role: str) -> Paragraph:
    return Paragraph([Text(text)], role=role)


class _Matter:
    def __init__(self, document: Document, options: dict):
        self.doc = document
        self.meta = document.meta
        self.options = options
        self.t = labels_for(self.meta.language or "en")
        texts = options.get("texts")
        self.matter = dict(document.front_matter or {}) if texts is None else dict(texts)
        wanted = options.get("pages")
        self.pages = set(PAGES if wanted is None else wanted)
        unknown = self.pages - set(PAGES)
        if unknown:
            raise ValueError(f"unknown matter page(s): {', '.join(sorted(unknown))}; known: {', '.join(PAGES)}")
        self.print = options.get("medium", "ebook") == "print"
        divisions = list(document.walk_divisions())
        self.have = {d.kind for d in divisions}
        self.have_titles = {(d.title or "").strip().lower() for d in divisions if d.title}

    def text(self, key: str) -> str:
        value = self.matter.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.doc.warn(key, f"'{key}' must be text; left out")
            return ""
        return value.strip()

    def wants(self, page: str, kind: str, title: str = "") -> bool:
        if page not in self.pages:
            return False
        if kind in self.have or (title and title.strip().lower() in self.have_titles):
            return False
        return True

    def already(self, key: str, kind: str) -> None:
        self.doc.warn(key, f"the manuscript already has a {kind.replace('-', ' ')}; '{key}' left out")

    # ---- pages ----

    def half_title(self):
        if self.print and self.meta.title and self.wants("halftitle", "halftitlepage"):
            return Division(kind="halftitlepage", title=self.meta.title, label=self.t["half_title"], id="half-title")

    def also_by(self):
        books = self.options.get("also_by")
        if books is None:
            books = self.matter.get("also_by")
        if isinstance(books, str):
            books = [b for b in books.splitlines() if b.strip()]
        if not books:
            return None
        if not isinstance(books, list):
            self.doc.warn("also_by", "'also_by' must be a list of titles; left out")
            return None
        titles = []
        for b in books:
            title = b.get("title") if isinstance(b, dict) else b
            if isinstance(title, (str, int)) and str(title).strip():
                titles.append(str(title).strip())
        author = ", ".join(c.name for c in self.meta.authors)
        heading = self.t.format("also_by", author=author) if author else self.t["also_by"].replace("{author}", "").strip(" —")
        if not titles or not self.wants("also-by", "seriespage", heading):
            return None
        return Division(kind="seriespage", title=heading, id="also-by",
                        blocks=[_line(t, "book-title") for t in titles])

    def title_page(self):
        meta = self.meta
        if not meta.title or not self.wants("title", "titlepage"):
            return None
        blocks = []
        if meta.subtitle:
            blocks.append(_line(meta.subtitle, "subtitle"))
        authors = ", ".join(c.name for c in meta.authors)
        if authors:
            blocks.append(_line(authors, "author"))
        for c in meta.contributors:
            if c.role == "author":
                continue
            key = ROLE_LABELS.get(c.role)
            line = self.t.format(key, name=c.name) if key else f"{c.role.replace('-', ' ').capitalize()}: {c.name}"
            blocks.append(_line(line, "contributor"))
        if meta.publisher:
            blocks.append(_line(meta.publisher, "publisher"))
        return Division(kind="titlepage", title=meta.title, label=self.t["title_page"], id="title-page", blocks=blocks)

    def copyright_page(self):
        if not self.wants("copyright", "copyright-page"):
            return None
        meta, t = self.meta, self.t
        year = (meta.date or meta.modified or "")[:4] or str(dt.date.today().year)
        holder = ", ".join(c.name for c in meta.authors) or meta.publisher
        lines = []
        if holder:
            lines.append(t.format("copyright_line", year=year, holder=holder).strip())
        if meta.rights and meta.rights not in lines:
            lines.append(meta.rights)
        if meta.publisher:
            lines.append(t.format("published_by", publisher=meta.publisher))
        if meta.edition:
            lines.append(t.edition(meta.edition))
        if meta.series:
            series = (t.format("series_number", series=meta.series, number=meta.series_number)
                      if meta.series_number else meta.series)
            lines.append(t.format("series", series=series))
        isbn = meta.identifiers.get("isbn")
        if isbn:
            fmt = self.options.get("format")
            lines.append(t.format("isbn_format", isbn=isbn, format=fmt) if fmt else t.format("isbn", isbn=isbn))
        if self.options.get("fonts_line"):
            lines.append(t["fonts_line"])
        if not lines:
            return None
        return Division(kind="copyright-page", label=t["copyright"], id="copyright",
                        blocks=[_line(x, "copyright") for x in lines])

    def dedication(self):
        text = self.text("dedication")
        if not text:
            return None
        if not self.wants("dedication", "dedication"):
            if "dedication" in self.pages:
                self.already("dedication", "dedication")
            return None
        return Division(kind="dedication", label=self.t["dedication"], id="dedication",
                        blocks=_paragraphs(text, "dedication"))

    def epigraph(self):
        text = self.text("epigraph")
        if not text:
            return None
        if not self.wants("epigraph", "epigraph"):
            if "epigraph" in self.pages:
                self.already("epigraph", "epigraph")
            return None
        blocks = _paragraphs(text, "epigraph")
        source = self.text("epigraph_source")
        if source:
            blocks.append(_line(source, "attribution"))
        return Division(kind="epigraph", label=self.t["epigraph"], id="epigraph", blocks=blocks)

    def contents(self, entries: int):
        if not self.wants("contents", "toc"):
            return None
        wanted = self.options.get("contents", "auto")
        if wanted is False or (wanted == "auto" and entries < 2):
            return None  # a contents page with one entry is a wasted page (issue 12, defect 15)
        return Division(kind="toc", title=self.t["contents"], id="contents")

    def texts(self):
        front, back = [], []
        for key, kind, label, where in TEXTS:
            text = self.text(key)
            if not text:
                continue
            if not self.wants(key, kind, self.t[label]):
                if key in self.pages:
                    self.already(key, kind)
                continue
            (front if where == "front" else back).append(
                Division(kind=kind, title=self.t[label], id=kind, blocks=_paragraphs(text)))
        return front, back

    def about(self):
        text = self.text("about_the_author")
        people = [c for c in self.meta.contributors if c.bio]
        title = self.t["about_author"] if (text or len(people) <= 1) else self.t["about_contributors"]
        if not text and not people:
            return None
        if not self.wants("about", "about-the-author", title):
            if text and "about" in self.pages:
                self.already("about_the_author", "about-the-author")
            return None
        if text:
            blocks = _paragraphs(text)
        else:
            blocks = []
            for c in people:
                blocks.append(_line(c.name + (f", {c.role_line}" if c.role_line else ""), "contributor-name"))
                blocks.extend(_paragraphs(c.bio))
        return Division(kind="about-the-author", title=title, id="about-the-author", blocks=blocks)


def add_matter(document: Document, options: dict) -> Document:
    """A copy of `document` (its division and warning lists new, the divisions shared) with the
    matter added; the document given is not changed, so each format can have its own."""
    # Bare options may be shared with other transforms in the same run; namespaced ones are this
    # transform's alone, so a misspelt name there is an error.
    unknown = set()
    if isinstance(options.get("matter"), dict):
        options = options["matter"]
        unknown = set(options) - OPTIONS
    if unknown:
        raise ValueError(f"unknown matter option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(OPTIONS))}")
    out = copy.copy(document)
    out.warnings = list(document.warnings)  # what this run reports belongs to its copy alone
    m = _Matter(out, options)
    # Entries the contents would list: the manuscript's own divisions (a single article has one).
    entries = sum(1 for d in document.walk_divisions() if d.kind not in NOT_LISTED)
    half, also_by, title, rights = m.half_title(), m.also_by(), m.title_page(), m.copyright_page()
    dedication, epigraph = m.dedication(), m.epigraph()
    contents = m.contents(entries)
    texts_front, texts_back = m.texts()
    about = m.about()
    # Print: half title, its verso "Also by", title, copyright (verso), dedication, epigraph, then
    # the manuscript's own pages of those kinds, then the contents; the manuscript's other front
    # matter (a preface) and the foreword follow it. Ebook: the other books after "About the author".
    opening = [d for d in (half, also_by if m.print else None, title, rights, dedication, epigraph) if d]
    closing = [d for d in (about, None if m.print else also_by) if d]
    divisions = list(document.divisions)
    lead = 0
    while lead < len(divisions) and divisions[lead].kind in BEFORE_CONTENTS:
        lead += 1
    first_body = next((i for i, d in enumerate(divisions) if d.matter != "front"), len(divisions))
    first_body = max(first_body, lead)
    out.divisions = (opening + divisions[:lead] + ([contents] if contents else []) + divisions[lead:first_body]
                     + texts_front + divisions[first_body:] + texts_back + closing)
    return out
