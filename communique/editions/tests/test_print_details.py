"""Issue 12 defects 14 and 17: small EPUBs (fonts subset to the text), flush first paragraphs
after a chapter opening, and built files readable by others (not 0600)."""
from __future__ import annotations

import os
import stat
import zipfile
from types import SimpleNamespace

from communique.documents import model as m
from communique.editions import registry
from communique.editions.pdf.check import words_by_page


def _article(words: int = 60) -> m.Document:
    text = " ".join(["diplomacy"] * words)
    meta = m.Metadata(title="A Short Piece", language="en", date="2026-05-01",
                      contributors=[m.Contributor("Rana Test", "author")])
    division = m.Division(kind="chapter", title="A Short Piece", blocks=[m.Paragraph([m.Text(text)])])
    return m.Document(meta=meta, divisions=[division])


def test_single_article_epub_is_small(tmp_path):
    # On main whole Noto faces were embedded: 1.5–2 MB for a 60-word article.
    out = tmp_path / "a.epub"
    registry.write("epub", _article(), out, {"generate_cover": False})
    assert out.stat().st_size < 250_000, out.stat().st_size
    with zipfile.ZipFile(out) as z:
        fonts = [i for i in z.infolist() if i.filename.startswith("EPUB/fonts/")]
    assert fonts and all(i.file_size < 80_000 for i in fonts)


def test_first_paragraph_of_a_chapter_is_flush(tmp_path):
    first = "Alphaword " + " ".join(["opening"] * 80)
    second = "Bravoword " + " ".join(["following"] * 80)
    after = "Charlieword " + " ".join(["section"] * 80)
    meta = m.Metadata(title="Flush", language="en")
    chapter = m.Division(kind="chapter", title="One", blocks=[
        m.Paragraph([m.Text(first)]), m.Paragraph([m.Text(second)]),
        m.Heading(1, [m.Text("A section")]), m.Paragraph([m.Text(after)])])
    out = tmp_path / "b.pdf"
    registry.write("pdf", m.Document(meta=meta, divisions=[chapter]), out, {"kind": "book", "workers": 1})
    words = [w for page in words_by_page(out) for w in page]
    x = {w["text"]: w["x0"] for w in words if w["text"] in ("Alphaword", "Bravoword", "Charlieword")}
    assert abs(x["Alphaword"] - x["Charlieword"]) < 1.0  # both flush
    assert x["Bravoword"] - x["Alphaword"] > 5  # the paragraph after them is indented
    mode = stat.S_IMODE(os.stat(out).st_mode)
    assert mode & 0o044 == 0o044, oct(mode)  # readable by group and others (umask 022)


def test_kit_zip_entries_are_0644(tmp_path):
    from communique.books.services import kit_zip

    folder = tmp_path / "kit"
    folder.mkdir()
    (folder / "interior.pdf").write_bytes(b"%PDF-1.7 test")
    os.chmod(folder / "interior.pdf", 0o600)
    build = SimpleNamespace(folder_path=folder, files=["interior.pdf"])
    with zipfile.ZipFile(kit_zip(build)) as z:
        info = z.getinfo("interior.pdf")
        assert stat.S_IMODE(info.external_attr >> 16) == 0o644
        assert z.read("interior.pdf") == b"%PDF-1.7 test"


PROSE = ("Public diplomacy is the slow work of listening before speaking, of exchanges that outlast the "
         "treaties that started them, and of trust built one visit at a time between people who may never "
         "meet again. ").split()


def _magazine_article(words: int) -> m.Document:
    text = " ".join(PROSE[i % len(PROSE)] for i in range(words))
    meta = m.Metadata(title="Single Article", language="en", date="2026-05-01")
    article = m.Division(kind="article", title="Listening first", blocks=[m.Paragraph([m.Text(text)])],
                         section_label="Opinion")
    return m.Document(meta=meta, divisions=[article])


def test_short_article_pdf_starts_with_the_text_in_a_readable_measure(tmp_path):
    # On main: a cover and a one-entry contents page came first, and the text ran ~110
    # characters a line across A4.
    import pdfplumber

    from communique.documents import transforms

    out = tmp_path / "a.pdf"
    # As editions.services builds an article's PDF: the matter transform, which gives one article
    # no contents page, then the writer, which gives it no cover.
    doc = transforms.run(_magazine_article(60), ["matter"], {"matter": {"medium": "print", "pages": ["contents"]}})
    assert [d.kind for d in doc.divisions] == ["article"]
    report = registry.write("pdf", doc, out, {"kind": "magazine"})
    assert report.stats["pages"] == 1 and list(report.stats["start_pages"].values()) == [1]
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert "Listening first" in page.extract_text()
        body_top = next(w["top"] for w in page.extract_words() if w["text"] == "Public")
        lines = {}
        for w in page.extract_words():
            if w["top"] >= body_top - 1:
                lines.setdefault(round(w["top"]), []).append(w)
        widths = sorted(sum(len(w["text"]) + 1 for w in ws) - 1 for ws in lines.values())
    # Full lines (all but the last) hold a book-like measure, not A4's ~110 characters.
    assert len(widths) >= 4 and all(58 <= n <= 80 for n in widths[1:]), widths
