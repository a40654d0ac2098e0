#!/usr/bin/env python3
"""Editions against what a user would otherwise run, on one generated manuscript, in one run:

- EPUB: `communique render --to epub` against `pandoc → EPUB 3`;
- PDF:  `communique render --to pdf` against `pandoc → HTML` then `weasyprint` (the same engine),
  with the peak memory of each command's whole process tree. Like for like: the baseline's HTML
  carries the book's language (`-M lang=…`, without which WeasyPrint does not hyphenate) and its
  stylesheet justifies and hyphenates, as Communiqué's does.

The two systems alternate within each repeat, so a change in the machine's load hits both.
Communiqué's PDF is also run with one layout worker, which gives the serial part of its time and
so the floor on more cores (Amdahl: T(n) = S + P/n from T(1) and T(2)).

    .venv/bin/python bench/editions.py [--words 100000] [--footnotes 120] [--repeat 5]

Writes the "editions" section of docs/performance.md, with the CPU time of each phase of one PDF
build (the writer's stats["phases"]); `--phases-only` prints that breakdown without the comparison
runs (quick, and meaningful on a loaded machine, where wall time is not)."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
BOOK_CSS = """@page { size: 6in 9in; margin: 0.75in 0.6in; @bottom-center { content: counter(page); } }
body { font-family: "Noto Serif", serif; font-size: 10.5pt; line-height: 1.4; hyphens: auto; text-align: justify; }
h1 { break-before: right; } .footnote-ref { vertical-align: super; font-size: 70%; }"""


def tree_memory_kb(pid):
    """(RSS, PSS) of a process and its descendants (Linux /proc), in KiB. RSS counts the pages that
    forked workers share with their parent once per process; PSS splits each shared page among its
    sharers, so it is what the tree really holds."""
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                rss += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
            with open(f"/proc/{p}/smaps_rollup") as fh:
                pss += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, StopIteration):
            continue
    return rss, pss


def measure(cmd, env=None):
    """(wall s, CPU s, peak MB) of a command's whole process tree. CPU time is the fairer figure on
    a shared machine; wall time is what a user waits; the PDF writer's workers make them differ."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], env=env, stdout=subprocess.DEVNULL)
    peak, done = [0, 0], threading.Event()

    def sample():
        while not done.is_set():
            rss, pss = tree_memory_kb(proc.pid)
            peak[:] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # usage covers every descendant it reaped
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"{cmd[0]} … failed with exit code {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, (peak[0] / 1024, peak[1] / 1024)


def pipeline(cmds, env=None):
    """(wall, CPU, (peak RSS MB, peak PSS MB)) of commands run one after the other, as a user would."""
    wall = cpu = 0.0
    peak = (0.0, 0.0)
    for cmd in cmds:
        w, c, m = measure(cmd, env)
        wall, cpu, peak = wall + w, cpu + c, (max(peak[0], m[0]), max(peak[1], m[1]))
    return wall, cpu, peak


def summarise(runs):
    """Median wall and CPU time and the highest peak memory over the runs of one pipeline."""
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        (max(r[2][0] for r in runs), max(r[2][1] for r in runs)),
    )


def mb(peak):
    return f"{peak[0]:.0f} MB (PSS {peak[1]:.0f} MB)"


def pdf_pages(path):
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


# Phases of the PDF build that run while no layout worker is busy: before the workers start, and
# the final write after the last chapter is drawn. Everything else overlaps the workers.
SERIAL_PHASES = ("start-up", "imports", "read manuscript", "transforms", "html", "start workers", "write")


def phase_run(manuscript, output):
    """One `communique render --to pdf` done in this (fresh) process, timed phase by phase; prints
    the CPU seconds of each phase as JSON. The start-up is the interpreter's and site's CPU before
    this function runs."""
    import json
    import resource

    def cpu():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    phases = {"start-up": cpu()}

    def timed(name, fn):
        before = cpu()
        value = fn()
        phases[name] = phases.get(name, 0.0) + cpu() - before
        return value

    def imports():
        from communique.documents import transforms
        from communique.documents.readers import read
        from communique.editions.registry import write

        return read, transforms, write

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings.dev")
    read, transforms, write = timed("imports", imports)
    # the writer module imports WeasyPrint; loaded here as `communique render` loads it
    timed("imports", lambda: __import__("communique.editions.pdf.writer"))
    document = timed("read manuscript", lambda: read(Path(manuscript), "markdown"))
    matter = {"matter": {"medium": "print", "format": None, "fonts_line": True}}
    document = timed("transforms", lambda: transforms.run(document, ["matter"], matter))
    before = cpu()
    report = write("pdf", document, Path(output), {"trim": "6x9"})
    writer_cpu = cpu() - before
    writer = {name: v["cpu"] for name, v in report.stats.get("phases", {}).items() if not name.startswith("units: ")}
    units = {name[len("units: "):]: v for name, v in report.stats.get("phases", {}).items() if name.startswith("units: ")}
    phases.update(writer)
    phases["writer, other"] = writer_cpu - sum(writer.values())
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"parent": phases, "units": {k: v["cpu"] for k, v in units.items()},
                      "waited": units.get("waiting for earlier counts", {}).get("wall", 0.0),
                      "children_cpu": children.ru_utime + children.ru_stime, "pages": report.stats["pages"],
                      "chunks": report.stats["chunks"]}))


