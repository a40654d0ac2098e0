"""Regenerate the shipped Devanagari and CJK faces from Debian's fonts-noto-core / fonts-noto-cjk.

    python -m communique.editions.fonts.make_subsets

A maintainer's tool, not run by builds. Debian's CJK fonts are collections (.ttc, 20–27 MB) that
EPUB and KDP refuse, so one face (SC or TC) is extracted and subset to the characters books in
that script use: GB 2312 for Simplified Chinese (6,763 hanzi), Big5 levels 1 and 2 limited to
the common set (level 1, 5,401 hanzi) for Traditional, plus CJK punctuation, full-width forms
and Basic Latin. Builds subset again to each book's own text (PDF: WeasyPrint; EPUB: subset.py).
The subsets keep every OpenType layout feature (vertical forms, Devanagari conjuncts)."""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
CJK = Path("/usr/share/fonts/opentype/noto")
CORE = Path("/usr/share/fonts/truetype/noto")

LATIN = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
                                                            0x2026, 0x2022, 0x00B7, 0x2030, 0x20AC}
CJK_PUNCT = set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0)) | set(range(0x2E80, 0x2E9A))


def _codec_chars(codec: str, lead: range, trail: range) -> set[int]:
    out = set()
    for a in lead:
        for b in trail:
            try:
                ch = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                out.add(ord(ch))
    return out


def simplified() -> set[int]:
    return _codec_chars("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))


def traditional() -> set[int]:
    # Big5 punctuation rows and level 1 (frequently used hanzi, 0xA440–0xC67E).
    return _codec_chars("big5", range(0xA1, 0xC7), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))


def devanagari() -> set[int]:
    return set(range(0x0900, 0x0980)) | set(range(0xA8E0, 0xA900)) | {0x200C, 0x200D, 0x25CC, 0x20B9}


def _subset(font: TTFont, unicodes: set[int], out: Path) -> None:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(unicodes))
    sub.subset(font)
    font.save(str(out))
    print(f"{out.name}: {out.stat().st_size / 1e6:.2f} MB", file=sys.stderr)


def _from_collection(path: Path, family: str) -> TTFont:
    for font in TTCollection(str(path)).fonts:
        if font["name"].getDebugName(1) == family:
            return font
    raise SystemExit(f"{family} not found in {path}")


def main() -> None:
    jobs = [
        (CJK / "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", simplified(), "NotoSerifCJKsc-Regular.otf"),
        (CJK / "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", simplified(), "NotoSansCJKsc-Bold.otf"),
        (CJK / "NotoSerifCJK-Regular.ttc", "Noto Serif CJK TC", traditional(), "NotoSerifCJKtc-Regular.otf"),
        (CJK / "NotoSansCJK-Bold.ttc", "Noto Sans CJK TC", traditional(), "NotoSansCJKtc-Bold.otf"),
    ]
    wanted = set(sys.argv[1:])
    for src, family, chars, name in jobs:
        if wanted and name not in wanted:
            continue
        _subset(_from_collection(src, family), chars | LATIN | CJK_PUNCT, HERE / name)
    for name in ("NotoSerifDevanagari-Regular.ttf", "NotoSerifDevanagari-Bold.ttf", "NotoSansDevanagari-Bold.ttf"):
        if wanted and name not in wanted:
            continue
        _subset(TTFont(str(CORE / name)), devanagari() | LATIN, HERE / name)


if __name__ == "__main__":
    main()
