"""Lay out a book one top-level division at a time, in parallel, and stitch the pages.

Why this is correct: every chapter (or part) opens on a recto page, so each one starts a fresh
page whose side is known, and its line and page breaks do not depend on which page number it
starts at. Only the folios do. So each unit is laid out on its own; once its page count is
known it reports it, waits until the counts of all units before it are known, and the page
numbers in its margin boxes are shifted to the real start page before WeasyPrint draws them.
The contents are laid out again with the real start pages (found from the anchors of each
laid-out unit) as soon as every unit is laid out, while the workers are still drawing, and must
keep the page count they had with placeholder numbers.

The price: pypdf does not merge structure trees, so this path writes an untagged PDF; a
tagged book uses the single-pass path (option tagged=True).
"""
from __future__ import annotations

import io
import multiprocessing as mp
from multiprocessing.connection import wait
import time
from dataclasses import dataclass, field

import weasyprint
import weasyprint.layout

from . import weasyfixes  # noqa: F401  (keeps footnotes on their reference's page)
from . import streams  # noqa: F401  (deflates at level 6, not 9)
from .collection import fewer_collections
from .roomy_stack import call_with_room
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

_original_margin_boxes = weasyprint.layout.make_margin_boxes
# Set around one render() in this process: called once with the unit's page count, returns
# how much to add to every page number.
_shift_provider = None
_shift_value = None


def _shifted_margin_boxes(context, page, state):
    global _shift_value
    if _shift_provider is not None:
        if _shift_value is None:
            # margin boxes are built after every page of the unit is laid out, so the count
            # is final here; page_maker holds one entry per page plus the resume state.
            _shift_value = _shift_provider(len(context.page_maker) - 1)
        if _shift_value:
            quote_depth, counter_values, counter_scopes, page_groups = state
            counter_values = dict(counter_values)
            counter_values["page"] = [v + _shift_value for v in counter_values.get("page", [0])]
            state = (quote_depth, counter_values, counter_scopes, page_groups)
    return _original_margin_boxes(context, page, state)


weasyprint.layout.make_margin_boxes = _shifted_margin_boxes


@dataclass
class UnitResult:
    index: int
    pdf: bytes
    pages: int
    anchors: dict[str, int]  # id -> 0-based page within the unit
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per phase (phases.py)
    waited: float = 0.0  # wall seconds spent waiting for the earlier units' page counts


@dataclass
class Job:
    css: list[str]
    base_url: str
    pdf_options: dict
    lang: str | None = None  # the book's language, whose hyphenation patterns are loaded before forking


_sheets_cache: dict = {}


def _stylesheets(job: Job):
    # Parsing the @font-face rules loads every font file into fontconfig (~0.1 s a face):
    # do it once per process and stylesheet set, not once per chapter.
    key = tuple(job.css)
    if key not in _sheets_cache:
        _sheets_cache.clear()
        font_config = FontConfiguration()
        _sheets_cache[key] = (font_config, [CSS(string=s, font_config=font_config) for s in job.css])
    return _sheets_cache[key]


def preload_hyphenation(lang: str | None) -> None:
    """Parse the language's hyphenation patterns (~0.2 s of CPU) into pyphen's process-wide cache,
    so that forked workers inherit them instead of each parsing them again."""
    import pyphen

    fallback = lang and pyphen.language_fallback(lang)
    if fallback:
        pyphen.Pyphen(lang=fallback)


def render_html(job: Job, html: str):
    font_config, sheets = _stylesheets(job)
    return HTML(string=html, base_url=job.base_url).render(
        stylesheets=sheets, font_config=font_config, **job.pdf_options)


def render_unit(job: Job, index: int, html: str, wanted: set[str], shift_provider, on_layout=None) -> UnitResult:
    """Lay out and draw one unit. on_layout(index, pages, anchors), if given, is called between
    the two, so that the caller can use the unit's page count and anchors while it is drawn."""
    global _shift_provider, _shift_value
    _shift_provider, _shift_value = shift_provider, None
    cpu = {}
    try:
        started = time.process_time()
        _stylesheets(job)
        cpu["stylesheets"] = time.process_time() - started
        started = time.process_time()
        rendering = render_html(job, html)
        anchors = {}
        for i, page in enumerate(rendering.pages):
            for name in page.anchors:
                if name in wanted and name not in anchors:
                    anchors[name] = i
        cpu["layout"] = time.process_time() - started
        if on_layout is not None:
            on_layout(index, len(rendering.pages), anchors)
        started = time.process_time()
        buf = io.BytesIO()
        rendering.write_pdf(buf, **job.pdf_options)
        cpu["draw"] = time.process_time() - started
        return UnitResult(index, buf.getvalue(), len(rendering.pages), anchors, cpu)
    finally:
        _shift_provider, _shift_value = None, None


# ---- worker processes ------------------------------------------------------------------

