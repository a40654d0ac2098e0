"""What every importer shares: the error type, decoding with a fallback, and one transaction per
import that also removes image files written to storage if the transaction rolls back."""
from __future__ import annotations

import codecs
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction


class ImportFailed(Exception):
    """Bad input. The message names the importer, the file and the problem; the command turns it
    into a CommandError."""


class DryRunRollback(Exception):
    pass


@dataclass
class ImportSession:
    warnings: list[str] = field(default_factory=list)
    written_files: list[tuple[object, str]] = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def wrote(self, storage, name: str) -> None:
        self.written_files.append((storage, name))


@contextmanager
def import_transaction(dry_run: bool = False):
    """All or nothing. Files do not take part in the database transaction, so the ones this import
    wrote are deleted by hand when it rolls back (including a dry run)."""
    session = ImportSession()
    try:
        with transaction.atomic():
            yield session
            if dry_run:
                raise DryRunRollback
    except BaseException as exc:
        for storage, name in session.written_files:
            try:
                storage.delete(name)
            except OSError:
                pass
        if not isinstance(exc, DryRunRollback):
            raise


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)


def read_bytes(path: Path, kind: str) -> bytes:
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"{kind}: '{path}' does not exist")
    if path.is_dir():
        raise ImportFailed(f"{kind}: '{path}' is a directory, not a file")
    data = path.read_bytes()
    if not data.strip():
        raise ImportFailed(f"{kind}: '{path.name}' is empty")
    return data


def decode_text(data: bytes, name: str, kind: str, warn, *, html: bool = False) -> str:
    """UTF-8 first (with or without BOM). A declared HTML charset is honoured. Anything else is
    decoded as Windows-1252 (a superset of Latin-1 for text, the usual suspect for old saved
    pages) and the user is told, because a wrong guess would garble letters, not fail."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_error = exc
    if html:
        m = _CHARSET_RE.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace").lower()
            try:
                codecs.lookup(declared)
            except LookupError:
                declared = ""
            if declared and declared not in ("utf-8", "utf8"):
                try:
                    return data.decode(declared)
                except UnicodeDecodeError:
                    pass
    bad = data[first_error.start : first_error.start + 1]
    warn(
        f"{kind}: '{name}' is not valid UTF-8 (byte 0x{bad.hex()} at offset {first_error.start}); "
        "tried UTF-8, decoded as Windows-1252 (cp1252) instead — check accented letters"
    )
    return data.decode("cp1252", errors="replace")
