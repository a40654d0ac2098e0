"""Interior themes (issue 12, Vellum/Atticus anchors): chapter headings, small-caps first lines or
drop caps, scene-break ornaments, and flush first paragraphs (issue 12, defect 17) — read back
from the laid-out pages: the PDF with pdfplumber, the EPUB's own XHTML and CSS laid out by
WeasyPrint, so the rule that reaches each paragraph is what is checked, not the CSS text."""
from __future__ import annotations

import zipfile

import pytest

from communique.documents import model as m
from communique.editions import registry, themes

pdfplumber = pytest.importorskip("pdfplumber")
FILLERS = ("open", "then", "cut", "part")


def _chapter_document(language="en") -> m.Document:
    # Fillers too short to hyphenate, so every line after the first starts with a whole one.
    first = "Alphaword " + " ".join(["open"] * 70)
    second = "Bravoword " + " ".join(["then"] * 70)
    after_break = "Deltaword " + " ".join(["cut"] * 40)
    after = "Charlieword " + " ".join(["part"] * 50)
    chapter = m.Division(kind="chapter", title="One", section_label="Chapter 1", id="one", blocks=[
        m.Paragraph([m.Text(first)]), m.Paragraph([m.Text(second)]), m.ThematicBreak(),
        m.Paragraph([m.Text(after_break)]), m.Heading(1, [m.Text("A section")]), m.Paragraph([m.Text(after)])])
    return m.Document(meta=m.Metadata(title="Themes", language=language), divisions=[chapter])


