"""EPUB from a manuscript without starting Django (the document engine needs no web layer):

    python -m communique.editions.epub book.md -o book.epub [--whole-fonts] [--no-fonts] [--no-cover]

Markdown (.md, .markdown, .txt) or Word (.docx). Warnings go to stderr; the exit status is 1 when
the manuscript cannot be read, 0 otherwise."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m communique.editions.epub", description=__doc__.split("\n\n")[0])
    parser.add_argument("manuscript", type=Path)
    parser.add_argument("-o", "--output", type=Path, help="default: the manuscript's name with .epub")
    parser.add_argument("--subset-fonts", action="store_true", help="(the default) embed only the glyphs the book uses")
    parser.add_argument("--whole-fonts", action="store_true", help="embed whole font files instead of subsets")
    parser.add_argument("--no-fonts", action="store_true", help="embed no fonts")
    parser.add_argument("--no-cover", action="store_true", help="do not draw a cover when there is none")
    args = parser.parse_args(argv)

    from communique.documents import transforms
    from communique.documents.languages import UnknownLanguage
    from communique.documents.readers import ReaderError, read
    from communique.documents.readers.registry import MANUSCRIPT_KINDS
    from communique.editions.epub import write_epub

    source = args.manuscript
    target = args.output or source.with_suffix(".epub")
    if target.resolve() == source.resolve():
        print(f"error: {target}: the output would overwrite the manuscript", file=sys.stderr)
        return 1
    try:
        document = read(source, accept=MANUSCRIPT_KINDS)
        document = transforms.run(document, ["matter"], {"matter": {"format": "EPUB", "fonts_line": not args.no_fonts}})
        report = write_epub(document, target, {
            "subset_fonts": not args.whole_fonts, "embed_fonts": not args.no_fonts, "generate_cover": not args.no_cover,
        })
    except (ReaderError, UnknownLanguage) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for w in document.warnings + report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"{target} ({report.seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
