"""Print PDF for books, read back: trim, margins, fonts, contents, running heads, footnotes."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from communique.documents import model as m, transforms
from communique.editions.pdf import PdfWriter, samples
from communique.editions.pdf import writer as writer_module
from communique.editions.pdf.check import (PT, contents_numbers, embedded_fonts, page_sizes, page_texts,
                                           top_text, words_by_page)
from communique.editions.pdf.geometry import GENERIC, PrintRules

TOL = 1.0  # points: glyph boxes from pdfminer are rounded


def _with_note_markers(doc: m.Document) -> m.Document:
    """Put a unique short word (too short to hyphenate) before each note reference and at the
    start of each note, so a test
    can find the page of the reference and the page of the note text."""
    n = 0
    for div in doc.walk_divisions():
        for block in div.blocks:
            if not isinstance(block, m.Paragraph):
                continue
            for i, node in enumerate(list(block.children)):
                if isinstance(node, m.NoteRef):
                    n += 1
                    block.children.insert(i, m.Text(f" R{n}R"))
                    note = doc.notes[node.note_id][0]
                    note.children.insert(0, m.Text(f"N{n}N "))
                    break
    return doc


def _with_matter(doc: m.Document) -> m.Document:
    """A print book's opening pages come from the matter transform (the writer makes none)."""
    return transforms.run(doc, ["matter"], {"matter": {"medium": "print"}})


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    doc = _with_matter(_with_note_markers(samples.book(chapters=3, paragraphs=14, footnotes_per_chapter=3)))
    work = tmp_path_factory.mktemp("pdf")
    path = work / "book.pdf"
    report = _write_in_fresh_process(doc, path, {"trim": "6x9", "workers": 2, "chunk_words": 500}, work)
    return doc, path, report


def _write_in_fresh_process(doc, path, options, work):
    """The writer forks its layout workers only when no other thread runs in the process (forking
    a threaded process can deadlock); earlier tests in a long session leave threads behind (the
    live server, job pools), so these tests lay the book out in a process of their own."""
    import json
    import pickle
    import subprocess
    import sys

    (work / "doc.pickle").write_bytes(pickle.dumps(doc))
    code = (
        "import json, pickle, sys; from communique.editions.pdf import PdfWriter; "
        "doc = pickle.load(open(sys.argv[1], 'rb')); "
        "r = PdfWriter().write(doc, sys.argv[2], json.loads(sys.argv[3])); "
        "open(sys.argv[4], 'wb').write(pickle.dumps(r))"
    )
    import os

    import communique

    # this checkout's code, whichever checkout the interpreter was installed from
    env = dict(os.environ, PYTHONPATH=str(Path(communique.__file__).resolve().parents[1]))
    subprocess.run(
        [sys.executable, "-c", code, work / "doc.pickle", path, json.dumps(options), work / "report.pickle"],
        check=True, env=env,
    )
    return pickle.loads((work / "report.pickle").read_bytes())


@pytest.fixture(scope="module")
def bleed_book(tmp_path_factory):
    doc = samples.book(chapters=2, paragraphs=10, seed=3)
    path = tmp_path_factory.mktemp("pdf") / "bleed.pdf"
    report = PdfWriter().write(doc, path, {"trim": "5.5x8.5", "bleed": True, "workers": 1, "chunk_words": 300})
    return doc, path, report


def _chapter_titles(doc):
    return [d.title for d in doc.divisions if d.matter == "body"]


def test_page_size_is_the_trim(book):
    _, path, _ = book
    assert set(page_sizes(path)) == {(6 * PT, 9 * PT)}


def test_bleed_adds_eighth_inch_outside_and_quarter_inch_height(bleed_book):
    _, path, report = bleed_book
    assert set(page_sizes(path)) == {(5.625 * PT, 8.75 * PT)}
    assert report.stats["geometry"]["bleed"] is True


@pytest.mark.parametrize("trim,size", [("a5", (5.83, 8.27)), ("8.5x11", (8.5, 11))])
def test_other_trims(tmp_path, trim, size):
    path = tmp_path / "t.pdf"
    report = PdfWriter().write(samples.book(chapters=1, paragraphs=2), path, {"trim": trim, "workers": 1})
    w, h = page_sizes(path)[0]
    assert (round(w / PT, 2), round(h / PT, 2)) == size
    # The generic writer knows no printer's list of trims (KDP's preflight checks those), so it
    # does not warn about A5 being a KDP custom trim.
    assert not [w.message for w in report.warnings if w.where == "trim"]


