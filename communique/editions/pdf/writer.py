"""The PDF writer: Document → print PDF with WeasyPrint.

Options (all optional):
  kind       "book" | "magazine"; default "magazine" when the document holds articles.
  trim       book trim: "6x9" (default), "5.5x8.5", "a5", any KDP standard "WxH" in inches,
             or "W x H mm".
  bleed      bool; adds the rules' bleed (0.125 in) on top, bottom and outside edge.
  print_rules  a geometry.PrintRules from the printer (KDP passes its own: gutter by page count,
             minimum margins, bleed, page range); default geometry.GENERIC.
  lang       BCP 47 code overriding document.meta.language (sets lang/dir, fonts, hyphenation).
  workers    processes laying out a book's chapters (default: min(2, CPUs)); 1 = in process.
  chunk_words  lay chapters out in groups of about this many words; the output then does not
             depend on `workers`. Default: even chunks by word count, two per worker.
  tagged     bool; a tagged PDF (pdf_tags). Books then take the single-pass path, since the
             parallel path stitches pages with pypdf, which drops structure trees. Default:
             True for magazines, False for books.
  pdf_variant  WeasyPrint variant such as "pdf/ua-1" or "pdf/a-3b" (single-pass path).
  theme      a book's interior theme (editions/themes.py): "classic" (default), "modern", "elegant".
"""
from __future__ import annotations

import dataclasses
import io
import os
import re
import tempfile
import time
from pathlib import Path

from communique.documents.model import Document
from communique.editions.registry import BuildReport

from . import geometry as geo
from .chunks import Job, UnitPool, render_html, render_unit
from .collection import fewer_collections
from .roomy_stack import call_with_room
from .html import HtmlBuilder, font_face_css
from .phases import Phases

STYLESHEETS = Path(__file__).resolve().parent / "stylesheets"
OPTIONS = {"kind", "trim", "bleed", "lang", "workers", "tagged", "pdf_variant", "chunk_words", "print_rules", "theme"}
# By default a book's chapters are laid out in even chunks, two per worker; a chunk smaller than this
# costs more in its own style cascade and font subset than its share of the work saves.
MIN_CHUNK_WORDS = 4_000
PLACEHOLDER_PAGE = 888  # as wide as any real page number up to 999 in the contents' column


# A right-to-left book's page numbers sit at the outer edge, which :left / :right (physical sides)
# mirror: the spine is on the right of a left-hand page whichever way the book reads.
_RTL_FOLIOS = """
@page { @bottom-center { content: none } }
@page :right { @bottom-right { content: counter(page); font-size: 9pt; vertical-align: top; padding-top: 10pt; } }
@page :left { @bottom-left { content: counter(page); font-size: 9pt; vertical-align: top; padding-top: 10pt; } }
@page :blank { @bottom-left { content: none } @bottom-right { content: none } }
@page front { @bottom-left { content: none } @bottom-right { content: none } }
"""


class PdfBuildError(RuntimeError):
    pass


def _css(name: str) -> str:
    return (STYLESHEETS / name).read_text(encoding="utf-8")


