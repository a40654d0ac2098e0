"""Apertium (rule-based, offline) through its own command, one process for a whole batch.

Segments go in Apertium's stream format (`-f none`) with null-flush (`-z`). Consecutive segments
that end a sentence share a flush, separated by a superblank that comes back unchanged; a segment
without a sentence end (a heading) ends its flush, so no rule joins it to the next segment's words.
Every segment comes back on its own and in order. Paired codes become wordbound blanks
(`[[c:1; c:2]]word[[/]]`), which Apertium carries onto each translated word even when transfer
reorders them; standalone codes become superblanks (`[<ph id="3"/>]`), which it passes through.
The words it did not know (marked `*`, `#`, `@`) are unmarked and reported as notes."""
from __future__ import annotations

import re
import shutil
import subprocess

from ..languages import apertium_code
from ..segments import Content, Tag, merge_text
from . import EngineError, MTItem, MTResult

_SPECIAL = set("\\[]^$/@<>{}")
_MARKS = set("*#@")
_WORD = re.compile(r"\S+|\s+")
_SUPERBLANK_PH = re.compile(r'<ph id="([^"]+)"/>$')
_SUPERBLANK_OPEN = re.compile(r'<pc id="([^"]+)">$')
_SUPERBLANK_CLOSE = re.compile(r'</pc id="([^"]+)">$')
_END = "[]"  # a final superblank: without it Apertium drops the last full stop before a flush


# Apertium's syntax characters escaped; the unknown-word marks pass through as blanks instead of
# reading as marks; a NUL (the flush) is dropped.
_ESCAPES = str.maketrans({**{ch: f"[{ch}]" for ch in _MARKS}, **{ch: "\\" + ch for ch in _SPECIAL}, "\0": None})


def escape(text: str) -> str:
    return text.translate(_ESCAPES)


def encode(content: Content) -> str:
    stack: list[str] = []
    out: list[str] = []
    items = list(content)
    for i, x in enumerate(items):
        if isinstance(x, Tag):
            if x.kind == "open":
                nxt = items[i + 1] if i + 1 < len(items) else None
                if isinstance(nxt, Tag) and nxt.kind == "close" and nxt.id == x.id:
                    out.append(f'[<pc id="{x.id}">]')  # an empty pair has no word to bind to
                    stack.append("")
                else:
                    stack.append(x.id)
            elif x.kind == "close":
                popped = stack.pop() if stack else ""
                if popped == "":
                    out.append(f'[</pc id="{x.id}">]')
            else:
                out.append(f'[<ph id="{x.id}"/>]')
            continue
        ids = [s for s in stack if s]
        if not ids:
            out.append(escape(x))
            continue
        for tok in _WORD.findall(x):
            if tok.isspace():
                out.append(escape(tok))
            else:
                out.append(f"[[{'; '.join('c:' + s for s in ids)}]]{escape(tok)}[[/]]")
    return "".join(out) + _END


def _unescape_word(raw: str, notes: list[str]) -> str:
    if "\\" not in raw and not any(mark in raw for mark in _MARKS):
        return raw  # most runs: nothing escaped, no word Apertium marked as unknown
    text, i, start_of_word = [], 0, True
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            text.append(raw[i + 1])
            i += 2
            start_of_word = False
            continue
        if start_of_word and ch in _MARKS and i + 1 < len(raw) and not raw[i + 1].isspace():
            m = re.match(r"[^\s\[\]]+", raw[i + 1:])
            if m:
                notes.append(f"unknown to Apertium: {m.group(0)}")
            i += 1
            continue
        start_of_word = ch.isspace()
        text.append(ch)
        i += 1
    return "".join(text)


def decode(stream: str, notes: list[str]) -> Content:
    """Apertium's output → content; each word's code set rebuilds the paired codes around it."""
    items: list[tuple[str, object, tuple[str, ...]]] = []  # (kind, value, codes)
    i, n = 0, len(stream)
    plain: list[str] = []

    def flush_plain():
        # A run outside every code is one item: its blanks would sit at depth () whatever surrounds it.
        if plain:
            text = _unescape_word("".join(plain), notes)
            items.append(("blank" if text.isspace() else "word", text, ()))
            plain.clear()

    while i < n:
        ch = stream[i]
        if ch == "\\" and i + 1 < n:
            plain.append(stream[i:i + 2])
            i += 2
        elif stream.startswith("[[", i):
            close = stream.find("]]", i + 2)
            end = stream.find("[[/]]", close + 2) if close >= 0 else -1
            if close < 0 or end < 0:
                plain.append(ch)
                i += 1
                continue
            flush_plain()
            ids = tuple(p.strip()[2:] for p in stream[i + 2:close].split(";") if p.strip().startswith("c:"))
            word = _unescape_word(stream[close + 2:end], notes)
            items.append(("word", word, ids))
            i = end + 5
        elif ch == "[":
            close = stream.find("]", i + 1)
            if close < 0:
                plain.append(ch)
                i += 1
                continue
            flush_plain()
            inner = stream[i + 1:close]
            if (mm := _SUPERBLANK_PH.match(inner)):
                items.append(("tag", Tag("ph", mm.group(1)), ()))
            elif (mm := _SUPERBLANK_OPEN.match(inner)):
                items.append(("tag", Tag("open", mm.group(1)), ()))
            elif (mm := _SUPERBLANK_CLOSE.match(inner)):
                items.append(("tag", Tag("close", mm.group(1)), ()))
            else:
                items.append(("blank", inner, ()))  # escaped marks like [*] and the end marker
            i = close + 1
        else:
            # The whole run up to the next escape or bracket at once, not a character at a time.
            run = _PLAIN_RUN.match(stream, i)
            plain.append(run.group(0))
            i = run.end()
    flush_plain()
    return _rebuild(items)


