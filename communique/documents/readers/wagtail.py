"""Wagtail magazine pages → Document. Magazine models are imported inside the functions so the
document engine never imports the web layer at module load (architecture rule)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from communique.documents.languages import UnknownLanguage, normalise_language
from communique.documents.model import (
    Contributor,
    Division,
    Document,
    Heading,
    Image,
    Link,
    Metadata,
    Paragraph,
    PullQuote,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
)

from . import ReaderError
from .html import HtmlContext, blocks as html_blocks, parse_fragment


def _plain(html: str) -> str:
    root = parse_fragment(html or "")
    return " ".join(root.text_content().split()) if root is not None else ""


def _language(page) -> str:
    code = "en"
    locale = getattr(page, "locale", None)
    if locale is not None and getattr(locale, "language_code", ""):
        code = locale.language_code
    try:
        return normalise_language(code)
    except UnknownLanguage as exc:
        raise ReaderError(f"page {page.pk} ({page.title!r}): {exc}") from None


class _ImageFiles:
    """Original image files from Wagtail's storage; copied out when the storage has no local path."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.tmp: Path | None = None

    def path(self, image, where: str) -> Path | None:
        if image is None:
            return None
        try:
            return Path(image.file.path)
        except NotImplementedError:
            pass
        except Exception as exc:
            self.doc.warn(where, f"image {image.pk} has no file: {exc}")
            return None
        if self.tmp is None:
            self.tmp = Path(tempfile.mkdtemp(prefix="communique-wagtail-"))
        target = self.tmp / f"image{image.pk}{Path(image.file.name).suffix}"
        try:
            with image.file.open("rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except Exception as exc:
            self.doc.warn(where, f"image {image.pk} could not be read from storage: {exc}")
            return None
        return target


def _rich(html: str, ctx: HtmlContext) -> list:
    from wagtail.rich_text import expand_db_html

    root = parse_fragment(expand_db_html(html or ""))
    if root is None:
        return []
    base = getattr(ctx, "base_url", "")
    if base:
        # Links to other pages come out site-relative ("/oped/…"); an e-book needs the full address.
        for a in root.iter("a"):
            href = a.get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                a.set("href", base.rstrip("/") + href)
    return [ThematicBreak() if _is_break(b) else b for b in html_blocks(root, ctx)]


# The body has no break block: the Wagtail writer stores a section break as a "* * *" paragraph.
BREAK_TEXTS = {"* * *", "***", "⁂", "§"}


def _is_break(block) -> bool:
    return isinstance(block, Paragraph) and all(isinstance(n, Text) for n in block.children) \
        and plain_text(block.children).strip() in BREAK_TEXTS


def _base_url(page) -> str:
    try:
        site = page.get_site()
    except Exception:  # a page outside any site has no public address
        return ""
    return site.root_url if site is not None else ""


def _table_block(value, ctx_warn) -> Table | None:
    data = (value or {}).get("data") or []
    if not data:
        return None
    first_row = bool(value.get("first_row_is_table_header"))
    first_col = bool(value.get("first_col_is_header"))
    rows = []
    for r, row in enumerate(data):
        cells = []
        for c, cell in enumerate(row):
            text = "" if cell is None else str(cell)
            cells.append(TableCell([Text(text)] if text else [], header=(first_row and r == 0) or (first_col and c == 0)))
        rows.append(cells)
    return Table(rows=rows, caption=str(value.get("table_caption") or ""))


def _article_division(article, doc: Document, images: _ImageFiles, note_prefix: str) -> Division:
    where = f"article {article.pk} ({article.title})"

    def warn(message):
        doc.warn(where, message)

    ctx = HtmlContext(warn, label_notes=True, heading_offset=1)
    ctx.note_prefix = note_prefix
    ctx.base_url = _base_url(article)
    section = article.section
    division = Division(
        kind="article",
        title=article.title,
        subtitle=article.standfirst or "",
        id=f"article-{article.slug}",
        section_label=section.title if section is not None else "",
        contributors=[
            Contributor(name=a.name, role="author", role_line=a.role_line or "", bio=_plain(a.bio))
            for a in article.authors
        ],
    )
    out = division.blocks
    if article.lead_image_id:
        path = images.path(article.lead_image, where)
        out.append(Image(path=path or Path(f"missing-image-{article.lead_image_id}"), alt=article.lead_image_alt,
                         caption=article.lead_image_caption, credit=article.lead_image_credit))
    defined_notes = set()
    for block in article.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            out.extend(_rich(value.source if hasattr(value, "source") else str(value), ctx))
        elif kind == "heading":
            level = 1 if value.get("level", "h2") == "h2" else 2
            out.append(Heading(level=level, children=[Text(value["text"])]))
        elif kind == "pull_quote":
            out.append(PullQuote(text=value["quote"], attribution=value.get("attribution") or ""))
        elif kind == "image":
            path = images.path(value.get("image"), where)
            out.append(Image(path=path or Path("missing-image"), alt=value.get("alt") or "",
                             caption=value.get("caption") or "", credit=value.get("credit") or ""))
        elif kind == "table":
            table = _table_block(value, warn)
            if table is not None:
                out.append(table)
        elif kind == "embed":
            label = value.get("title") or value.get("url")
            children = [Link(value["url"], [Text(label)])]
            if value.get("provider"):
                children.append(Text(f" ({value['provider']})"))
            out.append(Paragraph(children))
            if value.get("caption"):
                out.append(Paragraph([Text(value["caption"])]))
        elif kind == "footnotes":
            for note in value:
                label = str(note.get("label") or "").strip()
                if not label:
                    warn("a footnote without a label was dropped")
                    continue
                text = note.get("text")
                source = text.source if hasattr(text, "source") else str(text or "")
                doc.notes[note_prefix + label] = _rich(source, ctx)
                defined_notes.add(note_prefix + label)
        else:
            warn(f"block type {kind!r} is not carried into editions")
    return division


def _publisher(page) -> str:
    """The publication's name from its settings (PublicationSettings), never the software's."""
    from communique.core.publication import publication_name

    return publication_name(page)


def read_article(article_page) -> Document:
    article = article_page.specific
    meta = Metadata(
        title=article.title,
        subtitle=article.standfirst or "",
        language=_language(article),
        date=article.date.date().isoformat() if article.date else "",
        modified=article.last_published_at.isoformat() if getattr(article, "last_published_at", None) else "",
        publisher=_publisher(article),
        description=article.search_description or article.standfirst or "",
        identifiers={},
        subjects=[t.name for t in article.tags.all()],
    )
    doc = Document(meta=meta)
    images = _ImageFiles(doc)
    division = _article_division(article, doc, images, note_prefix="")
    meta.contributors = [Contributor(c.name, c.role, c.role_line, c.bio) for c in division.contributors]
    doc.divisions.append(division)
    return doc


def read_issue(print_issue_page) -> Document:
    issue = print_issue_page.specific
    meta = Metadata(
        title=issue.title,
        subtitle=f"Volume {issue.volume}, Number {issue.number}",
        language=_language(issue),
        date=issue.issue_date.isoformat() if issue.issue_date else "",
        publisher=_publisher(issue),
        series=_publisher(issue),
        series_number=f"{issue.volume}.{issue.number}",
    )
    doc = Document(meta=meta)
    images = _ImageFiles(doc)
    if issue.cover_image_id:
        meta.cover_image = images.path(issue.cover_image, f"issue {issue.pk} cover")
    if issue.editorial and _plain(issue.editorial):
        ctx = HtmlContext(lambda m: doc.warn(f"issue {issue.pk} editorial", m), heading_offset=1)
        doc.divisions.append(Division(kind="preface", title="Editorial", blocks=_rich(issue.editorial, ctx)))
    articles = issue.articles()
    if not articles:
        doc.warn(f"issue {issue.pk}", "the issue has no articles")
    for article in articles:
        article = article.specific
        doc.divisions.append(_article_division(article, doc, images, note_prefix=f"a{article.pk}-"))
    return doc
