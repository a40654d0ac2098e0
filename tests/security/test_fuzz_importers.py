"""Bounded fuzzing of every other reader and importer (issue 8): WordPress exports, saved HTML
pages and browser-copied text, and the reader registry that recognises a source by its content.
Real fixtures are mutated byte by byte (cut, flipped, spliced, repeated); every input must end in
a Document, an extracted page, or a clear ImportFailed / ReaderError naming the file, never any
other exception, and never in unbounded time: each case runs in a child process with a memory
and CPU limit. CI runs a few examples per reader; COMMUNIQUE_FUZZ_EXAMPLES=2000 for a longer run."""
import multiprocessing
import os
import resource
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
MEMORY_LIMIT = 1536 * 2**20  # per case: far above any honest export of this size
CPU_SECONDS = 60

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


def _case(kind, data, queue):
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    from communique.documents import readers
    from communique.importers import page, wordpress
    from communique.importers.base import ImportFailed

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
            queue.put(("refused", message, tmp in message))
            return
        except BaseException as exc:  # the failure this test exists to find
            import traceback

            queue.put(("crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-2000:]}", False))
            return
    queue.put(("ok", "", False))


def _run(kind, data):
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_case, args=(kind, data, queue))
    child.start()
    child.join(CPU_SECONDS * 3)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"{kind}: an input of {len(data)} bytes ran past {CPU_SECONDS * 3} s")
    assert not queue.empty(), f"{kind}: the reader died (exit {child.exitcode}) on {len(data)} bytes: over the memory or CPU limit"
    outcome, message, leaks_path = queue.get()
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
