"""The one path from the document model into Wagtail: Document → ArticlePage body blocks, authors,
sections, tags and images. Every importer (page, WordPress, Markdown, DOCX) and the demo go through
`save_document`, so they store articles the same way."""
from __future__ import annotations

import hashlib
import html as htmllib
import re
from dataclasses import dataclass
from datetime import datetime, time, timezone as dt_timezone
from pathlib import Path

import nh3
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from communique.documents import model as dm
from communique.documents.serialise.html import HtmlSerialiser, block_text

from .base import ImportFailed, ImportSession
from .models import ImportRecord

# What the body's rich text features allow (see magazine/blocks.py): nothing else is stored.
ALLOWED_TAGS = {"p", "b", "i", "a", "sup", "sub", "s", "br", "ol", "ul", "li"}
INLINE_ONLY_TAGS = {"b", "i", "a", "sup", "sub", "s", "br"}


def sanitize(html: str, tags=ALLOWED_TAGS) -> str:
    return nh3.clean(
        html,
        tags=set(tags),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
    )


@dataclass
class Embed:
    """A link card for an embedded video, post or audio file (magazine's EmbedBlock): the reader's
    page shows a link, never a third-party frame. Importers put it among a Document's blocks."""

    url: str
    title: str
    provider: str = ""
    caption: str = ""



# ---- inlines → rich text: the shared serialiser, configured for the Wagtail body ------------

THEMATIC_BREAK_TEXT = "* * *"  # the body has no break block; documents/readers/wagtail.py reads it back
MAX_NOTE_LABEL = 20  # FootnoteBlock.label's max_length


class WagtailSerialiser(HtmlSerialiser):
    """Rich text as the body's features allow (bold, italic, link, superscript, subscript,
    strikethrough, lists); notes as [^label] markers. What the body cannot hold is reported."""

    def __init__(self, warn=None, notes: dict | None = None, labels: dict | None = None):
        super().__init__(warn=(lambda where, message: warn(message)) if warn else None, xhtml=True,
                         tags={dm.Emph: "i", dm.Strong: "b"}, notes="marker", notes_table=notes or {},
                         sanitise=sanitize)
        self.labels = labels or {}
        self.check_notes = notes is not None

    def note_node(self, n: dm.NoteRef) -> str:
        if self.check_notes and n.note_id not in self.notes:
            self.warn(f"reference to undefined note {n.note_id!r} kept as [^{n.note_id}]")
        return self.note_marker(n.note_id)

    def note_marker(self, note_id: str) -> str:
        return f"[^{htmllib.escape(self.labels.get(note_id, note_id), quote=False)}]"

    def small_caps(self, inner: str) -> str:
        self.report_once("small caps kept as ordinary letters (the article body has no small-caps style)")
        return inner

    def mark(self, n) -> str:
        if isinstance(n, dm.Cite):
            self.report_once("a cited title (<cite>) written in italics (the article body has no citation style)")
            return f"<i>{self.inlines(n.children)}</i>"
        return super().mark(n)

    def code(self, n: dm.Code) -> str:
        self.report_once("inline code kept as plain text (the article body has no code style)")
        return htmllib.escape(n.text, quote=False)

    def link(self, n: dm.Link) -> str:
        inner = self.inlines(n.children)
        href = (n.href or "").strip()
        if href.startswith("#"):
            self.report_once(f"link to {href!r} kept as text (the article body has no anchors)")
            return inner
        return f'<a href="{htmllib.escape(href)}">{inner}</a>' if href else inner


def inline_html(inlines: list, serialiser: WagtailSerialiser | None = None) -> str:
    return (serialiser or WagtailSerialiser()).inlines(inlines)


def _list_html(block: dm.ListBlock, serialiser: WagtailSerialiser | None = None) -> str:
    serialiser = serialiser or WagtailSerialiser()
    tag = "ol" if block.ordered else "ul"
    items = []
    for item in block.items:
        parts = []
        for b in item:
            if isinstance(b, dm.Paragraph):
                parts.append(serialiser.inlines(b.children))
            elif isinstance(b, dm.ListBlock):
                parts.append(_list_html(b, serialiser))
            elif hasattr(b, "children"):
                parts.append(serialiser.inlines(b.children))
            else:
                serialiser.report_once(f"{type(b).__name__} inside a list kept as text")
                parts.append(htmllib.escape(block_text(b), quote=False))
        items.append("<li>" + "<br/>".join(p for p in parts if p) + "</li>")
    return f"<{tag}>{''.join(items)}</{tag}>"