_PLAIN_RUN = re.compile(r"[^\\\[]+")


def _common(a: tuple, b: tuple) -> tuple:
    k = 0
    while k < len(a) and k < len(b) and a[k] == b[k]:
        k += 1
    return a[:k]


def _rebuild(items) -> Content:
    if not any(codes or kind == "tag" for kind, _, codes in items):
        return merge_text([value for _, value, _ in items])  # most segments: no codes at all
    # Blanks and standalone codes between two words sit at the depth the two words share.
    # The nearest word's codes before and after each item, in two passes (not a search per item).
    before, last = [], ()
    for kind, _, codes in items:
        before.append(last)
        if kind == "word":
            last = codes
    after, last = [()] * len(items), ()
    for k in range(len(items) - 1, -1, -1):
        after[k] = last
        if items[k][0] == "word":
            last = items[k][2]
    resolved = []
    for k, (kind, value, codes) in enumerate(items):
        if kind != "word":
            codes = _common(before[k], after[k])
        resolved.append((kind, value, codes))
    out: Content = []
    stack: list[str] = []
    for kind, value, codes in resolved:
        if kind == "tag" and value.kind in ("open", "close"):
            out.append(value)  # empty pairs travel as superblanks, at their own place
            continue
        keep = _common(tuple(stack), codes)
        while len(stack) > len(keep):
            out.append(Tag("close", stack.pop()))
        for cid in codes[len(keep):]:
            out.append(Tag("open", cid))
            stack.append(cid)
        out.append(value)
    while stack:
        out.append(Tag("close", stack.pop()))
    return merge_text(out)


class ApertiumEngine:
    name = "apertium"

    def __init__(self, command: str = "apertium", pair: str = "", timeout: float = 600, **_):
        self.command = command
        self.pair = pair
        self.timeout = timeout

    def mode(self, source: str, target: str) -> str:
        return self.pair or f"{apertium_code(source)}-{apertium_code(target)}"

    def available_modes(self) -> set[str]:
        exe = shutil.which(self.command)
        if not exe:
            raise EngineError(f"Apertium is not installed ('{self.command}' is not on PATH): "
                              "apt-get install apertium apertium-eng-spa")
        proc = subprocess.run([exe, "-l"], capture_output=True, text=True, timeout=60)
        return {line.strip() for line in proc.stdout.splitlines() if line.strip()}

    def check(self, source: str, target: str) -> None:
        mode = self.mode(source, target)
        modes = self.available_modes()
        if mode not in modes:
            raise EngineError(f"Apertium has no {mode} pair installed (installed: {', '.join(sorted(modes)) or 'none'})")

    def translate(self, items: list[MTItem], source: str, target: str) -> list[MTResult]:
        self.check(source, target)
        mode = self.mode(source, target)
        if not items:
            return []
        groups = _groups(items)
        chunks: list[str | None] = [None] * len(items)
        for group, outputs in zip(groups, self._run(mode, ["[<seg/>]".join(encode(items[k].content) for k in g)
                                                           for g in groups], len(groups))):
            parts = outputs.split(_SEP)
            if len(parts) == len(group):
                for k, part in zip(group, parts):
                    chunks[k] = part
        # A group whose separators did not all come back is translated again a segment per flush,
        # so no segment takes words from its neighbour.
        again = [k for k, c in enumerate(chunks) if c is None]
        if again:
            for k, out in zip(again, self._run(mode, [encode(items[k].content) for k in again], len(again))):
                chunks[k] = out
        results = []
        for it, chunk in zip(items, chunks):
            notes: list[str] = []
            content = decode(chunk.strip().removesuffix(_END).rstrip("\n"), notes)
            results.append(MTResult(_tidy(content, it.content), notes))
        return results

    def _run(self, mode: str, streams: list[str], expected: int) -> list[str]:
        payload = "\0".join(streams) + "\0"
        proc = subprocess.run([shutil.which(self.command), "-z", "-f", "none", mode], input=payload.encode("utf-8"),
                              capture_output=True, timeout=self.timeout)
        if proc.returncode != 0:
            raise EngineError(f"apertium {mode} failed: {proc.stderr.decode('utf-8', 'replace').strip()[:300]}")
        chunks = proc.stdout.decode("utf-8", "replace").split("\0")
        if len(chunks) < expected:
            raise EngineError(f"apertium returned {len(chunks)} segments for {expected}")
        return chunks[:expected]


# Segments that end a sentence travel together in one flush, split by a superblank that Apertium
# passes through: a flush per segment costs every process in its chain a wake-up and a write,
# which on a book was a fifth of the run. A segment that ends without a full stop (a heading, a
# caption) ends its group, so transfer rules cannot join its words to the next segment's.
_SEP = "[<seg/>]"
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_GROUP_SEGMENTS = 40
_GROUP_CHARS = 6000


def _groups(items: list[MTItem]) -> list[list[int]]:
    groups, current, size = [], [], 0
    for k, it in enumerate(items):
        current.append(k)
        size += sum(len(x) for x in it.content if isinstance(x, str))
        last = next((x for x in reversed(it.content) if isinstance(x, str) and x.strip()), "")
        if not _SENTENCE_END.search(last) or len(current) >= _GROUP_SEGMENTS or size >= _GROUP_CHARS:
            groups.append(current)
            current, size = [], 0
    if current:
        groups.append(current)
    return groups


def _tidy(content: Content, source: Content) -> Content:
    """Trim the edges and collapse the doubled spaces Apertium leaves where it deleted a word."""
    src_text = "".join(x for x in source if isinstance(x, str))
    out = []
    for x in content:
        if isinstance(x, str) and "  " not in src_text:
            x = re.sub(r" {2,}", " ", x)
        out.append(x)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return merge_text([x for x in out if x != ""])
