"""Bounded fuzzing of every other reader and importer (issue 8): WordPress exports, saved HTML
pages and browser-copied text, and the reader registry that recognises a source by its content.
Real fixtures are mutated byte by byte (cut, flipped, spliced, repeated); every input must end in
a Document, an extracted page, or a clear ImportFailed / ReaderError naming the file, never any
other exception, and never in unbounded time (each case has an alarm). CI runs a few examples per reader; COMMUNIQUE_FUZZ_EXAMPLES=2000 for a longer run."""
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("COMMUNIQUE_FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FIXTURES = Path(__file__).resolve().parents[2] / "communique" / "importers" / "tests" / "fixtures"
CPU_SECONDS = 30

SEEDS = {
    "wxr": (FIXTURES / "wxr" / "export.xml").read_bytes(),
    "html": (FIXTURES / "pages" / "opinion_rtl_ur.html").read_bytes(),
    "news": (FIXTURES / "pages" / "news_split_body.html").read_bytes(),
    "text": (FIXTURES / "pages" / "scrape_nav_comments.txt").read_bytes(),
}


@st.composite
def mutated(draw, seed_name):
    data = bytearray(SEEDS[seed_name])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["cut", "flip", "splice", "repeat", "truncate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "splice":
            data[at:at] = draw(st.sampled_from([b"<", b">", b"]]>", b"<![CDATA[", b"&", b"&#0;", b"\x00", b"<!ENTITY x 'y'>",
                                                b"</item>", b"<item>", b"\xff\xfe", b"<script>", b"<b>" * 50, b"\n\n"]))
        elif op == "repeat":
            chunk = bytes(data[at:at + 64])
            data[at:at] = chunk * draw(st.integers(2, 40))
        else:
            data = data[:at]
    return bytes(data)


class _Overrun(Exception):
    pass


def _case(kind, data):
    """One input, in this process, bounded in time by an alarm (a forked child could hang on a lock
    that another test's thread held; the manuscript readers' own limits are tested in the books
    fuzz, in a memory-limited child)."""
    import signal

    from communique.documents import readers
    from communique.importers import page, wordpress
    from communique.importers.base import ImportFailed

    def overrun(*_):
        raise _Overrun()

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.alarm(CPU_SECONDS)
    try:
        with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
            suffix = {"wxr": ".xml", "html": ".html", "news": ".html", "text": ".txt", "any": ".bin"}[kind]
            path = Path(tmp) / f"source{suffix}"
            path.write_bytes(data)
            try:
                if kind == "wxr":
                    wordpress.parse_wxr(path, warn=lambda *_: None)
                elif kind == "any":
                    readers.read(path)
                else:
                    page.extract(path, lambda *_: None).to_document()
            except (ImportFailed, readers.ReaderError) as exc:
                message = str(exc)
                return ("refused", message, tmp in message)
            except _Overrun:
                return ("overrun", "", False)
            except Exception as exc:  # the failure this test exists to find
                import traceback

                return ("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-2000:]}", False)
        return ("ok", "", False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _run(kind, data):
    outcome, message, leaks_path = _case(kind, data)
    assert outcome != "overrun", f"{kind}: an input of {len(data)} bytes ran past {CPU_SECONDS} s"
    assert outcome != "crash", f"{kind}: not a clear error:\n{message}"
    if outcome == "refused":
        assert message.strip(), f"{kind}: refused without saying why"
        assert not leaks_path, f"{kind}: the message shows a server path: {message}"
    return outcome


@FUZZ
@given(data=mutated("wxr"))
def test_wordpress_export_fuzz(data):
    _run("wxr", data)


@FUZZ
@given(data=st.one_of(mutated("html"), mutated("news")))
def test_saved_html_page_fuzz(data):
    _run("html", data)


@FUZZ
@given(data=mutated("text"))
def test_copied_text_fuzz(data):
    _run("text", data)


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), mutated("wxr"), mutated("html"), mutated("text")))
def test_reader_registry_fuzz(data):
    _run("any", data)


def test_the_fuzzer_sees_a_crash():
    """The harness must be able to fail: an input that makes the reader raise a plain exception
    is reported as a crash, not passed off as a refusal."""
    from communique.importers import page

    original = page.extract_text
    page.extract_text = lambda text: (_ for _ in ()).throw(KeyError("boom"))
    try:
        with pytest.raises(AssertionError, match="not a clear error"):
            _run("text", SEEDS["text"])
    finally:
        page.extract_text = original
