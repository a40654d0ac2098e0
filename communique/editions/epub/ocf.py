"""A minimal OCF (zip) writer that takes pre-deflated entries.

Python's zipfile compresses entries one after another on the calling thread. Embedded fonts are
megabytes of dense data, so we deflate them (and the larger XHTML files) in worker threads while
the XHTML is still being rendered: zlib releases the GIL. The layout is the OCF rule: `mimetype`
first, stored, with no extra field."""
from __future__ import annotations

import os
import struct
import tempfile
import threading
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

STORED, DEFLATED = 0, 8
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
# Fonts are the same bytes in every build: deflate each once per process.
_font_cache: dict[tuple[str, int], Future] = {}


def executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2)),
                                           thread_name_prefix="epub-deflate")
        return _executor


def _deflate(data: bytes, level: int) -> tuple[bytes, int, int]:
    co = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = co.compress(data) + co.flush()
    return packed, zlib.crc32(data), len(data)


def deflate_async(data: bytes, level: int = 6) -> Future:
    return executor().submit(_deflate, data, level)


def deflate_file_cached(path: Path, level: int = 6) -> Future:
    key = (str(path), level)
    with _executor_lock:
        fut = _font_cache.get(key)
    if fut is None:
        fut = executor().submit(lambda: _deflate(Path(path).read_bytes(), level))
        with _executor_lock:
            _font_cache[key] = fut
    return fut


def _dos_time(date_time) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class OcfWriter:
    """Write entries in order to a temporary file, then move it into place (never half-written)."""

    def __init__(self, path: Path, date_time=(1980, 1, 1, 0, 0, 0)):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".epub", dir=self.path.parent)
        self.fh = os.fdopen(fd, "wb")
        self.time, self.date = _dos_time(date_time)
        self.central: list[bytes] = []
        self.offset = 0

    def add(self, name: str, data, method: int = DEFLATED, level: int = 6) -> None:
        """`data`: bytes/str (compressed here when method is DEFLATED) or a Future of
        (deflated bytes, crc32, size) from deflate_async."""
        if isinstance(data, Future):
            payload, crc, size = data.result()
            method = DEFLATED
        else:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            crc, size = zlib.crc32(raw), len(raw)
            payload = _deflate(raw, level)[0] if method == DEFLATED else raw
        bname = name.encode("utf-8")
        flags = 0 if bname.isascii() else 0x800
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, method, self.time, self.date, crc, len(payload), size, len(bname), 0
        )
        self.fh.write(header)
        self.fh.write(bname)
        self.fh.write(payload)
        self.central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, method, self.time, self.date, crc,
                len(payload), size, len(bname), 0, 0, 0, 0, 0o100644 << 16, self.offset,
            )
            + bname
        )
        self.offset += len(header) + len(bname) + len(payload)

    def close(self) -> None:
        cd = b"".join(self.central)
        self.fh.write(cd)
        self.fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.central), len(self.central), len(cd),
                                  self.offset, 0))
        self.fh.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self.fh.close()
        finally:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass
