"""PDF streams compressed at zlib's default level (6) instead of pydyf's 9.

pydyf deflates every page's content stream and every font subset at level 9. On a book's
content streams (text operators, highly repetitive) level 9 costs three times the CPU of level 6
for a file about 2% smaller: ~0.4 s of a 110,000-word book's drawing, for some 20 KB. The streams
decode to the same bytes, so the pages are the same."""
from __future__ import annotations

import zlib

import pydyf

LEVEL = 6


class _Zlib:
    """zlib as pydyf sees it: the same module, with compressobj capped at LEVEL."""

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level=zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs):
        if level < 0 or level > LEVEL:
            level = LEVEL
        return zlib.compressobj(level, *args, **kwargs)


if not isinstance(pydyf.zlib, _Zlib):
    pydyf.zlib = _Zlib()
