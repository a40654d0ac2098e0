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
