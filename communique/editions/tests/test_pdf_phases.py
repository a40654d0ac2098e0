"""The parallel book layout's serial-part savings: layouts reported before drawing, hyphenation
patterns parsed before forking, streams deflated at level 6, and the CPU breakdown per phase."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import zlib

import pydyf
from pypdf import PdfReader

from communique.editions.pdf import PdfWriter, chunks, samples, streams
from communique.editions.pdf import writer as writer_module


def _job():
    return writer_module.PdfWriter()._job(samples.book(chapters=1, paragraphs=1), "book", None, {})


def test_a_unit_reports_its_layout_before_it_is_drawn(monkeypatch):
    import weasyprint.document

    events = []
    original = weasyprint.document.Document.write_pdf

    def write_pdf(self, *args, **kwargs):
        events.append("draw")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.document.Document, "write_pdf", write_pdf)
    html = '<section class="chapter" id="c1"><h1>One</h1><p>Text.</p></section>'
    result = chunks.render_unit(_job(), 0, f"<html><body>{html}</body></html>", {"c1"}, lambda n: 0,
                                lambda *report: events.append(report))
    assert events == [(0, result.pages, {"c1": 0}), "draw"]
    assert set(result.cpu) == {"stylesheets", "layout", "draw"}
    assert result.cpu["layout"] > 0 and result.cpu["draw"] > 0


def test_streams_are_deflated_at_level_six():
    data = b"BT /F1 10 Tf 72 700 Td (diplomacy embassy treaty) Tj ET\n" * 400
    stream = pydyf.Stream([data], compress=True)
    body = stream.data.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    level6 = zlib.compressobj(6)
    assert body == level6.compress(data) + level6.flush()
    assert zlib.decompress(body) == data
    # zlib's other names still reach pydyf
    assert pydyf.zlib.compress(b"x") == zlib.compress(b"x")
    assert streams.LEVEL == 6


def test_hyphenation_patterns_are_parsed_once_before_forking():
    import pyphen

    pyphen.hdcache.clear()
    chunks.preload_hyphenation("en")
    # the patterns WeasyPrint picks for lang="en" (line_break.py: pyphen.language_fallback)
    assert list(pyphen.hdcache) == [pyphen.LANGUAGES[pyphen.language_fallback("en")]]
    chunks.preload_hyphenation("zz")  # no patterns for it: nothing to load, no error
    chunks.preload_hyphenation(None)


def _fresh_process(code: str, tmp_path):
    """Forking needs a process without other threads (earlier tests may leave some)."""
    import os
    from pathlib import Path

    import communique

    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(code))
    # this checkout's code, whichever checkout the interpreter was installed from
    env = dict(os.environ, PYTHONPATH=str(Path(communique.__file__).resolve().parents[1]))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600, env=env)


def test_a_failed_unit_raises_instead_of_waiting_for_its_layout(tmp_path):
    done = _fresh_process("""
        from communique.editions.pdf import chunks, samples, writer

        job = writer.PdfWriter()._job(samples.book(chapters=1, paragraphs=1), "book", None, {})
        original = chunks.render_unit

        def render_unit(job, index, html, *args):
            if index == 1:
                raise ValueError("unit 1 is broken")
            return original(job, index, html, *args)

        chunks.render_unit = render_unit  # the forked workers inherit it
        pool = chunks.UnitPool(job, 2, 2)
        page = '<html><body><section class="chapter"><p>Text.</p></section></body></html>'
        pool.run([(0, page, set()), (1, page, set())])
        pool.set_front_pages(0)
        try:
            pool.layouts()
        except ValueError as exc:
            print("raised:", exc)
        finally:
            pool.terminate()
    """, tmp_path)
    assert "raised: unit 1 is broken" in done.stdout, done.stderr


def test_report_breaks_the_cpu_time_down_by_phase(tmp_path):
    done = _fresh_process(f"""
        import json
        from communique.documents import transforms
        from communique.editions.pdf import PdfWriter, samples

        doc = transforms.run(samples.book(chapters=4, paragraphs=12), ["matter"], {{"matter": {{"medium": "print"}}}})
        report = PdfWriter().write(doc, {str(tmp_path / 'book.pdf')!r}, {{"workers": 2, "chunk_words": 400}})
        print(json.dumps([report.stats["path"], report.stats["pages"], report.stats["phases"]]))
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    import json

    path, pages, phases = json.loads(done.stdout.strip().splitlines()[-1])
    assert path == "parallel×2"
    for name in ("html", "start workers", "front matter, placeholder numbers", "front matter, final",
                 "waiting for the chapters' layout", "stitch", "write", "units: layout", "units: draw"):
        assert name in phases, name
    assert phases["units: layout"]["cpu"] > phases["front matter, final"]["cpu"] > 0
    assert phases["units: draw"]["cpu"] > 0
    assert len(PdfReader(tmp_path / "book.pdf").pages) == pages


