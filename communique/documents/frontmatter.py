"""YAML front matter: found and parsed in this one place for every caller (the Markdown reader, the
KDP kit, the importers, the author portal).

Front matter is untrusted input from authors and imports. A YAML alias ("billion laughs") lets a
few hundred bytes expand to gigabytes once a value is turned into a string, so the loader refuses
anchors and aliases outright (front matter never needs them), and bounds the block's size, each
scalar's length, the nesting depth and the node count. Every refusal names the problem and the line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from communique.documents.readers import ReaderError

MAX_BYTES = 64 * 1024  # a book's metadata with long descriptions and bios fits many times over
MAX_SCALAR_CHARS = 20_000  # KDP's description limit is 4,000; a long contributor bio fits
MAX_DEPTH = 10
MAX_NODES = 5_000

# `---` opens the block on the first line; `---` or `...` closes it (Pandoc's rule).
_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


class FrontMatterError(ReaderError):
    """The front matter is unsafe, too large or not valid YAML; the message says which and where.

    `problem` is the message without the source's name and `line` the file line (0 when unknown),
    for callers that word their own messages; `unclosed` is set when no closing line was found."""

    def __init__(self, where: str, problem: str, line: int = 0, unclosed: bool = False):
        self.where, self.problem, self.line, self.unclosed = where, problem, line, unclosed
        at = f" at line {line}" if line else ""
        super().__init__(f"{where}: the front matter {problem}{at}" if where else f"the front matter {problem}{at}")


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    body: str = ""  # the text after the block, with the block's lines kept as blank lines
    present: bool = False


def _line(mark) -> int:
    # The block starts on the file's second line (after the opening `---`).
    return mark.line + 2 if mark is not None else 0


class SafeFrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and bounds depth, node count and scalar length."""

    def __init__(self, stream, where: str = "<front matter>"):
        super().__init__(stream)
        self._where = where
        self._depth = 0
        self._nodes = 0

    def _refuse(self, event, problem: str):
        raise FrontMatterError(self._where, problem, _line(event.start_mark))

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._refuse(event, f"uses a YAML alias (*{event.anchor}); aliases and anchors are not allowed "
                                "in front matter (they can expand a few bytes into gigabytes)")
        if getattr(event, "anchor", None):
            self._refuse(event, f"defines a YAML anchor (&{event.anchor}); aliases and anchors are not allowed "
                                "in front matter (they can expand a few bytes into gigabytes)")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            self._refuse(event, f"has more than {MAX_NODES} values")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            self._refuse(event, f"has a value of {len(event.value):,} characters (limit {MAX_SCALAR_CHARS:,})")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self._refuse(event, f"is nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(yaml_text: str, where: str = "<front matter>") -> dict:
    """Parse a front-matter block (the YAML between the `---` lines) into a mapping."""
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_BYTES:
        raise FrontMatterError(where, f"is {size:,} bytes (limit {MAX_BYTES:,}); long texts belong in the body")
    loader = SafeFrontMatterLoader(yaml_text, where)
    try:
        data = loader.get_single_data()
    except FrontMatterError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        exc_line = _line(mark)
        raise FrontMatterError(where, f"is not valid YAML ({problem})", exc_line) from None
    finally:
        loader.dispose()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(where, "must be a YAML mapping (key: value lines)")
    return data


def split(text: str, where: str = "<markdown>") -> FrontMatter:
    """Find and parse the front matter at the start of `text`. A text without one comes back whole."""
    text = text.lstrip("\ufeff")
    opening = _OPEN.match(text)
    if not opening:
        return FrontMatter(body=text)
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise FrontMatterError(where, "is never closed (no second '---' line)", unclosed=True)
    block = text[opening.end():closing.start()]
    data = load(block, where)  # refuses a block over MAX_BYTES before parsing it
    rest = text[closing.end():]
    rest = rest[1:] if rest.startswith("\n") else rest
    # Blank lines in place of the block keep line numbers in the body true to the file.
    blank = "\n" * (block.count("\n") + 2)
    return FrontMatter(data=data, body=blank + rest, present=True)


def read_file(path) -> dict:
    """The front matter of a Markdown file ({} when it has none)."""
    from pathlib import Path

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return split(text, str(path)).data