def phase_table(result):
    """Markdown table of one phase_run's result, and the serial CPU seconds."""
    parent, units = result["parent"], result["units"]
    rows = [f"| {name} | this process{' (serial)' if name in SERIAL_PHASES else ''} | {seconds:.2f} s |"
            for name, seconds in parent.items()]
    rows += [f"| chapters: {name} | workers | {seconds:.2f} s |" for name, seconds in units.items()
             if name != "waiting for earlier counts"]
    serial = sum(parent.get(name, 0.0) for name in SERIAL_PHASES)
    rows.append(f"| **serial part** | this process | **{serial:.2f} s** |")
    rows.append(f"| all workers | workers | {result['children_cpu']:.2f} s |")
    return "| phase | where | CPU |\n| --- | --- | ---: |\n" + "\n".join(rows), serial


def measure_phases(manuscript, output, env):
    import json

    out = subprocess.run([BIN / "python", __file__, "--phase-run", manuscript, output], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--footnotes", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--phases-only", action="store_true", help="print the PDF phase breakdown and stop")
    parser.add_argument("--phase-run", nargs=2, metavar=("MANUSCRIPT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase_run:
        return phase_run(*args.phase_run)

    import pypandoc

    from communique.documents.sample import generate_manuscript

    pandoc = pypandoc.get_pandoc_path()
    # This checkout's code: the venv's `communique` script may come from another checkout's install.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="communique.settings.dev",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
        tmp = Path(tmp)
        ms = tmp / "manuscript.md"
        ms.write_text(generate_manuscript(words=args.words, footnotes=args.footnotes, seed=1))
        (tmp / "book.css").write_text(BOOK_CSS)
        words = len(ms.read_text().split())
        language = next((line.split(":", 1)[1].strip() for line in ms.read_text().splitlines()[:40]
                         if line.startswith("language:")), "en")
        print(f"manuscript: {words} words, {args.footnotes} footnotes", flush=True)
        if args.phases_only:
            table, serial = phase_table(measure_phases(ms, tmp / "phases.pdf", env))
            print(f"load average {os.getloadavg()[0]:.1f}\n{table}")
            return

        render = [BIN / "communique", "render", ms]
        jobs = {
            "c_epub": [render + ["--to", "epub", "-o", tmp / "c.epub"]],
            "p_epub": [[pandoc, ms, "-o", tmp / "p.epub", "--toc"]],
            "c_pdf": [render + ["--to", "pdf", "-o", tmp / "c.pdf", "--trim", "6x9"]],
            "p_pdf": [
                [pandoc, ms, "-s", "-o", tmp / "p.html", "--css", tmp / "book.css", "-M", "document-css=false",
                 "-M", f"lang={language}"],
                [BIN / "python", "-m", "weasyprint", tmp / "p.html", tmp / "p.pdf"],
            ],
            "c_pdf1": [render + ["--to", "pdf", "-o", tmp / "c1.pdf", "--trim", "6x9", "--workers", "1"]],
        }
        load_before = os.getloadavg()[0]
        runs = {name: [] for name in jobs}
        for i in range(args.repeat):
            for name, cmds in jobs.items():
                runs[name].append(pipeline(cmds, env))
                print(f"  run {i + 1}: {name} {runs[name][-1][0]:.2f} s", flush=True)
        c_epub, p_epub, c_pdf, p_pdf, c_pdf1 = (summarise(runs[n]) for n in jobs)
        c_pages, p_pages = pdf_pages(tmp / "c.pdf"), pdf_pages(tmp / "p.pdf")
        phase_load = os.getloadavg()[0]
        phase_result = measure_phases(ms, tmp / "phases.pdf", env)
        phases, serial_cpu = phase_table(phase_result)

    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    # Each Communiqué build runs next to a baseline build: their ratio cancels the machine's drift
    # over the run, which on a shared host moves a 10 s build by a second or more.
    paired = sorted(c[0] / p[0] for c, p in zip(runs["c_pdf"], runs["p_pdf"]))
    paired_text = ", ".join(f"{r:.2f}×" for r in paired)
    parallel = max(0.0, 2 * (c_pdf1[0] - c_pdf[0]))  # P in T(n) = S + P/n
    serial = c_pdf1[0] - parallel
    floor = "\n".join(
        f"| {n} | {serial + parallel / n:.1f} s | {(serial + parallel / n) / p_pdf[0]:.2f}× |" for n in (1, 2, 4, 8))
    body = f"""## Editions: EPUB and print PDF

A generated manuscript of {words:,} words with {args.footnotes} footnotes (`communique.documents.sample`),
6 × 9 in, in `{language}`. Whole commands as a user runs them, median of {args.repeat} runs, the systems
alternating within each run; CPU time and peak memory cover each command's whole process tree
(peak RSS, summed over the processes, and PSS, which counts a page the forked workers share once)
(Communiqué lays out chapters in two worker processes). Load average: {load} on
{os.cpu_count()} cores — CPU time is the fairer comparison when the machine is busy. The baseline
hyphenates and justifies like Communiqué (`lang` on its `<html>`, `hyphens: auto`, `text-align: justify`).

| Output | Communiqué wall / CPU / peak | Baseline wall / CPU / peak | Wall ratio | CPU ratio |
| --- | ---: | ---: | ---: | ---: |
| EPUB 3 | {c_epub[0]:.2f} s / {c_epub[1]:.2f} s / {mb(c_epub[2])} | pandoc: {p_epub[0]:.2f} s / {p_epub[1]:.2f} s / {mb(p_epub[2])} | {c_epub[0] / p_epub[0]:.2f}× | {c_epub[1] / p_epub[1]:.2f}× |
| print PDF, 1 worker | {c_pdf1[0]:.1f} s / {c_pdf1[1]:.1f} s / {mb(c_pdf1[2])} | (same baseline) | {c_pdf1[0] / p_pdf[0]:.2f}× | {c_pdf1[1] / p_pdf[1]:.2f}× |
| print PDF | {c_pdf[0]:.1f} s / {c_pdf[1]:.1f} s / {mb(c_pdf[2])} ({c_pages} pages) | pandoc → HTML + WeasyPrint: {p_pdf[0]:.1f} s / {p_pdf[1]:.1f} s / {mb(p_pdf[2])} ({p_pages} pages) | {c_pdf[0] / p_pdf[0]:.2f}× | {c_pdf[1] / p_pdf[1]:.2f}× |

Print PDF, each build's wall time over the baseline build next to it, by run: {paired_text};
median **{statistics.median(paired):.2f}×** (the table's ratio is of the medians).

Aims: EPUB under 0.5× pandoc's time; PDF under 0.6× of pandoc + WeasyPrint and under 300 MB, read as
PSS: the RSS sum counts every page the forked workers share with the parent once per process, and
grows when more of them stay shared (the layout's fewer garbage collections copy fewer of them).
Communiqué's EPUB embeds its fonts (pandoc's does not) and Communiqué's PDF is a complete book:
title and copyright pages, contents with real page numbers, running heads, hyphenated justified text,
footnotes at the foot of the page, the gutter KDP requires for the page count and an even page count.
The baseline is pandoc's plain HTML with a minimal 6 × 9 stylesheet (endnotes, no running heads, no
contents page numbers), so it does less work per page.

**The floor.** From the one- and two-worker runs, Communiqué's PDF time splits into a serial part
S = {serial:.1f} s (start-up and the WeasyPrint import, reading the manuscript, building the HTML,
starting the workers, chapters waiting for the page counts of the ones before them, the uneven
end of the two workers' queues, writing the file) and a parallel part P = {parallel:.1f} s (laying
out and drawing the chapters; the contents' final layout and the index overlap the drawing).
Measured this way S includes what two workers lose to each other, so it is an upper bound; the
CPU breakdown below gives the parts that run alone. What more cores would give, T(n) = S + P/n, against the baseline's
{p_pdf[0]:.1f} s (estimated from this run, not measured beyond {os.cpu_count()} cores):

| cores | PDF wall | vs baseline |
| ---: | ---: | ---: |
{floor}

**Where the CPU goes** in one PDF build of the same manuscript (load average {phase_load:.1f}; CPU
seconds, which the load inflates less than wall time; the serial part is what runs while no
worker is busy: start-up, imports, reading, building the HTML, starting the workers and writing
the file; the contents' final layout and the index are laid out while the workers draw their
last chapters):

{phases}"""
    print(body)
    write_section("editions", body)


if __name__ == "__main__":
    main()
