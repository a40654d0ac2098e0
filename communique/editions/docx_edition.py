"""Document → DOCX (python-docx), for editors and translators who review in Word.

Headings use Word's Heading styles (so the navigation pane and a table of contents work), lists its
List styles (each ordered list numbered from 1), tables "Table Grid" with a repeating header row,
images inline with their alt text and a Caption paragraph, links real hyperlinks (internal ones to
bookmarks), notes real Word footnotes. Pandoc's docx writer is the model: code in a "Source Code"
style, a section break as a paragraph with a rule. What Word cannot hold is reported.

Added through the writer registry (registry.py, WRITERS["docx"]); see docs/formats.md."""
from __future__ import annotations

import io
import os
import re
import tempfile
import time
from pathlib import Path

from communique.documents.model import (
    BlockQuote,
    Cite,
    Code,
    CodeBlock,
    Document,
    Emph,
    Heading,
    Image,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Paragraph,
    PullQuote,
    SmallCaps,
    Strikeout,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    ThematicBreak,
)
from communique.documents.index_nodes import IndexBlock, IndexMark
from communique.documents.serialise.html import UNSAFE_SCHEMES, block_text
from communique.editions.registry import BuildReport

OPTIONS = {"lang"}
MAX_IMAGE_WIDTH_IN = 6.0
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTNOTES_XML = (
    f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
# CT_PPr's children come in a fixed order (ECMA-376 §17.3.1.26); Word refuses a file that breaks it.
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_PBDR = _PPR_ORDER[_PPR_ORDER.index("w:pBdr") + 1:]
_AFTER_BIDI = _PPR_ORDER[_PPR_ORDER.index("w:bidi") + 1:]
# Paragraph roles (the matter transform's pages) in Word's own styles.
ROLE_STYLES = {"subtitle": "Subtitle", "epigraph": "Quote", "copyright": "No Spacing"}
CENTRED_ROLES = {"subtitle", "author", "contributor", "publisher", "dedication", "book-title", "attribution"}
ITALIC_ROLES = {"dedication", "book-title"}
WORD_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"}


class _NoteContainer:
    """Where a footnote's paragraphs go: a w:footnote element in the footnotes part."""

    def __init__(self, element, part):
        self._element = element
        self.part = part

    def add_paragraph(self, text: str = "", style=None):
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph as DocxParagraph

        p = OxmlElement("w:p")
        self._element.append(p)
        para = DocxParagraph(p, self)
        if style is not None:
            p.style = style.style_id  # the footnotes part cannot look styles up by name
        return para


class _Docx:
    def __init__(self, document: Document, report: BuildReport, language: str):
        import docx
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt

        self.source = document
        self.report = report
        self.doc = docx.Document()
        self.where = ""
        self.bookmarks: dict[str, str] = {}  # source id → bookmark name
        self._bookmark_n = 0
        self.footnote_ids: dict[str, int] = {}
        self._footnotes = None
        self._reported: set[tuple[str, str]] = set()
        self._numbering_done: set[int] = set()
        self.images = 0
        self.started = False  # a division has been written (the next one starts a new page)
        styles = self.doc.styles
        code = styles.add_style("Source Code", WD_STYLE_TYPE.PARAGRAPH)
        code.base_style = styles["No Spacing"]
        code.font.name = "Courier New"
        code.font.size = Pt(9)
        note = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = styles["Normal"]
        note.font.size = Pt(9)
        note.paragraph_format.space_after = Pt(0)
        core = self.doc.core_properties
        meta = document.meta
        core.title = meta.title[:255]
        core.author = "; ".join(c.name for c in meta.authors)[:255]
        core.language = language
        core.subject = (meta.subtitle or "")[:255]
        core.keywords = ", ".join(meta.subjects)[:255]
        core.comments = (meta.description or "")[:1000]

    # ---- reporting ----
    def warn(self, message: str) -> None:
        self.report.warn(self.where, message)

    def report_once(self, message: str) -> None:
        if (self.where, message) not in self._reported:
            self._reported.add((self.where, message))
            self.warn(message)

    # ---- ids ----
    def bookmark_for(self, source_id: str) -> str:
        if source_id not in self.bookmarks:
            self._bookmark_n += 1
            self.bookmarks[source_id] = f"_c{self._bookmark_n}"  # Word hides bookmarks starting with _
        return self.bookmarks[source_id]

    def add_bookmark(self, paragraph, source_id: str) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        name = self.bookmark_for(source_id)
        n = str(int(name[2:]))
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), n)
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), n)
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)

    # ---- inlines ----
    def inlines(self, paragraph, nodes, fmt=None, parent=None) -> None:
        fmt = fmt or {}
        parent = parent if parent is not None else paragraph._p
        for n in nodes:
            t = type(n)
            if t is Text:
                self._run(paragraph, parent, n.text, fmt)
            elif t is Emph:
                self.inlines(paragraph, n.children, {**fmt, "italic": not fmt.get("italic")}, parent)
            elif t is Cite:  # Word's "Book Title" style, which the DOCX reader reads back as a Cite
                self.inlines(paragraph, n.children, {**fmt, "cite": True}, parent)
            elif t is Strong:
                self.inlines(paragraph, n.children, {**fmt, "bold": True}, parent)
            elif t is Strikeout:
                self.inlines(paragraph, n.children, {**fmt, "strike": True}, parent)
            elif t is SmallCaps:
                self.inlines(paragraph, n.children, {**fmt, "small_caps": True}, parent)
            elif t is Superscript:
                self.inlines(paragraph, n.children, {**fmt, "superscript": True}, parent)
            elif t is Subscript:
                self.inlines(paragraph, n.children, {**fmt, "subscript": True}, parent)
            elif t is Code:
                self._run(paragraph, parent, n.text, {**fmt, "code": True})
            elif t is LineBreak:
                self._run(paragraph, parent, "", fmt).add_break()
            elif t is Link:
                self.link(paragraph, n, fmt, parent)
            elif t is NoteRef:
                self.noteref(paragraph, n.note_id, parent)
            elif t is IndexMark:  # an index anchor: its words stay, Word's own index is not built
                self.inlines(paragraph, n.children, fmt, parent)
            else:
                self.report_once(f"unsupported inline {t.__name__} dropped")

    def _run(self, paragraph, parent, text: str, fmt: dict):
        from docx.oxml import OxmlElement
        from docx.text.run import Run

        r = OxmlElement("w:r")
        parent.append(r)
        run = Run(r, paragraph)
        if text:
            run.text = text
        if fmt.get("bold"):
            run.bold = True
        if fmt.get("italic"):
            run.italic = True
        font = run.font
        if fmt.get("strike"):
            font.strike = True
        if fmt.get("small_caps"):
            font.small_caps = True
        if fmt.get("superscript"):
            font.superscript = True
        if fmt.get("subscript"):
            font.subscript = True
        if fmt.get("code"):
            font.name = "Courier New"
        if fmt.get("cite"):
            r.get_or_add_rPr().style = "BookTitle"
        if fmt.get("link"):
            from docx.shared import RGBColor

            font.underline = True
            font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        return run

    def link(self, paragraph, n: Link, fmt, parent) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        href = (n.href or "").strip()
        if not href or href.lower().startswith(UNSAFE_SCHEMES):
            if href:
                self.warn(f"link to {href[:40]!r} removed (unsafe scheme); its text kept")
            self.inlines(paragraph, n.children, fmt, parent)
            return
        h = OxmlElement("w:hyperlink")
        if href.startswith("#"):
            if href[1:] not in self.known_ids:
                self.warn(f"link to {href!r} dropped (no such place in the book); its text kept")
                self.inlines(paragraph, n.children, fmt, parent)
                return
            h.set(qn("w:anchor"), self.bookmark_for(href[1:]))
        else:
            part = paragraph.part
            h.set(qn("r:id"), part.relate_to(href, RT.HYPERLINK, is_external=True))
        parent.append(h)
        self.inlines(paragraph, n.children, {**fmt, "link": True}, h)

    def noteref(self, paragraph, note_id: str, parent) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if note_id not in self.source.notes:
            self.warn(f"reference to undefined note {note_id!r} dropped")
            return
        if note_id not in self.footnote_ids:
            self.footnote_ids[note_id] = len(self.footnote_ids) + 1
            self._write_footnote(note_id, self.footnote_ids[note_id])
        run = self._run(paragraph, parent, "", {"superscript": True})
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(self.footnote_ids[note_id]))
        run._r.append(ref)

    def _footnotes_part(self):
        if self._footnotes is None:
            from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
            from docx.opc.packuri import PackURI
            from docx.opc.part import XmlPart
            from docx.oxml import parse_xml

            part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES_XML),
                           self.doc.part.package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
            self._footnotes = part
        return self._footnotes

    def _write_footnote(self, note_id: str, number: int) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        part = self._footnotes_part()
        el = OxmlElement("w:footnote")
        el.set(qn("w:id"), str(number))
        part.element.append(el)
        container = _NoteContainer(el, part)
        style = self.doc.styles["Footnote Text"]
        first = True
        for b in self.source.notes[note_id] or [Paragraph([])]:
            para = container.add_paragraph(style=style)
            if first:
                mark = self._run(para, para._p, "", {"superscript": True})
                mark._r.append(OxmlElement("w:footnoteRef"))
                self._run(para, para._p, " ", {})
                first = False
            if isinstance(b, (Paragraph, Heading)):
                self.inlines(para, b.children)
            else:
                self.report_once(f"{type(b).__name__} inside a footnote written as plain text")
                self._run(para, para._p, block_text(b), {})

    # ---- blocks ----
    def blocks(self, container, blocks, depth: int = 0, style: str | None = None, list_depth: int = 0) -> None:
        for b in blocks:
            t = type(b)
            if t is Paragraph:
                para = container.add_paragraph(style=style or ROLE_STYLES.get(b.role))
                if b.role in CENTRED_ROLES:
                    para.alignment = 1  # WD_ALIGN_PARAGRAPH.CENTER
                self.inlines(para, b.children, {"italic": True} if b.role in ITALIC_ROLES else None)
            elif t is Heading:
                level = min(9, max(1, b.level) + depth + 1)
                para = container.add_paragraph(style=f"Heading {level}")
                if b.id:
                    self.add_bookmark(para, b.id)
                self.inlines(para, b.children)
            elif t is BlockQuote:
                self.blocks(container, b.blocks, depth, style="Quote", list_depth=list_depth)
            elif t is PullQuote:
                para = container.add_paragraph(b.text, style="Intense Quote")
                if b.attribution:
                    container.add_paragraph(f"— {b.attribution}", style="Intense Quote")
            elif t is ListBlock:
                self.list_block(container, b, depth, list_depth)
            elif t is Table:
                self.table(container, b)
            elif t is Image:
                self.image(container, b)
            elif t is CodeBlock:
                para = container.add_paragraph(style="Source Code")
                lines = b.text.rstrip("\n").split("\n")
                for i, line in enumerate(lines):
                    run = self._run(para, para._p, line, {})
                    if i < len(lines) - 1:
                        run.add_break()
            elif t is ThematicBreak:
                self.rule(container)
            elif t is IndexBlock:  # entries with their chapters; DOCX has no page numbers to give
                for label, entries in b.groups:
                    container.add_paragraph(label, style=f"Heading {min(9, depth + 2)}")
                    for e in entries:
                        for entry, indent in [(e, 0)] + [(s, 1) for s in e.subentries]:
                            where = "; ".join(dict.fromkeys(loc.division_title for loc in entry.locators))
                            line = entry.heading + (f". {b.see_label.capitalize()} {entry.see}" if entry.see
                                                    else f", {where}" if where else "")
                            if entry.see_also:
                                line += f". {b.see_also_label.capitalize()} {'; '.join(entry.see_also)}"
                            para = container.add_paragraph(line)
                            if indent:
                                from docx.shared import Pt

                                para.paragraph_format.left_indent = Pt(12 * indent)
            else:
                self.report_once(f"unsupported block {t.__name__} dropped")

    def rule(self, container) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        para = container.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
            bottom.set(qn(k), v)
        borders.append(bottom)
        para._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)

    def list_block(self, container, b: ListBlock, depth: int, list_depth: int) -> None:
        level = min(3, list_depth + 1)
        name = ("List Number" if b.ordered else "List Bullet") + ("" if level == 1 else f" {level}")
        num_id = self._restart_numbering(name) if b.ordered else None
        for item in b.items:
            first = True
            for block in item:
                if isinstance(block, Paragraph):
                    para = container.add_paragraph(style=name if first else "List Continue")
                    if first and num_id is not None:
                        self._set_num(para, num_id, level - 1)
                    self.inlines(para, block.children)
                    first = False
                elif isinstance(block, ListBlock):
                    self.list_block(container, block, depth, list_depth + 1)
                else:
                    self.blocks(container, [block], depth, list_depth=list_depth)
                    first = False

    def _restart_numbering(self, style_name: str) -> int | None:
        """A new numbering instance for this list, so each ordered list counts from 1."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        try:
            style = self.doc.styles[style_name]
            num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
            base_num = int(num_pr.numId.val) if num_pr is not None and num_pr.numId is not None else None
            numbering = self.doc.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return None
        if base_num is None:
            return None
        base = next((n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(base_num)), None)
        if base is None:
            return None
        abstract = base.find(qn("w:abstractNumId")).get(qn("w:val"))
        new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(new_id))
        ab = OxmlElement("w:abstractNumId")
        ab.set(qn("w:val"), abstract)
        num.append(ab)
        for lvl in range(9):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(lvl))
            start = OxmlElement("w:startOverride")
            start.set(qn("w:val"), "1")
            override.append(start)
            num.append(override)
        numbering.append(num)
        return new_id

    def _set_num(self, para, num_id: int, ilvl: int) -> None:
        num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_numId().val = num_id
        num_pr.get_or_add_ilvl().val = ilvl

    def table(self, container, b: Table) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if not b.rows:
            return
        if b.caption:
            container.add_paragraph(b.caption, style="Caption")
        width = max(len(r) for r in b.rows)
        table = container.add_table(rows=len(b.rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(b.rows):
            if row and all(c.header for c in row) and r == 0:
                tr_pr = table.rows[r]._tr.get_or_add_trPr()
                header = OxmlElement("w:tblHeader")
                tr_pr.append(header)  # repeats on every page the table spans
            for c, cell in enumerate(row):
                para = table.cell(r, c).paragraphs[0]
                self.inlines(para, cell.children, {"bold": True} if cell.header else {})
            if len(row) < width:
                self.report_once("a table row with fewer cells than the others was padded with empty cells")

    def image(self, container, b: Image) -> None:
        from docx.shared import Inches

        path = Path(b.path)
        caption = " ".join(x for x in (b.caption, b.credit) if x)
        if not path.is_file():
            self.warn(f"image {path} not available; its caption and alt text kept")
            text = caption or (f"[{b.alt}]" if b.alt else "")
            if text:
                container.add_paragraph(text, style="Caption")
            return
        source = str(path)
        if path.suffix.lower() not in WORD_IMAGE_SUFFIXES:
            converted = _to_png(path)
            if converted is None:
                self.warn(f"image {path.name} is not a format Word shows and could not be converted; alt text kept")
                if b.alt or caption:
                    container.add_paragraph(caption or f"[{b.alt}]", style="Caption")
                return
            source = converted
        para = container.add_paragraph()
        try:
            shape = para.add_run().add_picture(source)
        except Exception as exc:  # python-docx refuses images it cannot measure
            self.warn(f"image {path.name} could not be placed ({exc}); alt text kept")
            if b.alt:
                para.add_run(f"[{b.alt}]")
            return
        if shape.width > Inches(MAX_IMAGE_WIDTH_IN):
            ratio = Inches(MAX_IMAGE_WIDTH_IN) / shape.width
            shape.width, shape.height = Inches(MAX_IMAGE_WIDTH_IN), int(shape.height * ratio)
        if b.alt:
            shape._inline.docPr.set("descr", b.alt)
        self.images += 1
        if caption:
            container.add_paragraph(caption, style="Caption")

    # ---- structure ----
    def division(self, div, depth: int) -> None:
        self.where = div.title or div.label or div.kind
        first = not self.started
        self.started = True
        if div.kind == "toc":
            self.contents(div, first)
            return
        if div.kind in ("titlepage", "halftitlepage"):
            para = self.doc.add_paragraph(div.title, style="Title")
            self._open(para, div, first)
            self.blocks(self.doc, div.blocks, depth)
            return
        opening = None
        if div.section_label:
            opening = self.doc.add_paragraph()
            self._run(opening, opening._p, div.section_label, {"small_caps": True})
        level = min(9, depth + 1)
        if div.title or not div.label:  # a page named but not titled (copyright, dedication) shows no heading
            para = self.doc.add_paragraph(div.title or div.kind.replace("-", " ").title(), style=f"Heading {level}")
            opening = opening or para
            self.add_bookmark(para, self.division_key(div))
        if div.subtitle:
            self.doc.add_paragraph(div.subtitle, style="Subtitle")
        byline = ", ".join(c.name for c in div.contributors if c.role == "author")
        if byline:
            p = self.doc.add_paragraph()
            self._run(p, p._p, byline, {"italic": True})
        count = len(self.doc.paragraphs)
        self.blocks(self.doc, div.blocks, depth)
        if opening is None and len(self.doc.paragraphs) > count:
            opening = self.doc.paragraphs[count]
            self.add_bookmark(opening, self.division_key(div))
        if opening is not None and depth == 0 and not first:
            opening.paragraph_format.page_break_before = True  # each top-level division on a new page
        for c in div.contributors:
            if c.bio:
                p = self.doc.add_paragraph()
                self._run(p, p._p, c.name, {"bold": True})
                self._run(p, p._p, (f", {c.role_line}" if c.role_line else "") + f" — {c.bio}", {})
        for child in div.children:
            self.division(child, depth + 1)

    def division_key(self, div) -> str:
        """The division's id, or one for a division the source gave none (the contents link to it)."""
        if not div.id:
            self.known_ids.add(f"_division-{id(div)}")
        return div.id or f"_division-{id(div)}"

    def _open(self, para, div, first: bool) -> None:
        if not first:
            para.paragraph_format.page_break_before = True
        self.add_bookmark(para, self.division_key(div))

    def contents(self, div, first: bool) -> None:
        """The contents where the document puts them: its title in Word's "TOC Heading" style (kept
        out of the navigation pane) and a line per later division linking to its bookmark."""
        from docx.shared import Inches

        from communique.documents.model import Link as LinkNode, Text as TextNode

        head = self.doc.add_paragraph(div.title or div.label or "", style="TOC Heading")
        self._open(head, div, first)
        after = self.source.divisions[self.source.divisions.index(div) + 1:] if div in self.source.divisions else []

        def entries(divisions, depth):
            for d in divisions:
                if d.kind in ("titlepage", "halftitlepage", "copyright-page", "toc"):
                    continue
                para = self.doc.add_paragraph()
                para.paragraph_format.left_indent = Inches(0.25 * depth)
                words = [TextNode(d.title or d.label or d.kind.replace("-", " ").title())]
                self.link(para, LinkNode("#" + self.division_key(d), words), {}, para._p)
                entries(d.children, depth + 1)

        entries(after, 0)


