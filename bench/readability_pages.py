#!/usr/bin/env python3
"""Builds the public page set for bench/extraction.py from mozilla/readability's test pages
(Apache-2.0; https://github.com/mozilla/readability, folder test/test-pages/<name>/ with
source.html, expected.html and expected-metadata.json). Nothing is downloaded here: give it a
local copy of that folder (a checkout, or the files saved by hand) and a target folder outside the
repository; the pages' content never goes into this repository.

    .venv/bin/python bench/readability_pages.py SRC_TEST_PAGES DEST [--only NAME ...]
    .venv/bin/python bench/readability_pages.py --check DEST

It copies every page folder that has source.html and expected.html (expected-metadata.json when
present: without it the page's title and byline are not scored), and writes DEST/MANIFEST.json with
each file's size and SHA-256, so two runs can be shown to have used the same pages. `--check DEST`
compares DEST with bench/readability_pages.json (the manifest of the set behind the numbers in
docs/performance.md) and lists what differs.

How the set in docs/performance.md was built (session 3): this machine has no network beyond the
package registries and readability's npm tarballs hold no test pages, so each file was read from a
stored copy of the repository (the search tool's read_file, 16,000 characters at a time) and written
into /work/pages-readability/<name>/ by hand. Each source.html was checked against the stored file's
length to the character. Where readability's expected.html is the article's own subtree of the
source with the class attributes dropped (v8-blog, ebb-org, title-and-h1-discrepancy), the file
was regenerated from the source (the same elements, so the same text; checked by reading it against
the stored expected.html); the rest are verbatim. Metadata files keep title, byline and dir only (the fields the bench scores). Pages left
out: every real-site page of 80,000 characters or more (most of the set: nytimes, bbc, wapo,
breitbart at 850,000…), which could not be carried through by hand in the time; hukumusume, whose
expected.html keeps the whole sidebar; rtl-3/rtl-4 and the other one-paragraph synthetic pages."""
import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

FILES = ("source.html", "expected.html", "expected-metadata.json")
HERE = Path(__file__).resolve().parent


def manifest(dest: Path) -> dict:
    out = {}
    for d in sorted(p for p in dest.iterdir() if p.is_dir()):
        out[d.name] = {f: {"bytes": (d / f).stat().st_size, "sha256": hashlib.sha256((d / f).read_bytes()).hexdigest()}
                       for f in FILES if (d / f).exists()}
    return out


def copy(src: Path, dest: Path, only: list[str]) -> int:
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for d in sorted(p for p in src.iterdir() if p.is_dir()):
        if only and d.name not in only:
            continue
        if not ((d / "source.html").exists() and (d / "expected.html").exists()):
            print(f"skipped {d.name}: no source.html or expected.html")
            continue
        (dest / d.name).mkdir(exist_ok=True)
        for f in FILES:
            if (d / f).exists():
                shutil.copyfile(d / f, dest / d.name / f)
        n += 1
    (dest / "MANIFEST.json").write_text(json.dumps(manifest(dest), indent=1, sort_keys=True))
    return n


def check(dest: Path) -> int:
    want = json.loads((HERE / "readability_pages.json").read_text())
    have = manifest(dest)
    bad = sorted(set(want) ^ set(have)) + sorted(k for k in set(want) & set(have) if want[k] != have[k])
    for name in bad:
        print(f"differs: {name}")
    print(f"{len(have)} pages in {dest}; {len(bad)} differ from bench/readability_pages.json")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src", nargs="?", help="a local copy of mozilla/readability's test/test-pages")
    ap.add_argument("dest", nargs="?", help="the folder to fill (outside the repository)")
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("--check", metavar="DEST")
    args = ap.parse_args()
    if args.check:
        sys.exit(check(Path(args.check)))
    if not (args.src and args.dest):
        ap.error("give SRC_TEST_PAGES and DEST, or --check DEST")
    print(f"{copy(Path(args.src), Path(args.dest), args.only)} pages copied to {args.dest}")


if __name__ == "__main__":
    main()