def note_labels(notes: dict) -> dict[str, str]:
    """Each note's label in the body, at most MAX_NOTE_LABEL characters and unique, used both in
    the text's [^label] and in the footnotes block so long labels still link."""
    labels: dict[str, str] = {}
    used: set[str] = set()
    for n, note_id in enumerate(notes, start=1):
        label = str(note_id)
        if len(label) > MAX_NOTE_LABEL or label in used or not re.fullmatch(r"[^\]\s]+", label):
            stem = re.sub(r"[\]\s]+", "-", label)[: MAX_NOTE_LABEL - len(str(n)) - 1].strip("-") or "note"
            label = f"{stem}-{n}"
        used.add(label)
        labels[note_id] = label
    return labels


# ---- images ------------------------------------------------------------------------------


def image_from_path(path: Path, session: ImportSession, title: str = "", alt: str = ""):
    """A Wagtail image for a local file, reused if the same bytes were imported before."""
    path = Path(path)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    record = ImportRecord.objects.filter(source="image", key=digest).select_related("image").first()
    if record and record.image:
        image = record.image
        if alt and hasattr(image, "description") and not image.description:
            image.description = alt[:255]
            image.save(update_fields=["description"])
        return image
    Image = get_image_model()
    try:
        with path.open("rb") as fh:
            image = Image(title=(title or alt or path.stem)[:255], file=ImageFile(fh, name=path.name))
            if alt and hasattr(image, "description"):
                image.description = alt[:255]  # Wagtail's default alt text for the image
            image.save()
    except Exception as exc:  # Pillow or Willow refusing the file
        raise ImportFailed(f"image '{path.name}' could not be read as an image: {exc}") from exc
    session.wrote(image.file.storage, image.file.name)
    ImportRecord.objects.update_or_create(source="image", key=digest, defaults={"image": image})
    return image


def _cell_text(inlines: list) -> str:
    """A table cell is plain text in the TableBlock; line breaks (list items in a cell) stay lines."""
    parts, current = [], []
    for node in inlines:
        if isinstance(node, dm.LineBreak):
            parts.append(dm.plain_text(current).strip())
            current = []
        else:
            current.append(node)
    parts.append(dm.plain_text(current).strip())
    return "\n".join(p for p in parts if p)


# ---- blocks → StreamField data -------------------------------------------------------------


