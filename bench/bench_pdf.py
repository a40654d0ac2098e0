"""PDF benchmark: Communiqué's print PDF against pandoc → HTML → WeasyPrint on one manuscript.

    .venv/bin/python bench/bench_pdf.py [--words 100000] [--footnotes 124] [--trim a5] [--runs 1]

Both sides read the same generated Markdown (communique.documents.sample). Time is wall clock;
memory is the peak of the summed RSS of the process and its children (sampled every 50 ms from
/proc), because our writer lays out chapters in worker processes. Writes a section of
docs/performance.md. Needs pypandoc-binary (the `bench` extra).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def measure(cmd: list[str], env=None) -> tuple[float, float, float]:
    """(wall seconds, peak MB of the process tree, CPU seconds of the tree). CPU time matters on
    a shared machine: wall time there depends on what else runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    # wait4's usage covers the child and every descendant it reaped (the pool's workers)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    if rc:
        raise SystemExit(f"{cmd[:3]}… failed with exit code {rc}")
    return elapsed, peak / 1024, usage.ru_utime + usage.ru_stime


PANDOC_WEASY = r"""
import sys, pypandoc, weasyprint
src, html, pdf = sys.argv[1:4]
pypandoc.convert_file(src, "html", outputfile=html, extra_args=["--standalone", "-M", "document-css=false",
                      "--css", sys.argv[4]])
weasyprint.HTML(filename=html).write_pdf(pdf)
"""

OURS = r"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.dev")
from communique.documents.readers import read_markdown
from communique.editions.registry import write
doc = read_markdown(sys.argv[1])
report = write("pdf", doc, sys.argv[2], {"trim": sys.argv[3], "workers": int(sys.argv[4])})
s = report.stats
print(f"  pages {s['pages']}, gutter {s['geometry']['gutter_in']} in, layouts {len(s['layouts'])}, path {s['path']}, "
      f"warnings {len(report.warnings)}", flush=True)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--footnotes", type=int, default=124)
    ap.add_argument("--trim", default="a5")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--skip-pandoc", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/performance.md")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.dev")
    sys.path.insert(0, str(ROOT))
    from communique.documents.sample import generate_manuscript

    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    src = work / "manuscript.md"
    src.write_text(generate_manuscript(words=args.words, footnotes=args.footnotes), encoding="utf-8")
    # The baseline gets a minimal A5 print stylesheet with footnotes, like ours but without
    # running heads, mirrored margins or contents page numbers.
    css = work / "a5.css"
    css.write_text("@page { size: A5; margin: 2cm; @bottom-center { content: counter(page) } }\n"
                   "body { font-family: 'Noto Serif'; font-size: 10.5pt; line-height: 1.38; }\n")
    rows = []
    for run in range(args.runs):
        if not args.skip_pandoc:
            t, mb, cpu = measure([PY, "-c", PANDOC_WEASY, str(src), str(work / "p.html"), str(work / "p.pdf"), str(css)])
            rows.append(("pandoc → HTML → WeasyPrint", t, mb, cpu, _pages(work / "p.pdf"), _load()))
            print(f"pandoc+WeasyPrint: {t:.1f} s, {cpu:.1f} CPU s, {mb:.0f} MB, {rows[-1][4]} pages", flush=True)
        t, mb, cpu = measure([PY, "-c", OURS, str(src), str(work / "c.pdf"), args.trim, str(args.workers)])
        rows.append((f"Communiqué PDF writer ({args.workers} workers)", t, mb, cpu, _pages(work / "c.pdf"), _load()))
        print(f"Communiqué: {t:.1f} s, {cpu:.1f} CPU s, {mb:.0f} MB, {rows[-1][4]} pages", flush=True)

    body = [f"## PDF: {args.words:,} words, {args.footnotes} footnotes, trim {args.trim}", "",
            "| Pipeline | Wall time (s) | CPU time, process tree (s) | Peak RSS, process tree (MB) | Pages | Load avg after |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    body += [f"| {name} | {t:.1f} | {cpu:.1f} | {mb:.0f} | {pages} | {load} |" for name, t, mb, cpu, pages, load in rows]
    body += ["", "Communiqué's run includes reading the Markdown, contents with real page numbers, running heads, "
             "mirrored margins with the KDP gutter, footnotes and the even page count; the baseline has none of "
             "those. Load on the machine (other jobs) changes both figures."]
    print("\n".join(body))
    if not args.no_write:
        from bench.report import write_section

        write_section("pdf", "\n".join(body))


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    main()