def _words(path):
    """Every word with its page number; x0 is measured from that page's own left margin (a book's
    margins are mirrored, so a verso's text starts further right than a recto's)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages):
            words = page.extract_words(extra_attrs=["size", "fontname"])
            body = [w["x0"] for w in words if w["text"] in FILLERS]
            margin = min(body) if body else 0.0
            for w in words:
                out.append({**w, "page": n, "x0": w["x0"] - margin, "x1": w["x1"] - margin})
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    work = tmp_path_factory.mktemp("themes")
    out = {}
    for name in themes.THEMES:
        path = work / f"{name}.pdf"
        registry.write("pdf", _chapter_document(), path, {"kind": "book", "workers": 1, "theme": name})
        out[name] = _words(path)
    return out


@pytest.fixture(scope="module")
def epub_pages(tmp_path_factory):
    """Each theme's EPUB chapter page laid out by WeasyPrint with the EPUB's own stylesheet."""
    from weasyprint import HTML

    work = tmp_path_factory.mktemp("epub-themes")
    out = {}
    for name in themes.THEMES:
        epub = work / f"{name}.epub"
        registry.write("epub", _chapter_document(), epub, {"theme": name, "generate_cover": False})
        folder = work / name
        with zipfile.ZipFile(epub) as z:
            z.extractall(folder)
        pdf = work / f"{name}-epub.pdf"
        HTML(filename=str(folder / "EPUB" / "text" / "d001.xhtml")).write_pdf(pdf)
        out[name] = (_words(pdf), (folder / "EPUB" / "styles" / "book.css").read_text(encoding="utf-8"))
    return out


def _x(words, text):
    return next(w["x0"] for w in words if w["text"] == text)


@pytest.mark.parametrize("name", list(themes.THEMES))
def test_first_paragraphs_are_flush_in_every_theme_pdf_and_epub(pdfs, epub_pages, name):
    for words in (pdfs[name], epub_pages[name][0]):
        margin = 0.0  # x0 is from the page's margin (_words)
        # The chapter's first paragraph (its first word, or the drop cap), the one after the
        # scene break and the one after the section heading all start at the margin …
        first = next(w for w in words if w["text"] in ("Alphaword", "A"))
        assert abs(first["x0"] - margin) < 1.0, (name, first)
        assert abs(_x(words, "Deltaword") - margin) < 1.0, name
        assert abs(_x(words, "Charlieword") - margin) < 1.0, name
        # … and the paragraph that follows another is indented.
        assert _x(words, "Bravoword") - margin > 5, name


def test_chapter_openings_differ_by_theme(pdfs):
    classic, modern, elegant = pdfs["classic"], pdfs["modern"], pdfs["elegant"]
    # classic: the opening line in small caps (WeasyPrint's small-caps face), the next line not
    assert "Small-Caps" in next(w for w in classic if w["text"] == "Alphaword")["fontname"]
    assert "Small-Caps" not in next(w for w in classic if w["text"] == "Bravoword")["fontname"]
    # elegant: a drop cap three times the body size, the first lines set beside it
    cap = next(w for w in elegant if w["text"] == "A")
    body = next(w for w in elegant if w["text"] == "Bravoword")["size"]
    assert cap["size"] > 3 * body
    line_starts = {}
    for w in elegant:
        if w["text"] in ("open", "lphaword") and w["page"] == cap["page"]:
            line_starts[round(w["top"])] = min(line_starts.get(round(w["top"]), 1e9), w["x0"])
    starts = [x for _, x in sorted(line_starts.items())]
    assert all(x >= cap["x1"] for x in starts[:3]), starts  # the first three lines wrap round the cap
    assert abs(starts[3]) < 1.0, starts  # the fourth is back at the margin
    # modern: no drop cap and no small caps
    assert not [w for w in modern if w["size"] > 2 * body and w["text"] == "A"]
    assert not [w for w in modern if "Small-Caps" in w["fontname"]]
    # headings: centred in classic and elegant, set at the margin in modern
    margin = 0.0
    assert abs(_x(modern, "One") - margin) < 1.0
    assert _x(classic, "One") > margin + 50 and _x(elegant, "One") > margin + 50
    assert "Italic" in next(w for w in elegant if w["text"] == "One")["fontname"]
    assert "Bold" in next(w for w in modern if w["text"] == "One")["fontname"]


def test_scene_breaks_have_the_theme_s_ornament(pdfs, epub_pages):
    texts = {name: " ".join(w["text"] for w in words) for name, words in pdfs.items()}
    assert "* * *" in texts["classic"] and "⁂" in texts["elegant"]
    assert "*" not in texts["modern"] and "⁂" not in texts["modern"]  # a plain rule
    epub_texts = {name: " ".join(w["text"] for w in words) for name, (words, _) in epub_pages.items()}
    assert "⁂" in epub_texts["elegant"] and "* * *" in epub_texts["classic"]


def test_no_drop_cap_or_small_caps_where_the_script_has_no_case():
    css = themes.pdf_css(themes.get("elegant"), "hi") + themes.pdf_css(themes.get("classic"), "zh-Hant")
    assert "initial" not in css and "first-letter" not in css and "first-line" not in css
    assert "span.initial" in themes.pdf_css(themes.get("elegant"), "tr")
    assert "::first-letter" in themes.epub_css(themes.get("elegant"), "tr")
    assert "::first-letter" not in themes.epub_css(themes.get("elegant"), "ur")


def test_an_unknown_theme_is_a_clear_error(tmp_path):
    for fmt in ("pdf", "epub"):
        with pytest.raises(ValueError, match="no interior theme 'gothic'; choose one of: classic, modern, elegant"):
            registry.write(fmt, _chapter_document(), tmp_path / f"x.{fmt}", {"theme": "gothic"})
        assert not (tmp_path / f"x.{fmt}").exists()


@pytest.mark.java
def test_themed_epubs_pass_epubcheck(tmp_path):
    from communique.documents import transforms
    from communique.documents.readers import read_markdown
    from communique.documents.tests.test_transforms import FULL
    from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

    paths = []
    for name in themes.THEMES:
        out = tmp_path / f"{name}.epub"
        registry.write("epub", transforms.run(read_markdown(FULL), ["matter"]), out, {"theme": name})
        paths.append(out)
    try:
        results = check_epubs(paths)
    except EpubCheckUnavailable as exc:
        pytest.skip(f"EPUBCheck cannot run: {exc}")
    for path, result in results.items():
        assert result.clean, f"{path.name}: {result.errors} errors, {result.warnings} warnings\n" + "\n".join(result.messages)