def _right_to_left(w: _Docx, language: str) -> None:
    """Every paragraph right-to-left (w:bidi) and every run's complex-script text marked (w:rtl),
    in the body and the footnotes, and the language set for complex scripts, as Word does itself."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    roots = [w.doc.element.body] + ([w._footnotes.element] if w._footnotes is not None else [])
    for root in roots:
        for p in root.iter(qn("w:p")):
            ppr = p.get_or_add_pPr()
            if ppr.find(qn("w:bidi")) is None:
                ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
            for r in p.iter(qn("w:r")):
                rpr = r.get_or_add_rPr()
                if rpr.find(qn("w:rtl")) is None:
                    rpr.append(OxmlElement("w:rtl"))
    for style in w.doc.styles:
        if style.type == 1:  # paragraph styles: the complex-script language
            rpr = style.element.get_or_add_rPr()
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:bidi"), language)


def _to_png(path: Path):
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as im:
            out = io.BytesIO()
            im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
            out.seek(0)
            return out
    except Exception:  # Pillow refuses EMF/WMF and damaged files
        return None


class DocxWriter:
    format = "docx"

    def write(self, document: Document, output_path: Path, options: dict | None = None) -> BuildReport:
        started = time.perf_counter()
        opts = dict(options or {})
        unknown = set(opts) - OPTIONS
        if unknown:
            raise ValueError(f"unknown DOCX option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(OPTIONS))}")
        output_path = Path(output_path)
        report = BuildReport(output_path, "docx")
        w = _Docx(document, report, opts.get("lang") or document.meta.language or "en")
        w.known_ids = {d.id for d in document.walk_divisions() if d.id} | {
            b.id for _, b in document.walk_blocks() if isinstance(b, Heading) and b.id}
        for div in document.divisions:
            w.division(div, 0)
        unused = [nid for nid in document.notes if nid not in w.footnote_ids]
        if unused:
            report.warn("notes", f"{len(unused)} note(s) never referenced in the text were left out: {', '.join(unused[:10])}")
        if document.meta.direction == "rtl":
            _right_to_left(w, document.meta.language)
        buf = io.BytesIO()
        w.doc.save(buf)
        fd, tmp = tempfile.mkstemp(prefix=f".{output_path.name}.", suffix=".part", dir=output_path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(buf.getvalue())
            os.chmod(tmp, 0o644)
            os.replace(tmp, output_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        report.seconds = time.perf_counter() - started
        report.stats = {"footnotes": len(w.footnote_ids), "images": w.images,
                        "headings": sum(1 for p in w.doc.paragraphs if re.match(r"Heading \d", p.style.name or ""))}
        return report
