"""Writers by output format. Adding a format is one module plus one line in WRITERS.

Every writer follows `Writer`: `write(document, output_path, options) -> BuildReport`. Writers are
imported lazily so asking for the EPUB writer never imports WeasyPrint."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from communique.documents.model import Document, Warning_


@dataclass
class BuildReport:
    output_path: Path
    format: str
    warnings: list[Warning_] = field(default_factory=list)
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(Warning_(where, message))

    @property
    def ok(self) -> bool:
        return self.output_path.exists()


@runtime_checkable
class Writer(Protocol):
    def write(self, document: Document, output_path: Path, options: dict | None = None) -> BuildReport: ...


# "module:attribute" of an object (or class, instantiated once) with a `write` method.
WRITERS: dict[str, str] = {
    "epub": "communique.editions.epub:EpubWriter",
    "pdf": "communique.editions.pdf:PdfWriter",
    "docx": "communique.editions.docx_edition:DocxWriter",
    "html": "communique.editions.html_edition:HtmlEditionWriter",
}


class UnknownFormat(LookupError):
    pass


def get_writer(fmt: str) -> Writer:
    try:
        target = WRITERS[fmt]
    except KeyError:
        raise UnknownFormat(f"No writer for format {fmt!r}; known formats: {', '.join(sorted(WRITERS))}") from None
    module_name, _, attr = target.partition(":")
    obj = getattr(importlib.import_module(module_name), attr)
    return obj() if isinstance(obj, type) else obj


def write(fmt: str, document: Document, output_path, options: dict | None = None) -> BuildReport:
    """Write `document` as `fmt`. The report lists the reader's (and transforms') warnings first,
    then the writer's, so every caller prints what was dropped on the way, whatever the format."""
    writer = get_writer(fmt)
    for w in document.warnings:
        w.stage = w.stage or "reader"
    report = writer.write(document, Path(output_path), options or {})
    for w in report.warnings:
        w.stage = w.stage or "writer"
    carried = [w for w in document.warnings if w not in report.warnings]
    report.warnings[:0] = carried
    return report