def test_in_process_layout_has_the_same_phases(tmp_path):
    report = PdfWriter().write(samples.book(chapters=2, paragraphs=4), tmp_path / "b.pdf",
                               {"workers": 1, "chunk_words": 200})
    assert report.stats["phases"]["units: layout"]["cpu"] > 0
    assert "front matter, final" not in report.stats["phases"]  # no matter transform: no front matter


def test_layout_runs_with_fewer_collections_and_the_process_gets_its_collector_back(monkeypatch, tmp_path):
    import gc

    from communique.editions.pdf import collection

    seen = []
    original = chunks.render_html

    def render_html(job, html):
        seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return original(job, html)

    monkeypatch.setattr(chunks, "render_html", render_html)
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    PdfWriter().write(samples.book(chapters=2, paragraphs=4), tmp_path / "b.pdf", {"workers": 1})
    assert seen and all(s == ((collection.YOUNG, collection.MIDDLE, collection.OLD), True) for s in seen)
    # A job worker builds book after book: what one build froze must be collectable after it.
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_keeps_its_freeze():
    import gc

    from communique.editions.pdf import collection

    gc.freeze()
    try:
        with collection.fewer_collections():
            with collection.fewer_collections():  # the forkserver worker's own, inside the writer's
                assert gc.get_threshold()[0] == collection.YOUNG
            assert gc.get_threshold()[0] == collection.YOUNG
        # Not unfrozen (which empties the permanent generation); frozen objects that died since are
        # still freed by their reference counts, so the count itself may be lower.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_layout_workers_run_with_fewer_collections(tmp_path):
    done = _fresh_process(f"""
        import gc
        from communique.editions.pdf import chunks, samples, writer

        original = chunks.render_unit

        def render_unit(*args, **kwargs):
            print("worker thresholds", gc.get_threshold()[0], flush=True)
            return original(*args, **kwargs)

        chunks.render_unit = render_unit  # the forked workers inherit it
        writer.PdfWriter().write(samples.book(chapters=4, paragraphs=12), {str(tmp_path / 'book.pdf')!r},
                                 {{"workers": 2, "chunk_words": 400}})
    """, tmp_path)
    from communique.editions.pdf import collection

    assert done.returncode == 0, done.stderr
    assert done.stdout.count(f"worker thresholds {collection.YOUNG}") >= 2, done.stdout


def test_the_layout_is_called_with_room_on_the_stack(monkeypatch, tmp_path):
    import inspect

    from communique.editions.pdf import roomy_stack

    assert roomy_stack._call.__code__.co_stacksize == roomy_stack.ROOM_SLOTS
    assert roomy_stack.call_with_room(lambda a, b=0: a + b, 40, b=2) == 42
    depths = []
    original = chunks.render_html

    def render_html(job, html):
        depths.append(any(f.frame.f_code is roomy_stack._call.__code__ for f in inspect.stack(0)[1:]))
        return original(job, html)

    monkeypatch.setattr(chunks, "render_html", render_html)
    PdfWriter().write(samples.book(chapters=1, paragraphs=2), tmp_path / "b.pdf", {"workers": 1})
    assert depths and all(depths)