def test_page_count_is_even(book, bleed_book):
    for _, path, report in (book, bleed_book):
        n = len(PdfReader(path).pages)
        assert n % 2 == 0
        assert report.stats["pages"] == n


def _assert_inside_margins(path, report, rtl=False):
    """Every word inside the text block horizontally (mirror-aware: the gutter is on the left
    of a right-hand page), and inside the writer's print rules' minimum margins on every side
    (the generic rules here; the KDP kit's tests check KDP's)."""
    g = report.stats["geometry"]
    pages = words_by_page(path)
    width, height = g["page_width_in"] * PT, g["page_height_in"] * PT
    bleed = 0.125 * PT if g["bleed"] else 0.0
    kdp_gutter = float(GENERIC.gutter_for(len(pages))) * PT
    kdp_outer = float(GENERIC.outer_margin(g["bleed"])) * PT
    assert g["gutter_in"] * PT >= kdp_gutter
    checked = 0
    for index, words in enumerate(pages):
        number = index + 1
        recto = number % 2 == 1
        right_hand = recto != rtl  # an RTL book's recto is a left-hand page
        inside, outside = g["gutter_in"] * PT, g["outside_in"] * PT
        left, right = (inside, outside) if right_hand else (outside, inside)
        for w in words:
            checked += 1
            assert w["x0"] >= left - TOL, (number, w)
            assert w["x1"] <= width - right + TOL, (number, w)
            assert w["top"] >= kdp_outer - TOL, (number, w)
            assert w["bottom"] <= height - kdp_outer + TOL, (number, w)
            # the spine edge: KDP's gutter; the outside edge: bleed + KDP's outer margin
            spine_gap = w["x0"] if right_hand else width - w["x1"]
            outer_gap = width - w["x1"] if right_hand else w["x0"]
            assert spine_gap >= kdp_gutter - TOL, (number, w)
            assert outer_gap >= kdp_outer - TOL and outer_gap >= bleed, (number, w)
    assert checked > 200


def test_words_inside_margins(book):
    _, path, report = book
    _assert_inside_margins(path, report)


def test_words_inside_margins_with_bleed(bleed_book):
    _, path, report = bleed_book
    _assert_inside_margins(path, report)


def test_fonts_embedded(book):
    _, path, _ = book
    fonts = embedded_fonts(path)
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    assert any("Noto-Serif" in name for name in fonts), fonts


def test_contents_numbers_are_the_pages_where_chapters_start(book):
    doc, path, report = book
    texts = page_texts(path)
    titles = _chapter_titles(doc)
    contents_index = next(i for i, t in enumerate(texts) if t.strip().startswith("Contents"))
    printed = contents_numbers(texts[contents_index], titles)
    assert set(printed) == set(titles)
    for title in titles:
        # the opening page is the first page after the contents where the title appears
        opening = next(i + 1 for i, t in enumerate(texts) if i > contents_index and title in t)
        assert printed[title] == opening, (title, printed[title], opening)
        assert opening % 2 == 1, f"{title} opens on a verso page"
    assert sorted(printed.values()) == sorted(report.stats["start_pages"].values())


def test_folios_are_the_page_numbers(book):
    doc, path, report = book
    pages = words_by_page(path)
    first_body = min(report.stats["start_pages"].values())
    height = report.stats["geometry"]["page_height_in"] * PT
    bottom_limit = height - report.stats["geometry"]["bottom_in"] * PT
    seen = 0
    for index in range(first_body - 1, len(pages)):
        footer = [w["text"] for w in pages[index] if w["top"] >= bottom_limit]
        if not footer:
            continue  # blank verso pages carry no folio
        assert footer[-1] == str(index + 1), (index + 1, footer)
        seen += 1
    assert seen >= len(pages) - first_body - 3


