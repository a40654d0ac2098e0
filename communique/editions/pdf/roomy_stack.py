"""Run the layout with room on the interpreter's data stack, so that it does not map and unmap
memory on every deep call.

CPython 3.11 to 3.13 keep Python frames on a per-thread stack of 16 KiB chunks and free a chunk
as soon as the call that opened it returns (python/cpython#142183; in March 2026 the 3.13 and
3.14 branches started keeping one spare chunk; 3.11 and 3.12 take security fixes only).
WeasyPrint's layout recurses deeply and goes up and down across one depth all the time; when a
chunk boundary falls there, every crossing is an mmap, page faults and a munmap. Where the
boundary falls depends on how deep the caller was: `communique render --workers 1` put it in a
bad place, and the 105,000-word bench book spent 2 s of system time on 263,000 page faults.

The fix: the layout is called through a function whose frame claims ROOM_SLOTS stack slots that
it never uses. The interpreter opens a chunk big enough for that frame and the layout's frames go
after it. The unused slots are never written, so they cost address space, not memory. Page faults
of the whole build (the same from run to run): in one process 263,000 without the room, 54,000
with 16,000 slots; with two forked workers 307,000 with 16,000 slots (2.1–2.5 s of system time),
160,000 with 64,000 and 82,000 with 200,000 (0.3–0.4 s). Why a forked worker needs the bigger
room we have not pinned down; the measurements, not a model, chose ROOM_SLOTS.
"""
from __future__ import annotations

ROOM_SLOTS = 200_000  # 1.6 MB of slots never written, in a 2 MiB chunk (virtual memory only)


def _call(fn, args, kwargs):
    return fn(*args, **kwargs)


_call.__code__ = _call.__code__.replace(co_stacksize=ROOM_SLOTS)


def call_with_room(fn, *args, **kwargs):
    return _call(fn, args, kwargs)