_W: dict = {}


def _init_worker(job, counts, front, cond, laid_out, laid_out_lock):
    _W.update(job=job, counts=counts, front=front, cond=cond, laid_out=laid_out, laid_out_lock=laid_out_lock)


def _start_page(front_pages: int, counts) -> int:
    # every unit is padded to an even count so that the next one opens on a recto page
    return front_pages + 1 + sum(c + (c % 2) for c in counts)


def _worker_unit(args) -> UnitResult:
    index, html, wanted = args
    counts, front, cond = _W["counts"], _W["front"], _W["cond"]
    waited = 0.0

    def provider(n_pages: int) -> int:
        nonlocal waited
        started = time.perf_counter()
        with cond:
            counts[index] = n_pages
            cond.notify_all()
            cond.wait_for(lambda: front.value >= 0 and all(counts[j] >= 0 for j in range(index)))
            start = _start_page(front.value, counts[:index]) - 1
        waited = time.perf_counter() - started
        return start

    def on_layout(i, pages, anchors):
        with _W["laid_out_lock"]:  # one pipe for all workers: a message is written whole
            _W["laid_out"].send((i, pages, anchors))

    with fewer_collections():  # a forkserver's worker did not inherit the parent's settings
        result = call_with_room(render_unit, _W["job"], index, html, wanted, provider, on_layout)
    result.waited = waited
    return result


def _context():
    """fork when this process runs no other thread: workers inherit the imported WeasyPrint and
    the patched line boxes instead of importing them again, and are started before the parent
    lays anything out, so no Pango state is shared. In a threaded process (a job worker with its
    clock, a web server) forking can deadlock the child on a lock another thread held, so the
    workers come from a forkserver, a clean single-threaded process that imported this module
    (and so the patches) once."""
    import threading

    if threading.active_count() == 1:
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


class UnitPool:
    """Workers laying out units in order; the parent tells them the front-matter length.

    Each worker reports a unit's page count and anchors as soon as it is laid out, before it
    draws the unit (a third of its time): the parent lays out the contents with the real page
    numbers, and the index, while the last units are being drawn."""

    def __init__(self, job: Job, n_units: int, workers: int):
        self.workers = workers
        self.job = job
        self._done: list[UnitResult] = []
        if workers > 1:
            ctx = _context()
            if ctx.get_start_method() == "fork":
                preload_hyphenation(job.lang)  # inherited by the workers
            self.cond = ctx.Condition()
            self.counts = ctx.Array("i", [-1] * n_units, lock=False)
            self.front = ctx.Value("i", -1, lock=False)
            self._laid_out, laid_out = ctx.Pipe(duplex=False)
            self.pool = ctx.Pool(workers, initializer=_init_worker,
                                 initargs=(job, self.counts, self.front, self.cond, laid_out, ctx.Lock()))
        else:
            self.pool = None

    def set_front_pages(self, n: int) -> None:
        if self.pool is not None:
            with self.cond:
                self.front.value = n
                self.cond.notify_all()
        else:
            self._front = n

    def run(self, units: list[tuple[int, str, set[str]]]) -> None:
        """Start laying out the units at once.

        The workers start before the caller lays out the front matter: they only need its page
        count when they draw their folios, after their own layout."""
        self._count = len(units)
        if self.pool is not None:
            self._pending = self.pool.imap(_worker_unit, units, chunksize=1)
        else:
            self._pending = self._run_here(units)

    def layouts(self) -> dict[int, tuple[int, dict[str, int]]]:
        """Wait until every unit is laid out (not necessarily drawn): index -> (pages, anchors).
        A unit that failed raises its error here."""
        if self.pool is None:
            self._done.extend(self._pending)
            return {r.index: (r.pages, r.anchors) for r in self._done}
        found: dict[int, tuple[int, dict[str, int]]] = {}
        while len(found) < self._count:
            if wait([self._laid_out], timeout=0.2):
                index, pages, anchors = self._laid_out.recv()
                found[index] = (pages, anchors)
                continue
            # A failed unit sends no report: its exception comes with the results.
            try:
                self._done.append(self._pending.next(timeout=0))
            except mp.TimeoutError:
                pass
            except StopIteration:
                # every unit is drawn, so every report has been sent
                while len(found) < self._count:
                    index, pages, anchors = self._laid_out.recv()
                    found[index] = (pages, anchors)
        return found

    def results(self):
        """The UnitResults in order, as they are drawn."""
        yield from self._done
        self._done = []
        if self.pool is not None:
            yield from self._pending

    def _run_here(self, units):
        counts: list[int] = []
        for index, html, wanted in units:
            start = _start_page(self._front, counts)
            result = render_unit(self.job, index, html, wanted, lambda n, s=start: s - 1)
            counts.append(result.pages)
            yield result

    def close(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join()

    def terminate(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
