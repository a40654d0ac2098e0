"""Bounded fuzzing of the manuscript readers (issue 8): Markdown text, DOCX and ZIP containers
with mutated bytes. Every input must end in a report or a clear ManuscriptError, never any other
exception. CI runs a few examples per reader; COMMUNIQUE_FUZZ_EXAMPLES=2000 for a longer run."""
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("COMMUNIQUE_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

MARKDOWN_BITS = st.sampled_from([
    "# ", "## ", "*", "**", "_", "__", "`", "```\n", "> ", "- ", "1. ", "[", "]", "(", ")", "![", "[^a]", "[^a]: ",
    "|", "---", "\n", "\n\n", "<b>", "</b>", "&amp;", "{#id .cls}", "x", "word ", "ü", "ر", "\t", "\\", "~~",
    "http://", "//", "../", "/etc/passwd", "title: ", "cover_image: ", ": ", "- name: ",
])


def _read(data: bytes, suffix: str):
    from communique.books.services import KINDS, ManuscriptError, _read_report

    tmpdir = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        staged = tmpdir / f"manuscript{suffix}"
        staged.write_bytes(data)
        try:
            _read_report(str(staged), str(tmpdir), f"fuzz{suffix}", KINDS[suffix])
        except ManuscriptError as exc:
            assert exc.messages and all(m.strip() for m in exc.messages)
            assert not any(str(tmpdir) in m for m in exc.messages), exc.messages
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


@FUZZ
@given(front=st.lists(MARKDOWN_BITS, max_size=12), body=st.lists(MARKDOWN_BITS, max_size=80))
def test_markdown_reader_fuzz(front, body):
    text = ("---\n" + "".join(front) + "\n---\n" if front else "") + "".join(body)
    _read(text.encode("utf-8"), ".md")


@FUZZ
@given(raw=st.binary(max_size=400))
def test_markdown_reader_bytes_fuzz(raw):
    _read(raw or b"x", ".md")


def _docx_bytes():
    from communique.documents.tests import builders

    with tempfile.TemporaryDirectory() as tmp:
        return builders.make_docx(Path(tmp) / "b.docx").read_bytes()


def _zip_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("book/book.md", "---\ntitle: T\n---\n\n# One\n\nSome words. ![x](a.png)\n")
        zf.writestr("book/a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    return buf.getvalue()


@pytest.fixture(scope="module")
def samples():
    return {".docx": _docx_bytes(), ".zip": _zip_bytes()}


@FUZZ
@given(data=st.data())
def test_docx_and_zip_reader_fuzz(samples, data):
    suffix = data.draw(st.sampled_from([".docx", ".zip"]))
    blob = bytearray(samples[suffix])
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(4, len(blob) - 1))  # keep the PK magic: past the cheap upload check
        blob[at] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        blob = blob[: data.draw(st.integers(30, len(blob)))]
    _read(bytes(blob), suffix)