def test_running_heads_carry_the_chapter_title(book):
    doc, path, report = book
    pages = words_by_page(path)
    g = report.stats["geometry"]
    head_limit = g["top_in"] * PT
    starts = sorted((p, d.title) for d in doc.divisions for k, p in report.stats["start_pages"].items() if k == d.id)
    checked = 0
    for n, (start, title) in enumerate(starts):
        end = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(pages)
        for number in range(start, end + 1):
            head = top_text(pages[number - 1], head_limit)
            if number == start:
                assert title not in head  # no running head on a chapter's opening page
            elif number % 2 == 1 and pages[number - 1]:
                assert head == title, (number, head)
                checked += 1
            elif pages[number - 1]:
                assert head == doc.meta.title, (number, head)
    assert checked >= 3


def test_footnote_on_the_same_page_as_its_reference(book):
    doc, path, _ = book
    texts = page_texts(path)
    n_notes = len(doc.notes)
    assert n_notes >= 6
    for n in range(1, n_notes + 1):
        ref = [i for i, t in enumerate(texts) if f"R{n}R" in t]
        note = [i for i, t in enumerate(texts) if f"N{n}N" in t]
        assert ref and note, n
        assert ref[0] == note[0], f"note {n}: reference on page {ref[0] + 1}, text on page {note[0] + 1}"


def test_metadata(book):
    doc, path, _ = book
    reader = PdfReader(path)
    info = reader.metadata
    assert info.title == doc.meta.title
    assert info.author == "Amina Rahman"
    assert info.subject == doc.meta.description
    assert "diplomacy" in info["/Keywords"]
    assert info["/CreationDate"].startswith("D:20260501")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_same_bytes_with_one_or_two_workers(book, tmp_path):
    doc, path, _ = book
    again = tmp_path / "again.pdf"
    PdfWriter().write(doc, again, {"trim": "6x9", "workers": 1, "chunk_words": 500})
    assert again.read_bytes() == Path(path).read_bytes()


def test_no_link_annotations_or_bookmarks_in_a_print_book(book):
    _, path, _ = book
    reader = PdfReader(path)
    assert all("/Annots" not in p for p in reader.pages)
    assert not reader.outline


def test_gutter_widens_when_the_page_count_needs_it(tmp_path, monkeypatch):
    # Printer's rules with a band edge at 10 pages, so a small book crosses it.
    from decimal import Decimal

    rules = PrintRules("test printer", ((0, 9, Decimal("0.375")), (10, 10_000, Decimal("0.75"))),
                       Decimal("0.25"), Decimal("0.375"), Decimal("0.125"))
    monkeypatch.setattr(writer_module, "_estimate_pages", lambda *a: 4)
    path = tmp_path / "g.pdf"
    report = PdfWriter().write(_with_matter(samples.book(chapters=2, paragraphs=12)), path,
                               {"workers": 1, "print_rules": rules})
    assert [p["gutter_in"] for p in report.stats["layouts"]] == [0.375, 0.75]
    assert report.stats["geometry"]["gutter_in"] == 0.75
    pages = words_by_page(path)
    recto = pages[report.stats["start_pages"]["ch1"] - 1]
    assert min(w["x0"] for w in recto) >= 0.75 * PT - TOL


def test_tagged_single_pass_book(tmp_path):
    path = tmp_path / "tagged.pdf"
    doc = _with_matter(samples.book(chapters=2, paragraphs=8))
    report = PdfWriter().write(doc, path, {"tagged": True, "trim": "5.5x8.5"})
    assert report.stats["path"] == "single"
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert len(reader.pages) % 2 == 0
    texts = page_texts(path)
    printed = contents_numbers(next(t for t in texts if t.strip().startswith("Contents")), _chapter_titles(doc))
    assert printed == {d.title: report.stats["start_pages"][d.id] for d in doc.divisions if d.matter == "body"}


def test_failed_build_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "keep.pdf"
    target.write_bytes(b"previous edition")

    def boom(*a, **k):
        raise RuntimeError("stitching failed")

    monkeypatch.setattr(writer_module._Stitcher, "finish", boom)
    with pytest.raises(RuntimeError):
        PdfWriter().write(samples.book(chapters=1, paragraphs=2), target, {"workers": 1})
    assert target.read_bytes() == b"previous edition"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.pdf"]


def test_unknown_option_and_bad_trim_are_clear_errors(tmp_path):
    doc = samples.book(chapters=1, paragraphs=1)
    with pytest.raises(ValueError, match="unknown PDF option"):
        PdfWriter().write(doc, tmp_path / "x.pdf", {"trimsize": "6x9"})
    with pytest.raises(ValueError, match="trim"):
        PdfWriter().write(doc, tmp_path / "x.pdf", {"trim": "six by nine"})
    assert not list(tmp_path.iterdir())