class PdfWriter:
    format = "pdf"

    def write(self, document: Document, output_path: Path, options: dict | None = None) -> BuildReport:
        with fewer_collections():  # inherited by the layout workers it forks
            return call_with_room(self._write, document, output_path, options)

    def _write(self, document: Document, output_path: Path, options: dict | None) -> BuildReport:
        started = time.perf_counter()
        opts = dict(options or {})
        unknown = set(opts) - OPTIONS
        if unknown:
            raise ValueError(f"unknown PDF option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(OPTIONS))}")
        output_path = Path(output_path)
        from communique.editions import themes

        self._theme = themes.get(opts.get("theme"))  # an unknown name fails before any layout
        report = BuildReport(output_path, "pdf")
        report.warnings.extend(document.warnings)
        if opts.get("lang"):
            document = dataclasses.replace(
                document, meta=dataclasses.replace(document.meta, language=opts["lang"]))
        kind = opts.get("kind") or ("magazine" if any(d.kind == "article" for d in document.walk_divisions())
                                    else "book")
        if kind not in {"book", "magazine"}:
            raise ValueError(f"kind must be 'book' or 'magazine', not {kind!r}")
        tagged = opts.get("tagged")
        tagged = (kind == "magazine") if tagged is None else bool(tagged)
        # In a threaded process (a job worker) the layout workers come from a forkserver (chunks.py).
        workers = int(opts.get("workers") or min(2, os.cpu_count() or 1))

        if kind == "book" and not document.divisions:
            # The writer makes no pages of its own (no title page without the matter transform).
            raise ValueError("the document has no content to put in a PDF")
        if kind == "book":
            pdf, stats = self._book(document, opts, tagged, workers, report)
        else:
            pdf, stats = self._magazine(document, opts, tagged, report)
        _atomic_write(output_path, pdf)
        report.stats.update(stats)
        report.seconds = time.perf_counter() - started
        return report

    # ---- book ----

    def _book(self, document, opts, tagged, workers, report):
        trim = geo.parse_trim(opts.get("trim"))
        rules = opts.get("print_rules") or geo.GENERIC
        bleed = bool(opts.get("bleed"))
        words = None
        gutter = None
        passes = []
        pages = None
        phases = Phases()
        # The gutter depends on the page count, which depends on the gutter: start from an
        # estimate, and lay out again only if the book lands in a band that needs a wider
        # gutter. A wider gutter than required is allowed, so this never oscillates.
        for _ in range(3):
            if gutter is None:
                probe = geo.BookGeometry(trim, bleed, geo.gutter_for(0, rules), rules)
                builder = self._builder(document, "book", probe, BuildReport(report.output_path, "pdf"))
                with phases("html"):
                    front_special, units = builder.units()
                words = sum(u.words for u in units)
                # Aim 15% above the estimate: a second full layout costs as much as the first,
                # while a gutter one band wider than required costs a few pages at most.
                gutter = geo.gutter_for(int(_estimate_pages(words, len(units), probe) * ESTIMATE_HEADROOM), rules)
            geometry = geo.BookGeometry(trim, bleed, gutter, rules)
            sub_report = BuildReport(report.output_path, "pdf")  # image warnings once, from the final pass
            builder = self._builder(document, "book", geometry, sub_report)
            with phases("html"):
                front_special, units = builder.units()
            if tagged or opts.get("pdf_variant"):
                pdf, pages, starts = self._book_single(builder, front_special, units, geometry, opts, tagged)
                path, n_chunks = "single", 1
            else:
                pdf, pages, starts, n_chunks = self._book_parallel(
                    builder, front_special, units, geometry, workers, opts.get("chunk_words"), phases)
                path = f"parallel×{max(1, min(workers, n_chunks))}"
            passes.append({"gutter_in": float(gutter), "pages": pages})
            needed = geo.gutter_for(pages, rules)
            if needed <= gutter:
                break
            gutter = needed
        else:
            raise PdfBuildError(f"gutter did not settle after {len(passes)} layouts: {passes}")
        report.warnings.extend(sub_report.warnings)
        if rules.page_range and not rules.page_range[0] <= pages <= rules.page_range[1]:
            low, high = rules.page_range
            report.warn("page count", f"{pages} pages is outside {rules.name}'s range of {low}–{high}")
        stats = {"pages": pages, "geometry": geometry.to_dict(), "required_gutter_in": float(geo.gutter_for(pages, rules)),
                 "layouts": passes, "path": path, "chunks": n_chunks, "start_pages": starts, "words": words, "tagged": tagged,
                 "phases": phases.to_dict()}
        return pdf, stats

    def _builder(self, document, kind, geometry, report):
        if kind == "book":
            width, height = float(geometry.text_width), float(geometry.text_height) * 0.6
        else:
            width, height = float(geo.MAGAZINE_COLUMN_WIDTH_IN), float(geo.MAGAZINE_TEXT_HEIGHT_IN) * 0.45
        return HtmlBuilder(document, kind, width, height, report.warn)

    def _job(self, document, kind, geometry, pdf_options):
        css = [_css("common.css"), _css(f"{kind}.css"), _css("index.css")]
        if kind == "book":
            # Both running heads are set where each chapter opens, so first-except leaves the
            # opening page bare on either side (a recto is a left-hand page in RTL books).
            css.append("section.chapter > header h1, section.part > header h1 { string-set: chapter content(text), "
                       f"booktitle {_css_string(document.meta.title)}; }}")
            from communique.editions import themes

            css.append(themes.pdf_css(getattr(self, "_theme", None) or themes.get(None), document.meta.language))
        if geometry is not None:
            css.append(geometry.css())
        if kind == "book" and document.meta.direction == "rtl":
            css.append(_RTL_FOLIOS)
        css.append(font_face_css(document.meta.language))
        return Job(css, str(Path.cwd()) + os.sep, pdf_options, document.meta.language)

    def _book_parallel(self, builder, front_special, units, geometry, workers, chunk_words, phases):
        with phases("stylesheets"):
            job = self._job(builder.document, "book", geometry, {})
        # The index is laid out last, on its own, once the pages of its marks are known.
        index_units = [units[-1]] if units and units[-1].kind == "index" else []
        body_units = units[:len(units) - len(index_units)]
        chunks = (_group(body_units, chunk_words) if chunk_words
                  else _balanced(body_units, _chunk_count(body_units, workers)))
        workers = max(1, min(workers, len(chunks)))
        toc_ids = {e.id for e in builder.toc}
        wanted = toc_ids | builder.index_anchor_ids
        front_pages = None
        for _attempt in range(2):
            with phases("start workers"):
                pool = UnitPool(job, len(chunks), workers)  # forked before this process lays anything out
            try:
                with phases("chapter html"):
                    tasks = [(i, builder.page("\n".join(u.html for u in group)), wanted)
                             for i, group in enumerate(chunks)]
                pool.run(tasks)
                if front_pages is None:
                    # laid out here while the workers lay out the chapters: they need the count
                    # only when they draw their folios
                    placeholder = {e.id: PLACEHOLDER_PAGE for e in builder.toc}
                    # No opening pages (a document without the matter transform): the first
                    # chapter is page 1.
                    with phases("front matter, placeholder numbers"):
                        front_pages = _even(len(render_html(job, self._front_html(builder, front_special, placeholder)).pages)) \
                            if front_special else 0
                pool.set_front_pages(front_pages)
                with phases("waiting for the chapters' layout"):
                    laid_out = pool.layouts()
                # From here on the workers are drawing their last units while this process lays out
                # the index and the contents with the real numbers.
                numbers, page = {}, front_pages + 1
                for i in range(len(chunks)):
                    pages, anchors = laid_out[i]
                    for anchor, local in anchors.items():
                        numbers[anchor] = page + local
                    page += _even(pages)
                index_results = []
                for u in index_units:
                    numbers[u.id] = page
                    with phases("index"):
                        r = render_unit(job, len(chunks), builder.page(builder.fill_index(u.html, numbers)), set(),
                                        lambda n, start=page: start - 1)
                    index_results.append(r)
                    page += _even(r.pages)
                missing = toc_ids - set(numbers)
                if missing:
                    raise PdfBuildError(f"contents entries without a page: {sorted(missing)}")
                if front_special:
                    with phases("front matter, final"):
                        front = render_html(job, self._front_html(builder, front_special, numbers))
                    if _even(len(front.pages)) != front_pages:
                        # The real numbers changed the contents' length: every chapter moves, lay out again.
                        front_pages = _even(len(front.pages))
                        pool.terminate()
                        continue
                else:
                    front = None
                body = _Stitcher(geometry)
                for r in pool.results():
                    with phases("stitch"):
                        body.add(r.pdf, r.pages)  # parsed while the later units are still being drawn
                    phases.merge(r.cpu, "units: ")
                    phases.add("units: waiting for earlier counts", 0.0, r.waited)
                with phases("stop workers"):
                    pool.close()
            except BaseException:
                pool.terminate()
                raise
            for r in index_results:
                body.add(r.pdf, r.pages)
            break
        else:
            raise PdfBuildError("contents length did not settle")
        with phases("write"):
            if front is not None:
                buf = io.BytesIO()
                front.write_pdf(buf)
                body.prepend(buf.getvalue(), len(front.pages))
            pdf = body.finish(builder.document)
        return pdf, page - 1, {u.id: numbers[u.id] for u in units}, len(chunks)

    def _front_html(self, builder, front_special, numbers):
        return builder.page(builder.front(front_special, numbers))

    def _book_single(self, builder, front_special, units, geometry, opts, tagged):
        job = self._job(builder.document, "book", geometry, {})
        body = builder.front(front_special, None) + "\n".join(u.html for u in units)
        rendering = render_html(job, builder.page(body))
        if builder.index_slots:
            # Second layout with the index's real page numbers (ranges joined); the index is at the
            # back, so the pages its marks are on do not move.
            marks = _anchor_pages(rendering.pages, builder.index_anchor_ids)
            rendering = render_html(job, builder.page(builder.fill_index(body, marks)))
        pages = list(rendering.pages)
        if len(pages) % 2:
            # A blank verso so the count is even; taken from a one-page render of the same
            # page geometry rather than laying the whole book out again.
            blank = render_html(job, builder.page('<div class="end-blank"></div>'))
            pages.append(blank.pages[0])
        starts = _anchor_pages(pages, {u.id for u in units})
        pdf = rendering.copy(pages).write_pdf(pdf_tags=tagged, pdf_variant=opts.get("pdf_variant"))
        return pdf, len(pages), starts

    # ---- magazine ----

    def _magazine(self, document, opts, tagged, report):
        if opts.get("trim") or opts.get("bleed"):
            report.warn("options", "trim and bleed apply to books; a magazine issue prints on A4")
        builder = self._builder(document, "magazine", None, report)
        front_special, units = builder.units()
        job = self._job(document, "magazine", None, {})
        articles = [d for d in document.walk_divisions() if d.kind == "article"]
        # One article is not an issue: it opens on its own first page, with no cover. Contents and
        # other opening pages are the document's (the matter transform gives none for one article).
        cover = builder.cover() if len(articles) > 1 else ""
        body = cover + builder.front(front_special, None) + "\n".join(u.html for u in units)
        rendering = render_html(job, builder.page(body))
        if builder.index_slots:  # as in a book: lay out again with the index's real pages
            marks = _anchor_pages(rendering.pages, builder.index_anchor_ids)
            rendering = render_html(job, builder.page(builder.fill_index(body, marks)))
        starts = _anchor_pages(rendering.pages, {u.id for u in units})
        pdf = rendering.write_pdf(pdf_tags=tagged, pdf_variant=opts.get("pdf_variant"))
        return pdf, {"pages": len(rendering.pages), "start_pages": starts, "path": "single", "tagged": tagged}


