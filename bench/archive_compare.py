"""Compare half of bench/archive.py: this checkout against an earlier commit on the same archive.

The two cannot share a process (each imports its own Django project), so `measure --no-write`
runs in one, then the other, alternating several times, and the medians of their summaries are
compared: on a shared machine whose speed drifts within the hour, an absolute p95 says little,
the ratio of two codes measured side by side says what a change did. The earlier commit runs from
a temporary git worktree with this checkout's virtualenv; the archive's schema must suit both
(a migration that only adds columns does)."""
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from report import write_section

ROW = re.compile(r"^\| (\w+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|(?: (\d+) \|)?$")


def _summaries(tree, db, rounds):
    """{(mode, page type): (p50, p95, cpu)} from one `measure --no-write` run in `tree`."""
    out = subprocess.run([sys.executable, str(tree / "bench" / "archive.py"), "measure", "--db", db,
                          "--rounds", str(rounds), "--no-write"], cwd=tree, capture_output=True, text=True, check=True)
    found = {}
    for line in out.stdout.splitlines():
        m = ROW.match(line.strip())
        if m:
            mode = "list cold, site warm" if m.group(5) else "everything cold"
            found[mode, m.group(1)] = tuple(float(m.group(i)) for i in (2, 3, 4))
    if not found:
        raise SystemExit(f"no summary from {tree}:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return found


def compare(args):
    root = Path(__file__).resolve().parent.parent
    rev = subprocess.run(["git", "rev-parse", "--short", args.against], cwd=root, capture_output=True,
                         text=True, check=True).stdout.strip()
    here = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                          text=True, check=True).stdout.strip()
    runs = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), rev], cwd=root, check=True)
        try:
            for i in range(args.times):
                for name, tree in (("before", old), ("after", root)):
                    runs[name].append(_summaries(tree, args.db, args.rounds))
                    print(f"  {name} {i + 1}/{args.times}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=root, check=True)
    lines = ["| mode | page type | p50 before → after (ms) | p95 before → after (ms) | CPU before → after (ms) |",
             "|---|---|---|---|---|"]
    for key in runs["before"][0]:
        cells = []
        for j in range(3):
            b = statistics.median(r[key][j] for r in runs["before"])
            a = statistics.median(r[key][j] for r in runs["after"])
            cells.append(f"{b:.1f} → {a:.1f} ({a / b:.2f}×)")
        lines.append(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table)
    if args.no_write:
        return
    write_section("archive-compare", f"""## Archive: this code against {rev} (`bench/archive.py compare`)

{here} (after) and {rev} (before) on the same 100,000-article archive, `measure --rounds
{args.rounds}` run {args.times} times each, alternating before/after; each cell is the median of
the runs' figures (p50 and p95 of wall time per page type; CPU as in the section above: for
"everything cold" the worst page's Django + PostgreSQL CPU, for "list cold" the median Django CPU).
The ratio is the point: the machine's speed drifts within the hour, and both codes saw the same
drift.

{table}

Run: `.venv/bin/python bench/archive.py compare --against {rev}`""")
