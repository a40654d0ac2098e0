"""A single-file HTML edition: one .html holding the whole book, its CSS inline, images as data:
URIs and notes linked both ways, to read offline in any browser or send by mail.

Added through the writer registry (registry.py, WRITERS["html"]) and the shared serialiser
(communique.documents.serialise.html); see docs/formats.md."""
from __future__ import annotations

import base64
import mimetypes
import os
import tempfile
import time
from pathlib import Path

from communique.documents.model import Document, Heading, Image, Link
from communique.documents.serialise.html import XML_INVALID, HtmlSerialiser, attr, esc
from communique.editions.registry import BuildReport

MAX_IMAGE_BYTES = 8_000_000  # a data: URI this large makes the file slow to open anywhere
WEB_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml"}
OPTIONS = {"lang"}
NOT_IN_CONTENTS = {"halftitlepage", "titlepage", "copyright-page", "toc"}

CSS = """
html { font-family: Georgia, "Noto Serif", "DejaVu Serif", serif; line-height: 1.55; }
body { max-width: 38em; margin: 2em auto; padding: 0 1em; color: #111; background: #fff; }
section.titlepage, section.halftitlepage, section.seriespage, section.dedication, section.epigraph { text-align: center; }
section.titlepage h1 { font-size: 2.2em; margin-bottom: 0.2em; }
section.halftitlepage { display: none; } /* a print convention: one title is enough on a screen */
section.dedication, section.epigraph, .seriespage p { font-style: italic; }
section.copyright-page { font-size: 0.9em; color: #444; }
.epigraph .attribution { font-style: normal; }
.subtitle { font-style: italic; font-size: 1.15em; }
.byline, .authors { margin-top: 0.6em; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc li.child { margin-left: 1.5em; }
section.division { margin-top: 3em; }
.section-label { font-variant: small-caps; letter-spacing: 0.05em; }
.smallcaps { font-variant: small-caps; }
blockquote { margin: 1em 2em; }
aside.pullquote { font-size: 1.2em; font-style: italic; margin: 1.5em 2em; }
aside.pullquote .attribution { font-style: normal; font-size: 0.85em; }
figure { margin: 1.5em 0; text-align: center; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; }
.credit { font-size: 0.85em; color: #555; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.3em 0.6em; text-align: start; vertical-align: top; }
pre { overflow-x: auto; background: #f5f5f5; padding: 0.6em; }
hr.break { border: 0; text-align: center; margin: 2em 0; }
hr.break::after { content: "* * *"; }
a.noteref { vertical-align: super; font-size: 0.75em; text-decoration: none; }
section.footnotes { margin-top: 3em; border-top: 1px solid #999; font-size: 0.9em; }
.bios { font-size: 0.9em; margin-top: 2em; }
[dir="rtl"] blockquote, [dir="rtl"] aside.pullquote { margin-left: 2em; margin-right: 2em; }
"""


class _Serialiser(HtmlSerialiser):
    def __init__(self, document: Document, report: BuildReport, anchors: dict[str, str]):
        super().__init__(warn=report.warn, notes="linked", notes_table=document.notes)
        self.anchors = anchors  # ids in the source → ids in this file
        self.heading_ids: dict[int, str] = {}
        self.images = 0

    def link(self, n: Link) -> str:
        href = (n.href or "").strip()
        if href.startswith("#"):
            target = self.anchors.get(href[1:])
            if target is None:
                self.warn(f"link to {href!r} dropped (no such place in the book); its text kept")
                return self.inlines(n.children)
            return f'<a href="#{attr(target)}">{self.inlines(n.children)}</a>'
        return super().link(n)

    def heading_id(self, b: Heading) -> str:
        return self.heading_ids.get(id(b), "")

    def image_src(self, b: Image) -> str | None:
        path = Path(b.path)
        if not path.is_file():
            return None
        kind = mimetypes.guess_type(path.name)[0] or ""
        data = path.read_bytes()
        if kind not in WEB_IMAGE_TYPES:
            data, kind = _to_png(path, data), "image/png"
            if data is None:
                self.warn(f"image {path.name} is not a format browsers show and could not be converted")
                return None
        if len(data) > MAX_IMAGE_BYTES:
            self.warn(f"image {path.name} is {len(data) // 1_000_000} MB; the HTML file will be slow to open")
        self.images += 1
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _to_png(path: Path, data: bytes) -> bytes | None:
    import io

    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as im:
            out = io.BytesIO()
            im.convert("RGBA" if im.mode in ("RGBA", "LA", "P") else "RGB").save(out, "PNG")
            return out.getvalue()
    except Exception:  # Pillow refuses EMF/WMF and damaged files
        return None


class _Ids:
    def __init__(self):
        self.used: set[str] = set()

    def make(self, wanted: str, fallback: str) -> str:
        import re

        base = re.sub(r"[^\w-]+", "-", wanted or "").strip("-") or fallback
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate


class HtmlEditionWriter:
    format = "html"

    def write(self, document: Document, output_path: Path, options: dict | None = None) -> BuildReport:
        started = time.perf_counter()
        opts = dict(options or {})
        unknown = set(opts) - OPTIONS
        if unknown:
            raise ValueError(f"unknown HTML option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(OPTIONS))}")
        output_path = Path(output_path)
        report = BuildReport(output_path, "html")
        meta = document.meta
        lang = opts.get("lang") or meta.language or "en"

        # First pass: an id for every division and heading, so internal links resolve forwards too.
        ids, anchors, division_ids, heading_ids = _Ids(), {}, {}, {}
        for i, div in enumerate(document.walk_divisions(), start=1):
            division_ids[id(div)] = ids.make(div.id, f"division-{i}")
            if div.id:
                anchors[div.id] = division_ids[id(div)]
            for j, b in enumerate(div.blocks, start=1):
                if isinstance(b, Heading):
                    heading_ids[id(b)] = ids.make(b.id, f"{division_ids[id(div)]}-s{j}")
                    if b.id:
                        anchors[b.id] = heading_ids[id(b)]
        ser = _Serialiser(document, report, anchors)
        ser.heading_ids = heading_ids

        parts = []
        for i, div in enumerate(document.divisions):
            if div.kind == "toc":  # the contents where the document has them, titled by it
                entries = "".join(self._toc_entry(d, division_ids, 0) for d in document.divisions[i + 1:]
                                  if d.kind not in NOT_IN_CONTENTS)
                title = div.title or div.label
                head = f'<h2 id="{attr(division_ids[id(div)])}">{esc(title)}</h2>' if title else ""
                label = f' aria-labelledby="{attr(division_ids[id(div)])}"' if title else ""
                parts.append(f'<nav class="toc"{label}>{head}<ol>{entries}</ol></nav>')
                continue
            parts.append(self._division(div, ser, division_ids))
        parts.append(ser.flush_notes())
        unused = [nid for nid in document.notes if nid not in ser.note_number]
        if unused:
            report.warn("notes", f"{len(unused)} note(s) never referenced in the text were left out: {', '.join(unused[:10])}")

        head = [f'<meta charset="utf-8"><title>{esc(meta.title)}</title>',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                '<meta name="generator" content="Communiqué">']
        for c in meta.authors:
            head.append(f'<meta name="author" content="{attr(c.name)}">')
        if meta.description:
            head.append(f'<meta name="description" content="{attr(meta.description)}">')
        html = (f'<!DOCTYPE html>\n<html lang="{attr(lang)}" dir="{meta.direction}">\n<head>\n' + "\n".join(head)
                + f"\n<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(p for p in parts if p)
                + "\n</body>\n</html>\n")
        _write_atomically(output_path, XML_INVALID.sub("", html).encode("utf-8"))
        report.seconds = time.perf_counter() - started
        report.stats = {"divisions": len(division_ids), "notes": len(ser.note_number), "images": ser.images,
                        "bytes": output_path.stat().st_size}
        return report

    def _toc_entry(self, div, division_ids, depth) -> str:
        title = div.title or div.kind.replace("-", " ").title()
        children = "".join(self._toc_entry(c, division_ids, depth + 1) for c in div.children)
        cls = ' class="child"' if depth else ""
        return (f'<li{cls}><a href="#{attr(division_ids[id(div)])}">{esc(title)}</a></li>'
                + (f"<ol>{children}</ol>" if children else ""))

    def _division(self, div, ser: _Serialiser, division_ids) -> str:
        ser.where = div.title or div.kind
        out = [f'<section class="division {attr(div.kind)}" id="{attr(division_ids[id(div)])}">']
        if div.section_label:
            out.append(f'<p class="section-label">{esc(div.section_label)}</p>')
        if div.title:
            out.append(f"<h1>{esc(div.title)}</h1>")
        elif div.label:
            out[0] = out[0][:-1] + f' aria-label="{attr(div.label)}">'
        if div.subtitle:
            out.append(f'<p class="subtitle">{esc(div.subtitle)}</p>')
        byline = ", ".join(c.name for c in div.contributors if c.role == "author")
        if byline:
            out.append(f'<p class="byline">{esc(byline)}</p>')
        out.append(ser.blocks(div.blocks))
        bios = [c for c in div.contributors if c.bio]
        if bios:
            out.append('<aside class="bios">' + "".join(
                f"<p><strong>{esc(c.name)}</strong>{', ' + esc(c.role_line) if c.role_line else ''} — {esc(c.bio)}</p>"
                for c in bios) + "</aside>")
        for child in div.children:
            out.append(self._division(child, ser, division_ids))
        out.append("</section>")
        return "\n".join(o for o in out if o)


def _write_atomically(path: Path, data: bytes) -> None:
    """Beside the target, then renamed: a failed build never leaves half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