def _css_string(text: str) -> str:
    return '"' + "".join(c if c.isalnum() or c in " .,:;!?'-–—()&" else f"\\{ord(c):x} " for c in text) + '"'


def _chunk_count(units, workers: int) -> int:
    """Two chunks a worker, so a worker that finishes early takes the next one, but none under
    MIN_CHUNK_WORDS: each chunk costs a style cascade and a font subset (~0.3 s of CPU)."""
    words = sum(u.words for u in units)
    return max(1, min(len(units), 2 * workers, words // MIN_CHUNK_WORDS))


def _balanced(units, n: int) -> list[list]:
    """Consecutive units in n groups whose largest word count is as small as it can be
    (binary search on that largest count; each unit is a whole chapter or part)."""
    sizes = [max(1, u.words) for u in units]

    def groups_for(limit):
        groups, current, words = [], [], 0
        for u, w in zip(units, sizes):
            if current and words + w > limit:
                groups.append(current)
                current, words = [], 0
            current.append(u)
            words += w
        if current:
            groups.append(current)
        return groups

    low, high = max(sizes, default=1), sum(sizes) or 1
    while low < high:
        mid = (low + high) // 2
        if len(groups_for(mid)) <= n:
            high = mid
        else:
            low = mid + 1
    return groups_for(low)


def _group(units, chunk_words: int) -> list[list]:
    """Consecutive units in groups of at least chunk_words words (the last may be smaller)."""
    groups, current, words = [], [], 0
    for u in units:
        current.append(u)
        words += u.words
        if words >= chunk_words:
            groups.append(current)
            current, words = [], 0
    if current:
        groups.append(current)
    return groups


def _even(n: int) -> int:
    return n + (n % 2)


def _anchor_pages(pages, ids) -> dict[str, int]:
    found = {}
    for i, page in enumerate(pages):
        for name in page.anchors:
            if name in ids and name not in found:
                found[name] = i + 1
    return found


ESTIMATE_HEADROOM = 1.15


def _estimate_pages(words: int, n_units: int, geometry: geo.BookGeometry) -> int:
    # Calibrated on generated manuscripts at 10.5 pt Noto Serif: about 11.5 words per square
    # inch of text block; each unit adds its opening sink and, on average, half a blank page.
    area = float(geometry.text_width * geometry.text_height)
    return 6 + int(words / (11.5 * area)) + int(1.5 * n_units)


def _pdf_date(value: str) -> str | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value or "")
    if not m:
        return None
    return "D:" + m.group(1) + (m.group(2) or "01") + (m.group(3) or "01") + "000000Z"


class _Stitcher:
    """Concatenates the separately laid-out parts, each padded to an even count so the next
    opens on a recto page, and sets the document information once for the whole book. Parts
    are added as they arrive, so parsing them overlaps the layout of the ones still running;
    the front matter, laid out last, goes in front."""

    def __init__(self, geometry: geo.BookGeometry):
        from pypdf import PdfWriter as PypdfWriter

        self.out = PypdfWriter()
        self.size = float(geometry.page_width) * 72, float(geometry.page_height) * 72

    def _pages(self, data: bytes, n: int):
        from pypdf import PdfReader

        return list(PdfReader(io.BytesIO(data)).pages), n % 2

    def add(self, data: bytes, n: int) -> None:
        pages, pad = self._pages(data, n)
        for page in pages:
            self.out.add_page(page)
        if pad:
            self.out.add_blank_page(*self.size)

    def prepend(self, data: bytes, n: int) -> None:
        pages, pad = self._pages(data, n)
        for i, page in enumerate(pages):
            self.out.insert_page(page, i)
        if pad:
            self.out.insert_blank_page(*self.size, index=len(pages))

    def finish(self, document: Document) -> bytes:
        from pypdf.generic import NameObject, TextStringObject

        meta = document.meta
        info = {"/Title": meta.title, "/Producer": "Communiqué (WeasyPrint, pypdf)", "/Creator": "Communiqué"}
        authors = [c.name for c in meta.authors]
        if authors:
            info["/Author"] = ", ".join(authors)
        if meta.description or meta.subtitle:
            info["/Subject"] = meta.description or meta.subtitle
        if meta.subjects:
            info["/Keywords"] = ", ".join(meta.subjects)
        if _pdf_date(meta.date):
            info["/CreationDate"] = info["/ModDate"] = _pdf_date(meta.date)
        self.out.add_metadata(info)
        self.out._root_object[NameObject("/Lang")] = TextStringObject(meta.language)
        buf = io.BytesIO()
        self.out.write(buf)
        return buf.getvalue()


def _atomic_write(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a failed build never leaves half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp creates 0600; a built edition is an ordinary file (0644 under the usual umask),
        # so it is readable once shipped (kit.zip, web server).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
