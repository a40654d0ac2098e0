"""What every importer shares: the error type, decoding with a fallback, and one transaction per
import that also removes image files written to storage if the transaction rolls back, or, when
the process was killed before it could, at the start of the next import (a journal on disk)."""
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
    journal: Path | None = None

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def wrote(self, storage, name: str) -> None:
        self.written_files.append((storage, name))
        if self.journal is not None:
            with self.journal.open("a", encoding="utf-8") as fh:
                fh.write(name + "\n")


def _journal_dir() -> Path | None:
    from django.conf import settings

    var = getattr(settings, "VAR_DIR", None)
    if var is None:
        return None
    directory = Path(var) / "import-journals"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _host_pid_alive(journal: Path) -> bool:
    import os
    import socket

    host, _, pid = journal.stem.rpartition("-")[0].rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's import: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_killed_imports() -> int:
    """Delete the image files of imports whose process died before it committed or cleaned up
    (SIGKILL, a power cut): their database rows were never committed, so the files are orphans a
    reader could still fetch from /media/. Returns the number of files removed."""
    from django.core.files.storage import default_storage
    from wagtail.images import get_image_model

    directory = _journal_dir()
    if directory is None:
        return 0
    removed = 0
    Image = get_image_model()
    for journal in directory.glob("*.journal"):
        if _host_pid_alive(journal):
            continue
        for name in filter(None, journal.read_text(encoding="utf-8").splitlines()):
            if not Image.objects.filter(file=name).exists():  # committed after all: keep it
                try:
                    default_storage.delete(name)
                    removed += 1
                except OSError:
                    pass
        journal.unlink(missing_ok=True)
    return removed


@contextmanager
def import_transaction(dry_run: bool = False):
    """All or nothing. Files do not take part in the database transaction, so the ones this import
    wrote are deleted by hand when it rolls back (including a dry run)."""
    import os
    import socket
    import uuid

    sweep_killed_imports()
    directory = _journal_dir()
    journal = directory / f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}.journal" if directory else None
    session = ImportSession(journal=journal)
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
    finally:
        if journal is not None:
            journal.unlink(missing_ok=True)


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
