"""Font subsetting for the EPUB (opt-in: it costs about half a second a face).

The subset keeps every OpenType layout feature, so Nastaliq and Naskh still join and position
correctly; it is a Modified Version under the OFL, which Noto permits (no Reserved Font Name)."""
from __future__ import annotations

import io
from pathlib import Path

# Always kept, so text a reading system adds itself (page numbers, ellipses, quotes) still renders.
BASE = set(" 0123456789.,:;!?'\"()[]-\u2013\u2014\u2026\u2018\u2019\u201c\u201d\u2022\u00b7/%&*+=#@")


def subset_font(path: Path, chars: set[str]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # e-readers hint at render time; the bytecode is most of a TTF's size
    # recalcTimestamp=False: saving would stamp head.modified with the time, and two builds of
    # the same book must give the same bytes.
    font = TTFont(str(path), lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars | BASE if not 0xD800 <= ord(c) <= 0xDFFF}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