def blocks_to_stream(blocks: list, notes: dict, session: ImportSession) -> list[dict]:
    stream: list[dict] = []
    labels = note_labels(notes)
    ser = WagtailSerialiser(session.warn, notes, labels)

    def plain(inlines, what):
        if any(not isinstance(n, dm.Text) for n in inlines):
            ser.report_once(f"formatting inside a {what} dropped (the body's {what}s hold plain text); words kept")
        return dm.plain_text(inlines).strip()

    def add(kind, value):
        stream.append({"type": kind, "value": value})

    def visit(block):
        if isinstance(block, dm.Paragraph):
            html = ser.fragment([block])
            if re.sub(r"<[^>]+>", "", html).strip():
                add("paragraph", html)
        elif isinstance(block, dm.Heading):
            text = plain(block.children, "heading")
            if text:
                add("heading", {"text": text[:255], "level": "h2" if block.level <= 1 else "h3"})
        elif isinstance(block, dm.PullQuote):
            if block.text.strip():
                add("pull_quote", {"quote": block.text.strip(), "attribution": block.attribution[:255]})
        elif isinstance(block, dm.BlockQuote):
            paras = [b for b in block.blocks if isinstance(b, dm.Paragraph)]
            text = " ".join(dm.plain_text(p.children).strip() for p in paras).strip()
            # A short quotation reads as a pull quote; a long quoted passage stays body text.
            if len(paras) == len(block.blocks) and 0 < len(text) <= 400:
                add("pull_quote", {"quote": text, "attribution": ""})
            else:
                for b in block.blocks:
                    if isinstance(b, dm.Paragraph):
                        add("paragraph", sanitize(f"<p><i>{ser.inlines(b.children)}</i></p>"))
                    else:
                        visit(b)
        elif isinstance(block, dm.Image):
            if not Path(block.path).exists():
                session.warn(f"image '{block.path}' does not exist; left out")
                return
            image = image_from_path(block.path, session, title=block.caption or block.alt, alt=block.alt)
            add(
                "image",
                {"image": image.pk, "alt": block.alt[:140], "caption": block.caption[:400], "credit": block.credit[:200]},
            )
        elif isinstance(block, dm.Table):
            rows = [[_cell_text(c.children) for c in row] for row in block.rows]
            if any(not isinstance(n, (dm.Text, dm.LineBreak)) for row in block.rows for c in row for n in c.children):
                ser.report_once("formatting inside a table cell dropped (the body's table cells hold plain text); words kept")
            width = max((len(r) for r in rows), default=0)
            rows = [r + [""] * (width - len(r)) for r in rows]
            header = bool(block.rows) and all(c.header for c in block.rows[0])
            add(
                "table",
                {
                    "data": rows,
                    "first_row_is_table_header": header,
                    "first_col_is_header": False,
                    "table_header_choice": "row" if header else "neither",
                    "table_caption": block.caption,
                },
            )
        elif isinstance(block, dm.ListBlock):
            add("paragraph", sanitize(_list_html(block, ser)))
        elif isinstance(block, dm.CodeBlock):
            text = htmllib.escape(block.text.strip(), quote=False).replace("\n", "<br/>")
            if text:
                ser.report_once("a code block written as an ordinary paragraph (the body has no code block)")
                add("paragraph", f"<p>{text}</p>")
        elif isinstance(block, Embed):
            add("embed", {"url": block.url, "title": block.title[:255] or block.url[:255],
                          "provider": block.provider[:80], "caption": block.caption[:400]})
        elif isinstance(block, dm.ThematicBreak):
            ser.report_once(f"a section break written as a '{THEMATIC_BREAK_TEXT}' paragraph (the body has no break block)")
            add("paragraph", f"<p>{THEMATIC_BREAK_TEXT}</p>")
        else:
            session.warn(f"{type(block).__name__} dropped: the article body has no place for it")

    for b in blocks:
        visit(b)

    if notes:
        items = []
        for note_id, note_blocks in notes.items():
            parts = []
            for b in note_blocks:
                if hasattr(b, "children"):
                    parts.append(ser.inlines(b.children))
                else:
                    ser.report_once(f"{type(b).__name__} inside a footnote kept as text")
                    parts.append(htmllib.escape(block_text(b), quote=False))
            items.append({"label": labels[note_id], "text": sanitize(" ".join(parts), INLINE_ONLY_TAGS)})
        add("footnotes", items)
    return stream


# ---- sections, authors ----------------------------------------------------------------------


def find_home():
    from communique.magazine.models import HomePage

    site = Site.objects.filter(is_default_site=True).first()
    if site:
        root = site.root_page.specific
        if isinstance(root, HomePage):
            return root
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise ImportFailed(
            "there is no magazine home page to import into; run `communique demo` or create a HomePage first"
        )
    return home


def get_or_create_section(name: str, home=None, session: ImportSession | None = None, slug: str = ""):
    from communique.magazine.models import SectionPage

    home = home or find_home()
    name = name.strip()
    slug = slug or slugify(name) or "section"
    squash = re.sub(r"[^0-9a-z]", "", name.lower())
    for section in SectionPage.objects.child_of(home):
        same = section.title.lower() == name.lower() or section.slug == slug
        if same or (squash and re.sub(r"[^0-9a-z]", "", section.title.lower()) == squash):
            return section
    section = SectionPage(title=name, slug=slug, is_opinion=slug in ("oped", "op-ed", "opinion"))
    home.add_child(instance=section)
    section.save_revision().publish()
    if session:
        session.warn(f"created section '{name}'")
    return section


