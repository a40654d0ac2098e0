"""Reading an upload with bounded time and memory (issue 8, break 4).

A 56 KB DOCX of 200,000 paragraphs took 56 s and 456 MB inside the upload request. Now:
cheap counts refuse what is too big before any parser runs (paragraphs in a DOCX, characters in
Markdown, the ZIP's unpacked size), and the parse itself runs in a forked child process with an
address-space limit (RLIMIT_AS), a CPU-time limit and a wall-clock timeout, from a background job.
The child touches no database; it hands back the import report or the user-facing error.

Fork, not spawn: a spawned interpreter would re-import Django and Wagtail (seconds per upload).
The child only reads files and runs pure-Python parsers, then leaves with os._exit, so it
never runs the parent's cleanup; should it ever hang on a lock inherited from another thread,
the wall-clock timeout kills it like any other overrun.
"""
from __future__ import annotations

import os
import re
import signal
import zipfile
import zlib
from pathlib import Path

from django.conf import settings

PARSE_SECONDS = getattr(settings, "BOOKS_PARSE_SECONDS", 120)
PARSE_MEMORY_BYTES = getattr(settings, "BOOKS_PARSE_MEMORY_BYTES", 768 * 1024 * 1024)
MAX_PARAGRAPHS = getattr(settings, "BOOKS_MAX_PARAGRAPHS", 20_000)
MAX_MARKDOWN_BYTES = getattr(settings, "BOOKS_MAX_MARKDOWN_BYTES", 3 * 1024 * 1024)
MAX_DOCX_XML_BYTES = getattr(settings, "BOOKS_MAX_DOCX_XML_BYTES", 150 * 1024 * 1024)
MAX_BLOCKS = getattr(settings, "BOOKS_MAX_BLOCKS", 100_000)
MAX_NESTING = getattr(settings, "BOOKS_MAX_NESTING", 40)


def _error(message):
    from .services import ManuscriptError

    return ManuscriptError(message)


SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
MAX_ZIP_MEMBERS = getattr(settings, "BOOKS_MAX_ZIP_MEMBERS", 2000)
MAX_NAME_PART = 200       # characters in one folder or file name inside the ZIP
MAX_NAME_LENGTH = 1000    # characters in a whole path inside the ZIP


