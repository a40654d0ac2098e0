#!/usr/bin/env python3
"""Editions against what a user would otherwise run, on one generated manuscript, in one run:

- EPUB: `communique render --to epub` against `pandoc → EPUB 3`;
- PDF:  `communique render --to pdf` against `pandoc → HTML` then `weasyprint` (the same engine),
  with the peak memory of each command's whole process tree.

    .venv/bin/python bench/editions.py [--words 100000] [--footnotes 120] [--repeat 3]

Writes the "editions" section of docs/performance.md."""
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
BOOK_CSS = """@page { size: 6in 9in; margin: 0.75in 0.6in; @bottom-center { content: counter(page); } }
body { font-family: "Noto Serif", serif; font-size: 10.5pt; line-height: 1.4; hyphens: auto; }
h1 { break-before: right; } .footnote-ref { vertical-align: super; font-size: 70%; }"""


def tree_rss(pid):
    """Resident memory of a process and its descendants, in bytes (Linux /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        stack.extend(children.get(p, []))
    return total


def measure(cmd, env=None):
    start = time.perf_counter()
    proc = subprocess.Popen([str(c) for c in cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"{cmd[0]} failed: {err.decode()[-2000:]}")
    return elapsed, peak[0]


def best(cmds, repeat, env=None):
    runs = []
    for _ in range(repeat):
        total, peak = 0.0, 0
        for cmd in cmds:
            t, m = measure(cmd, env)
            total += t
            peak = max(peak, m)
        runs.append((total, peak))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def pdf_pages(path):
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--footnotes", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import pypandoc

    from communique.documents.sample import generate_manuscript

    pandoc = pypandoc.get_pandoc_path()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="communique.settings.dev")
    with tempfile.TemporaryDirectory(prefix="communique-bench-") as tmp:
        tmp = Path(tmp)
        ms = tmp / "manuscript.md"
        ms.write_text(generate_manuscript(words=args.words, footnotes=args.footnotes, seed=1))
        (tmp / "book.css").write_text(BOOK_CSS)
        words = len(ms.read_text().split())
        print(f"manuscript: {words} words, {args.footnotes} footnotes", flush=True)

        c_epub = best([[BIN / "communique", "render", ms, "--to", "epub", "-o", tmp / "c.epub"]], args.repeat, env)
        p_epub = best([[pandoc, ms, "-o", tmp / "p.epub", "--toc"]], args.repeat)
        c_pdf = best(
            [[BIN / "communique", "render", ms, "--to", "pdf", "-o", tmp / "c.pdf", "--trim", "6x9"]], args.repeat, env
        )
        p_pdf = best(
            [
                [pandoc, ms, "-s", "-o", tmp / "p.html", "--css", tmp / "book.css", "-M", "document-css=false"],
                [BIN / "python", "-m", "weasyprint", tmp / "p.html", tmp / "p.pdf"],
            ],
            args.repeat,
        )
        c_pages, p_pages = pdf_pages(tmp / "c.pdf"), pdf_pages(tmp / "p.pdf")

    mb = 1024 * 1024
    body = f"""## Editions: EPUB and print PDF

A generated manuscript of {words:,} words with {args.footnotes} footnotes (`communique.documents.sample`),
6 × 9 in. Whole commands as a user runs them (Django start-up included for Communiqué), median of
{args.repeat} runs; peak memory is the resident set of the command's whole process tree.

| Output | Communiqué | Baseline | Ratio |
| --- | ---: | ---: | ---: |
| EPUB 3, time | {c_epub[0]:.2f} s | pandoc {p_epub[0]:.2f} s | {c_epub[0] / p_epub[0]:.2f}× |
| PDF, time | {c_pdf[0]:.2f} s ({c_pages} pages) | pandoc → HTML + WeasyPrint {p_pdf[0]:.2f} s ({p_pages} pages) | {c_pdf[0] / p_pdf[0]:.2f}× |
| PDF, peak memory | {c_pdf[1] / mb:.0f} MB | {p_pdf[1] / mb:.0f} MB | {c_pdf[1] / p_pdf[1]:.2f}× |
| EPUB, peak memory | {c_epub[1] / mb:.0f} MB | {p_epub[1] / mb:.0f} MB | |

Aims: EPUB under 0.5× pandoc; PDF under 0.6× pandoc + WeasyPrint and under 300 MB.
Communiqué's PDF is a complete book (title and copyright pages, contents with page numbers, running
heads, footnotes at the foot of the page, gutter from the page count); the baseline is pandoc's
plain HTML with a minimal 6 × 9 stylesheet, so it does less work per page."""
    print(body)
    write_section("editions", body)


if __name__ == "__main__":
    main()