def get_or_create_author(contributor: dm.Contributor, session: ImportSession | None = None, slug: str = ""):
    from communique.magazine.models import Author

    # A byline copied from a page often holds a no-break or thin space ("Amina\u00a0Rahman"): the
    # same person must not become a second author because of it.
    name = " ".join(contributor.name.split())[:200]
    slug = (slug or slugify(name) or "author")[:200]
    author = Author.objects.filter(slug=slug).first() or Author.objects.filter(name__iexact=name).first()
    if author is None:
        author = Author(name=name, slug=slug)
    changed = author.pk is None
    if contributor.role_line and not author.role_line:
        author.role_line, changed = contributor.role_line[:255], True
    if contributor.bio and not author.bio:
        author.bio, changed = sanitize(f"<p>{htmllib.escape(contributor.bio, quote=False)}</p>"), True
    if changed:
        author.save()
    return author


def _unique_slug(parent, base: str, exclude_pk=None) -> str:
    base = (base or "article")[:70].strip("-") or "article"
    slug, n = base, 2
    while Page.objects.child_of(parent).filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def parse_when(value: str | datetime | None):
    if not value:
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        value = str(value).strip()
        try:  # a well-formed but impossible date ("2021-02-30") raises; treat it as no date
            dt = parse_datetime(value.replace(" ", "T", 1)) if len(value) > 10 else None
        except ValueError:
            dt = None
        if dt is None:
            try:
                d = parse_date(value[:10]) if len(value) >= 10 else None
            except ValueError:
                d = None
            if d is None:
                return None
            dt = datetime.combine(d, time(0, 0))
    if timezone.is_naive(dt):
        dt = dt.replace(tzinfo=dt_timezone.utc)
    return dt


# ---- the article ---------------------------------------------------------------------------


def document_title(doc: dm.Document) -> str:
    if doc.meta.title:
        return doc.meta.title
    for div in doc.walk_divisions():
        if div.title:
            return div.title
    return ""


def document_blocks(doc: dm.Document) -> list:
    """One article body from all divisions. A division titled like the article is the article
    itself (`# Title` in Markdown, Heading 1 in Word); any other division title is a heading."""
    title = re.sub(r"\W+", " ", document_title(doc).lower()).strip()
    blocks: list = []
    for div in doc.walk_divisions():
        if div.title and re.sub(r"\W+", " ", div.title.lower()).strip() != title:
            blocks.append(dm.Heading(1, [dm.Text(div.title)]))
        blocks.extend(div.blocks)
    return blocks


def document_contributors(doc: dm.Document) -> list[dm.Contributor]:
    seen, out = set(), []
    people = list(doc.meta.authors)
    for div in doc.walk_divisions():
        people.extend(c for c in div.contributors if c.role == "author")
    for c in people:
        key = c.name.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(c)
    return out


def document_section(doc: dm.Document) -> str:
    for div in doc.walk_divisions():
        if div.section_label:
            return div.section_label
    return ""