def check_zip(path: Path, name: str) -> None:
    """Refuse, by name and with the reason, the ZIP containers (.docx and .zip) Python's zipfile
    would choke on part-way: encrypted or oddly compressed entries, over-long names, bad CRCs
    (issue 8, break 13: each of these was a 500)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _error(f"“{name}” holds {len(infos):,} files; the limit is {MAX_ZIP_MEMBERS:,}.")
            for info in infos:
                entry = info.filename
                if info.flag_bits & 0x1:
                    raise _error(f"“{name}” is password-protected (“{entry[:80]}” is encrypted). "
                                 "Remove the password and upload it again.")
                if info.compress_type not in SUPPORTED_COMPRESSION:
                    raise _error(f"“{name}” uses a compression method we cannot read for “{entry[:80]}”. "
                                 "Save or zip it again with ordinary (Deflate) compression.")
                if len(entry) > MAX_NAME_LENGTH or any(len(part) > MAX_NAME_PART for part in entry.split("/")):
                    raise _error(f"“{name}” holds a file or folder name that is too long "
                                 f"(“{entry[:60]}…”, {len(entry)} characters). Shorten it and upload again.")
                if "\x00" in entry:
                    raise _error(f"“{name}” holds a file name with a NUL character.")
            bad = zf.testzip()  # reads every entry: the unpacked size was limited before
            if bad is not None:
                raise _error(f"“{name}” is damaged: “{bad[:80]}” fails its checksum (CRC). Upload it again, or "
                             "save it again from the program that made it.")
    except zipfile.BadZipFile as exc:
        raise _error(f"“{name}” is a damaged ZIP file ({exc}). Upload it again, or save it again.") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise _error(f"“{name}” could not be unpacked ({type(exc).__name__}: {exc}). Save it again and "
                     "upload it again.") from None
    except zlib.error:
        raise _error(f"“{name}” is damaged: its compressed data cannot be read.") from None


def check_nesting(document, name: str) -> None:
    """Refuse inline formatting nested deeper than any book needs (3,000 emphasis markers made
    the writers recurse past Python's limit), counted without recursion."""
    for _, block in document.walk_blocks():
        stack = [(child, 1) for child in getattr(block, "children", None) or []]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_NESTING:
                raise _error(f"“{name}” nests emphasis, links or other formatting more than {MAX_NESTING} levels "
                             "deep. Remove the repeated * or _ markers and upload it again.")
            stack.extend((child, depth + 1) for child in getattr(node, "children", None) or [])


def precheck_docx(path: Path, name: str) -> None:
    """Count paragraphs by streaming word/document.xml: no parser, bounded memory."""
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                info = zf.getinfo("word/document.xml")
            except KeyError:
                return  # the reader says what is missing
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise _error(f"“{name}” holds {info.file_size / 1048576:.0f} MB of text markup; the limit is "
                             f"{MAX_DOCX_XML_BYTES // 1048576} MB. Split the book, or remove hidden content.")
            count, tail = 0, b""
            with zf.open(info) as fh:
                while chunk := fh.read(1 << 20):
                    data = tail + chunk
                    count += len(re.findall(rb"<w:p[ >/]", data))
                    tail = data[-6:]
                    count -= len(re.findall(rb"<w:p[ >/]", tail))  # counted again with the next chunk
                    if count > MAX_PARAGRAPHS:
                        raise _error(f"“{name}” has more than {MAX_PARAGRAPHS:,} paragraphs, more than any book "
                                     "we can typeset. Check for empty paragraphs used as spacing, or split it.")
    except zipfile.BadZipFile as exc:
        raise _error(f"“{name}” is a damaged Word file: {exc}") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise _error(f"“{name}” uses a ZIP feature we cannot read ({exc}). Save it again from Word.") from None


def precheck_markdown(path: Path, name: str) -> None:
    size = path.stat().st_size
    if size > MAX_MARKDOWN_BYTES:
        raise _error(f"“{name}” is {size / 1048576:.1f} MB of Markdown text; the limit is "
                     f"{MAX_MARKDOWN_BYTES // 1048576} MB. Put images in a .zip beside the text, not inline.")


def check_document_size(document, name: str) -> None:
    blocks = sum(1 for _ in document.walk_blocks())
    if blocks > MAX_BLOCKS:
        raise _error(f"“{name}” has {blocks:,} paragraphs and other blocks; the limit is {MAX_BLOCKS:,}.")


def _limit_resources(memory: int, seconds: int) -> None:
    import resource

    # The child starts as a copy of the parent, so its budget is on top of what it already maps.
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        mapped = 0
    resource.setrlimit(resource.RLIMIT_AS, (mapped + memory, mapped + memory))
    cpu = max(1, int(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _child(conn, func, args, memory, seconds):
    try:
        _limit_resources(memory, seconds)
        try:
            result = ("ok", func(*args))
        except MemoryError:
            result = ("error", ["MEMORY"])
        except RecursionError:
            result = ("error", ["NESTING"])
        except Exception as exc:  # noqa: BLE001 - sent to the parent, which decides what to say
            messages = getattr(exc, "messages", None)
            if messages is not None:
                result = ("error", list(messages))
            else:
                from communique.jobs.reasons import plain_reason

                result = ("crash", [f"{type(exc).__name__}: {exc}"[:2000], plain_reason(exc)])
        conn.send(result)
    except BaseException:  # noqa: BLE001 - even a failed send must end in os._exit
        pass
    finally:
        conn.close()
        os._exit(0)


def run_limited(func, *args, name: str, seconds: int | None = None, memory: int | None = None):
    """func(*args) in a child process with memory, CPU and wall-clock limits. Returns its value;
    raises ManuscriptError (what the reader said, or which limit was hit)."""
    import multiprocessing

    seconds = PARSE_SECONDS if seconds is None else seconds
    memory = PARSE_MEMORY_BYTES if memory is None else memory
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, args, memory, seconds), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(seconds):
            raise _error(f"Reading “{name}” took longer than {seconds} seconds, the limit for one manuscript. "
                         "Split it into smaller files, or remove what is not part of the book.")
        try:
            status, payload = recv.recv()
        except EOFError:
            status, payload = "died", []
    finally:
        recv.close()
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
        proc.join(5)
    if status == "ok":
        return payload
    if status == "died" and proc.exitcode == -signal.SIGXCPU:
        raise _error(f"Reading “{name}” used more than {seconds} seconds of processing, the limit for one "
                     "manuscript. Split it into smaller files.")
    if status == "died" and proc.exitcode == -signal.SIGKILL:
        raise _error(f"Reading “{name}” was interrupted (the server stopped the reading process). "
                     "Nothing was kept; upload it again.")
    if status == "died" or payload == ["MEMORY"]:
        raise _error(f"Reading “{name}” needed more than {memory // 1048576} MB of memory, the limit for one "
                     "manuscript. Split it into smaller files, or reduce very large tables and lists.")
    if payload == ["NESTING"]:
        raise _error(f"“{name}” nests lists, quotes or emphasis too deeply to read. Simplify the formatting.")
    if status == "crash":
        import logging

        logging.getLogger(__name__).error("Reading %s failed: %s", name, payload[0])
        raise _error(f"“{name}” could not be read: the file is damaged or uses a feature we do not support. "
                     "Save it again (Word: File › Save As › .docx; Markdown: plain UTF-8 text) and upload it again.")
    raise _error(payload)
