"""Document → Markdown manuscript (YAML front matter), the form `communique render` and the KDP kit read.

A translated book is handed back as a manuscript the author's tools already open, so it is written in
the dialect the Markdown reader reads (division kinds as `{.class}` after the title, ids as `{#id}`):
reading the file back gives the same Document. Things that reader cannot hold (superscript, pull
quotes, table captions, a division's subtitle) are written as near as it allows and reported."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml

from communique.documents import model as m

_ESCAPE = re.compile(r"([\\`*_\[\]<>!~|])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text).replace("&", "&amp;") if "&" in text and re.search(r"&\w+;|&#", text) \
        else _ESCAPE.sub(r"\\\1", text)


def _wrap(marker: str, inner: str) -> str:
    # CommonMark emphasis may not start or end with a space: keep spaces outside the markers.
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


class _Writer:
    def __init__(self):
        self.losses: list[str] = []

    def inlines(self, nodes) -> str:
        out = []
        for n in nodes:
            t = type(n)
            if t is m.Text:
                out.append(_escape(n.text))
            elif t is m.Emph:
                out.append(_wrap("*", self.inlines(n.children)))
            elif t is m.Strong:
                out.append(_wrap("**", self.inlines(n.children)))
            elif t is m.Strikeout:
                out.append(_wrap("~~", self.inlines(n.children)))
            elif t is m.Link:
                href = n.href.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
                out.append(f"[{self.inlines(n.children)}](<{href}>)" if "<" not in href and ">" not in href
                           else f"[{self.inlines(n.children)}]({href})")
            elif t is m.Code:
                fence = "`" * (max((len(r) for r in re.findall(r"`+", n.text)), default=0) + 1)
                pad = " " if n.text.startswith("`") or n.text.endswith("`") else ""
                out.append(f"{fence}{pad}{n.text}{pad}{fence}")
            elif t is m.LineBreak:
                out.append("\\\n")
            elif t is m.NoteRef:
                out.append(f"[^{n.note_id}]")
            elif hasattr(n, "children"):
                self.losses.append(f"{t.__name__.lower()} written as plain text")
                out.append(self.inlines(n.children))
        text = "".join(out)
        return "\n".join(_LINE_START.sub(r"\1\\\2", line) for line in text.replace("\r", "").split("\n"))

    def blocks(self, blocks) -> list[str]:
        out = []
        for b in blocks:
            t = type(b)
            if t is m.Paragraph:
                out.append(self.inlines(b.children))
            elif t is m.Heading:
                ident = f" {{#{b.id}}}" if b.id else ""
                out.append("#" * min(b.level + 1, 6) + " " + self.inlines(b.children) + ident)
            elif t is m.BlockQuote:
                inner = "\n\n".join(self.blocks(b.blocks))
                out.append("\n".join("> " + line if line else ">" for line in inner.split("\n")))
            elif t is m.PullQuote:
                self.losses.append("pull quote written as a block quote")
                text = _escape(b.text) + (f"\n\n— {_escape(b.attribution)}" if b.attribution else "")
                out.append("\n".join("> " + line if line else ">" for line in text.split("\n")))
            elif t is m.Image:
                title = ' "' + b.caption.replace('"', '\\"') + '"' if b.caption else ""
                if b.credit:
                    self.losses.append("image credit not written")
                out.append(f"![{_escape(b.alt)}](<{_path(b.path)}>{title})")
            elif t is m.Table:
                if b.caption:
                    self.losses.append("table caption not written")
                out.append(self.table(b))
            elif t is m.ListBlock:
                lines = []
                for i, item in enumerate(b.items):
                    marker = f"{i + 1}. " if b.ordered else "- "
                    body = "\n\n".join(self.blocks(item)) or ""
                    pad = " " * len(marker)
                    first, *rest = body.split("\n") if body else [""]
                    lines.append(marker + first + "".join("\n" + (pad + r if r else "") for r in rest))
                out.append(("\n\n" if any(len(i) > 1 for i in b.items) else "\n").join(lines))
            elif t is m.CodeBlock:
                fence = "`" * max(3, max((len(r) + 1 for r in re.findall(r"`{3,}", b.text)), default=3))
                out.append(f"{fence}\n{b.text}\n{fence}")
            elif t is m.ThematicBreak:
                out.append("* * *")
        return out

    def table(self, table: m.Table) -> str:
        if not table.rows:
            return ""
        width = max(len(r) for r in table.rows)

        def row(cells):
            texts = [self.inlines(c.children).replace("\n", " ") for c in cells] + [""] * (width - len(cells))
            return "| " + " | ".join(texts) + " |"
        lines = [row(table.rows[0]), "|" + "|".join(["---"] * width) + "|"]
        lines += [row(r) for r in table.rows[1:]]
        return "\n".join(lines)

    def division(self, div: m.Division, first: bool) -> list[str]:
        out = []
        if div.title or not first:
            classes = f" .{div.kind}" if div.kind != "chapter" or not div.title else ""
            ident = f"#{div.id}" if div.id else ""
            attrs = " ".join(x for x in (ident, classes.strip()) if x)
            out.append("# " + self.inlines([m.Text(div.title or "")]) + (f" {{{attrs}}}" if attrs else ""))
        if div.subtitle or div.contributors or div.section_label:
            self.losses.append(f"division {div.title!r}: subtitle, contributors or section label not written")
        out += self.blocks(div.blocks)
        for child in div.children:
            out += self.division(child, False)
        return out


def _path(path) -> str:
    # Absolute, so the manuscript opens from whatever folder it is written to.
    text = str(path)
    return text if text.startswith(("http://", "https://", "//")) else str(Path(path).resolve())


def front_matter(meta: m.Metadata) -> dict:
    fm: dict = {"title": meta.title}
    for key in ("subtitle", "publisher", "date", "rights", "description", "series", "series_number", "edition",
                "modified", "accessibility_summary"):
        value = getattr(meta, key)
        if value:
            fm[key] = value
    fm["language"] = meta.language
    if meta.contributors:
        fm["contributors"] = [{k: v for k, v in (("name", c.name), ("role", c.role), ("role_line", c.role_line),
                                                 ("bio", c.bio)) if v} for c in meta.contributors]
    if meta.identifiers.get("isbn"):
        fm["isbn"] = meta.identifiers["isbn"]
    if meta.identifiers.get("uuid"):
        fm["uuid"] = meta.identifiers["uuid"]
    if meta.subjects:
        fm["keywords"] = list(meta.subjects)
    if meta.cover_image:
        fm["cover"] = _path(meta.cover_image)
    return fm


def to_markdown(doc: m.Document) -> tuple[str, list[str]]:
    """The manuscript text and what could not be written (for the user, not hidden)."""
    w = _Writer()
    parts = ["---\n" + yaml.safe_dump(front_matter(doc.meta), allow_unicode=True, sort_keys=False) + "---"]
    for i, div in enumerate(doc.divisions):
        parts += w.division(div, i == 0)
    for note_id, blocks in doc.notes.items():
        body = "\n\n".join(w.blocks(blocks))
        first, *rest = body.split("\n") if body else [""]
        parts.append(f"[^{note_id}]: " + first + "".join("\n" + ("    " + r if r else "") for r in rest))
    return "\n\n".join(p for p in parts if p is not None) + "\n", sorted(set(w.losses))


def write_markdown(doc: m.Document, path: Path) -> list[str]:
    """Write atomically (temp file, then rename); returns the losses."""
    text, losses = to_markdown(doc)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return losses