def save_document(
    doc: dm.Document,
    session: ImportSession,
    *,
    section_name: str = "",
    section_slug: str = "",
    source: str = "",
    key: str = "",
    slug: str = "",
    live: bool = True,
    is_sample: bool = False,
    author_slugs: dict[str, str] | None = None,
    home=None,
    kind: str = "import",
    lead_image_alt: str = "",
    lead_image_caption: str = "",
    lead_image_credit: str = "",
    match_slug: bool = True,
):
    """Create or update one ArticlePage from a Document; returns (page, created)."""
    from communique.magazine.models import ArticleAuthor, ArticlePage

    title = document_title(doc).strip()
    if not title:
        raise ImportFailed(f"{kind}: the document has no title")
    section_name = section_name or document_section(doc)
    if not section_name:
        raise ImportFailed(f"{kind}: could not tell which section '{title}' belongs to; pass --section NAME")
    section = get_or_create_section(section_name, home=home, session=session, slug=section_slug)

    for w in doc.warnings:
        session.warn(f"{kind}: {w.where}: {w.message}" if w.where else f"{kind}: {w.message}")

    page = None
    record = None
    if source and key:
        record = ImportRecord.objects.filter(source=source, key=key).first()
        if record and record.page_id:
            page = ArticlePage.objects.filter(pk=record.page_id).first()
    base_slug = slug or slugify(title) or "article"
    if page is None and match_slug:
        page = ArticlePage.objects.child_of(section).filter(slug=base_slug[:70]).first()
    created = page is None

    body = blocks_to_stream(document_blocks(doc), doc.notes, session)
    authors = [
        get_or_create_author(c, session, slug=(author_slugs or {}).get(c.name, "")) for c in document_contributors(doc)
    ]
    when = parse_when(doc.meta.date)
    if doc.meta.date and when is None:
        session.warn(f"{kind}: '{title[:60]}': invalid date '{str(doc.meta.date)[:40]}'; left undated")
    lead_image = None
    if doc.meta.cover_image:
        if Path(doc.meta.cover_image).exists():
            lead_image = image_from_path(doc.meta.cover_image, session, title=title)
        else:
            session.warn(f"{kind}: lead image '{doc.meta.cover_image}' does not exist; left out")

    if created:
        page = ArticlePage(title=title[:255], slug=_unique_slug(section, base_slug))
        page.live = live
    else:
        if page.get_parent().pk != section.pk:
            page.move(section, pos="last-child")
            page = ArticlePage.objects.get(pk=page.pk)
        page.title = title[:255]
    if doc.meta.description or created:
        page.standfirst = doc.meta.description
    if when:
        page.date = when
    page.body = body
    page.is_sample = is_sample
    if lead_image is not None:
        page.lead_image = lead_image
        page.lead_image_alt = (lead_image_alt or page.lead_image_alt or title)[:140]
        page.lead_image_caption = (lead_image_caption or page.lead_image_caption)[:400]
        page.lead_image_credit = (lead_image_credit or page.lead_image_credit)[:200]
    page.article_authors = [ArticleAuthor(author=a) for a in authors]
    page.tags.set([t.strip()[:100] for t in doc.meta.subjects if t.strip()])

    if created:
        section.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    elif page.live:
        page.unpublish()
    if source and key:
        ImportRecord.objects.update_or_create(source=source, key=key, defaults={"page": page})
    (session.created if created else session.updated).append(page)
    return page, created


def save_content_page(doc: dm.Document, session: ImportSession, *, parent, source: str, key: str, slug: str = "",
                      live: bool = True, kind: str = "import"):
    """Create or update one ContentPage (a site page, not an article) under `parent` (home or another
    content page); returns (page, created). A page recorded under `key` moves to `parent` if its
    parent changed."""
    from communique.magazine.models import ContentPage

    title = document_title(doc).strip()
    if not title:
        raise ImportFailed(f"{kind}: the page has no title")
    for w in doc.warnings:
        session.warn(f"{kind}: {w.where}: {w.message}" if w.where else f"{kind}: {w.message}")
    record = ImportRecord.objects.filter(source=source, key=key).first()
    page = None
    if record and record.page_id:
        page = ContentPage.objects.filter(pk=record.page_id).first()
        if page is None:
            # An earlier import filed it as an article (before pages had their own type): that one is
            # left for an editor to delete, never removed here.
            session.warn(f"{kind}: '{title[:60]}' was imported before as an article (page id {record.page_id}); "
                         "it now comes in as a page, the old article is left in place")
    created = page is None
    body = blocks_to_stream(document_blocks(doc), doc.notes, session)
    when = parse_when(doc.meta.date)
    if created:
        page = ContentPage(title=title[:255], slug=_unique_slug(parent, slug or slugify(title) or "page"))
        page.live = live
    else:
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page = ContentPage.objects.get(pk=page.pk)
        page.title = title[:255]
    page.body = body
    if when:
        page.updated = when
    page.tags.set([t.strip()[:100] for t in doc.meta.subjects if t.strip()])
    if created:
        parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    elif page.live:
        page.unpublish()
    ImportRecord.objects.update_or_create(source=source, key=key, defaults={"page": page})
    (session.created if created else session.updated).append(page)
    return page, created


def rich(html: str) -> RichText:
    return RichText(sanitize(html))