def test_many_footnotes_stay_with_their_references(tmp_path):
    doc = _with_note_markers(samples.book(chapters=2, paragraphs=40, footnotes_per_chapter=14, seed=21))
    path = tmp_path / "notes.pdf"
    PdfWriter().write(doc, path, {"trim": "5.5x8.5", "workers": 2, "chunk_words": 300})
    texts = page_texts(path)
    for n in range(1, len(doc.notes) + 1):
        ref = next(i for i, t in enumerate(texts) if f"R{n}R" in t)
        note = next(i for i, t in enumerate(texts) if f"N{n}N" in t)
        assert ref == note, f"note {n}: reference on page {ref + 1}, text on page {note + 1}"


def test_book_fixture_took_the_parallel_path(book):
    # the other book tests would pass on the single-process path too; make sure they test the workers
    assert book[2].stats["path"] == "parallel×2"


def test_chapters_grouped_into_chunks_keep_their_pages(tmp_path):
    # One group of three chapters (blank pages inside the group come from WeasyPrint) against
    # one chapter per group (blank pages added when stitching): the same pages either way.
    doc = samples.book(chapters=3, paragraphs=9, seed=5)
    one, three = tmp_path / "one.pdf", tmp_path / "three.pdf"
    r1 = PdfWriter().write(doc, one, {"workers": 1, "chunk_words": 10**6})
    r3 = PdfWriter().write(doc, three, {"workers": 2, "chunk_words": 1})
    assert (r1.stats["chunks"], r3.stats["chunks"]) == (1, 3)
    assert r1.stats["start_pages"] == r3.stats["start_pages"]
    assert page_texts(one) == page_texts(three)


def test_parallel_layout_runs_in_a_threaded_process_such_as_a_job_worker(tmp_path):
    """Job workers run a clock thread beside the job (and web servers run many): the layout
    workers then come from a forkserver instead of a fork, and the pages are the same."""
    import threading

    stop = threading.Event()
    beside = threading.Thread(target=stop.wait, daemon=True)
    beside.start()
    try:
        doc = samples.book(chapters=3, paragraphs=6, seed=9)
        parallel, single = tmp_path / "parallel.pdf", tmp_path / "single.pdf"
        report = PdfWriter().write(doc, parallel, {"trim": "6x9", "workers": 2, "chunk_words": 300})
        assert threading.active_count() > 1
    finally:
        stop.set()
    PdfWriter().write(doc, single, {"trim": "6x9", "workers": 1, "chunk_words": 300})
    assert report.stats["path"] == "parallel×2"
    assert page_texts(parallel) == page_texts(single)


def test_default_chunks_are_even_and_two_per_worker():
    from types import SimpleNamespace as Unit

    units = [Unit(words=w) for w in (9000, 1000, 1000, 7000, 3000, 3000, 4000, 8000)]
    groups = writer_module._balanced(units, writer_module._chunk_count(units, workers=2))
    assert len(groups) == 4
    assert [u for g in groups for u in g] == units  # consecutive, nothing dropped or reordered
    # 36,000 words in four: no partition of these chapters has a smaller largest chunk than 10,000
    assert max(sum(u.words for u in g) for g in groups) == 10000
    # a short book is not cut into chunks that cost more than they save
    assert writer_module._chunk_count([Unit(words=2000), Unit(words=2500)], workers=2) == 1


def test_default_chunking_by_workers_keeps_the_pages(tmp_path, monkeypatch):
    doc = samples.book(chapters=4, paragraphs=8, seed=3)
    monkeypatch.setattr(writer_module, "MIN_CHUNK_WORDS", 1)  # the sample chapters are short
    two, one = tmp_path / "two.pdf", tmp_path / "one.pdf"
    r2 = PdfWriter().write(doc, two, {"workers": 2})
    r1 = PdfWriter().write(doc, one, {"workers": 1})
    assert (r2.stats["chunks"], r1.stats["chunks"]) == (4, 2)
    assert r2.stats["start_pages"] == r1.stats["start_pages"]
    assert page_texts(two) == page_texts(one)
