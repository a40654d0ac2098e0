"""EPUB writer: every book the suite builds is validated by EPUBCheck in ONE JVM per session
(`epub_builds` builds them all, then calls check_epubs once), and each test asserts one property."""
from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image as PILImage

from communique.documents.model import (
    Contributor,
    Division,
    Document,
    Heading,
    Image,
    Metadata,
    NoteRef,
    Paragraph,
    Table,
    TableCell,
    Text,
)
from communique.documents import transforms
from communique.documents.readers import ReaderError, read_docx, read_markdown
from communique.documents.sample import generate_manuscript
from communique.documents.tests import builders, golden
from communique.editions import registry
from communique.editions.epub import EpubWriter, write_epub
from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Built:
    path: Path
    report: registry.BuildReport
    document: Document


def _programmatic_book(images: dict[str, Path]) -> Document:
    """Built without a reader: contributors with bios, a note referenced from two chapters, a
    note that references another note, an image without alt text and a table without headers."""
    meta = Metadata(
        title="Hand-Built Book",
        contributors=[
            Contributor("Leila Haddad", "author", "Director, Institute of Peace and Diplomatic Studies",
                        "Leila Haddad has served in three embassies."),
            Contributor("Omar Said", "editor"),
        ],
        language="fr",
        date="2025-12-01",
        publisher="Communiqué Books",
        description="A book assembled in a test.",
        cover_image=images["rgb"],
    )
    doc = Document(meta=meta)
    doc.notes = {
        "shared": [Paragraph([Text("Cited twice, from two chapters."), NoteRef("nested")])],
        "nested": [Paragraph([Text("A note cited from inside another note.")])],
        "orphan": [Paragraph([Text("Never cited.")])],
    }
    doc.divisions = [
        Division("chapter", "Premier chapitre", blocks=[
            Paragraph([Text("Texte avec une note."), NoteRef("shared"), NoteRef("undefined")]),
            Image(images["png"], alt="", caption="An image without alt text"),
            Table([[TableCell([Text("a")]), TableCell([Text("b")])]]),
        ]),
        Division("chapter", "Deuxième chapitre", blocks=[
            Heading(1, [Text("Une section")]),
            Paragraph([Text("Encore la même note."), NoteRef("shared")]),
        ]),
    ]
    return doc


CASES = ("sample", "images", "urdu", "arabic", "structure", "docx", "hand_built", "wagtail_issue", "no_cover",
         "bomb", "structure_again", "subset", "empty", "odd_blocks", "golden", "bare")


def _odd_blocks_document() -> Document:
    """Blocks in unusual places: a note in a table cell, a table in a note, lists in lists, a
    heading in a quotation, empty headings and lists, control characters, unsafe and odd links."""
    from communique.documents.model import (BlockQuote, CodeBlock, LineBreak, Link, ListBlock, PullQuote,
                                            SmallCaps, Superscript, ThematicBreak)

    blocks = [
        Table([[TableCell([Text("h")], True)], [TableCell([Text("cell"), NoteRef("n")])]]),
        ListBlock(True, [[Paragraph([Text("a")]), Image(Path("/nonexistent.png"), alt="x")],
                         [ListBlock(False, [[Paragraph([Text("deep")])]])]]),
        BlockQuote([Heading(1, [Text("quoted heading")]), Paragraph([Text("q")])]),
        Heading(5, [Text("deep heading")]), Heading(1, []), Paragraph([]),
        Paragraph([Text('ctrl\x01char & <tag> "q"')]),
        Paragraph([Link("javascript:alert(1)", [Text("js")]), Link("https://ex.org/?a=1&b=2", [Text("amp")]),
                   LineBreak(), Superscript([Text("2")]), SmallCaps([Text("sc")])]),
        CodeBlock("a < b"), PullQuote("Quote", ""), ThematicBreak(), ListBlock(False, []), Table([]),
    ]
    return Document(
        Metadata(title="Odd blocks", date="2026-01-01T10:00:00",
                 contributors=[Contributor("A B", "illustrator"), Contributor("C", "weird-role")]),
        [Division("chapter", "C", blocks), Division("part", ""), Division("dedication", "", [Paragraph([Text("For you")])])],
        notes={"n": [Paragraph([Text("Note in a table cell")]), Table([[TableCell([Text("t")], True)]])]},
    )


def _bomb_document(directory: Path) -> Document:
    """An image whose PNG header claims 30,000 × 30,000 px: above Pillow's limit, so it must be
    refused before decoding, with its caption kept."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = directory / "bomb.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
                    + chunk(b"IEND", b""))
    return Document(Metadata(title="Bomb", date="2026-01-01"),
                    [Division("chapter", "C", [Image(png, alt="x", caption="Kept caption")])])


def _wagtail_issue_document(django_db_blocker) -> Document:
    """A print issue read from Wagtail pages, built inside a transaction that is rolled back."""
    from django.db import transaction

    from communique.documents.readers import read_issue
    from communique.magazine.tests.factories import build_magazine

    with django_db_blocker.unblock(), transaction.atomic():
        magazine = build_magazine(n_articles=3)
        doc = read_issue(magazine["issue"])
        transaction.set_rollback(True)
    return doc


@pytest.fixture(scope="session")
def epub_builds(request, tmp_path_factory, django_db_setup, django_db_blocker):
    """Build every EPUB the suite checks, then run EPUBCheck once on all of them."""
    # pytest-django creates the test database only when a collected test is marked django_db.
    wants_db = any(item.get_closest_marker("django_db") for item in request.session.items)
    work = tmp_path_factory.mktemp("epub")
    images = builders.make_images(work / "img")
    (work / "img" / "book.md").write_text(builders.images_markdown(images), encoding="utf-8")
    docx_path = builders.make_docx(work / "book.docx", images["png"])
    documents = {
        "sample": (read_markdown(generate_manuscript(words=6000, footnotes=30, seed=3)), {}),
        "images": (read_markdown(work / "img" / "book.md"), {}),
        "urdu": (read_markdown(builders.URDU_BOOK), {}),
        "arabic": (read_markdown(builders.ARABIC_BOOK), {}),
        "structure": (read_markdown(builders.STRUCTURE_BOOK), {}),
        "docx": (read_docx(docx_path), {}),
        "hand_built": (_programmatic_book(images), {}),
        "wagtail_issue": (_wagtail_issue_document(django_db_blocker), {}) if wants_db else None,
        "no_cover": (read_markdown(builders.ARABIC_BOOK), {"generate_cover": False}),
        "bomb": (_bomb_document(work), {"generate_cover": False}),
        # Read and written a second time: the two files must be identical.
        "structure_again": (read_markdown(builders.STRUCTURE_BOOK), {}),
        "subset": (read_markdown(builders.ARABIC_BOOK), {"subset_fonts": True, "generate_cover": False}),
        "empty": (Document(Metadata(title="Nothing Yet")), {}),
        "odd_blocks": (_odd_blocks_document(), {}),
        # Every node type of the model (communique/documents/tests/golden.py).
        "golden": (golden.every_node_document(work), {}),
        # Written without the matter transform: no title, copyright or contents pages.
        "bare": (read_markdown(builders.STRUCTURE_BOOK), {}),
    }
    built = {}
    for name, entry in documents.items():
        if entry is None:
            continue
        doc, options = entry
        if name != "bare":
            # The edition's matter is the document engine's transform; the writer makes none.
            doc = transforms.run(doc, ["matter"], {"matter": {"format": "EPUB", "fonts_line": True}})
        out = work / f"{name}.epub"
        built[name] = Built(out, registry.write("epub", doc, out, options), doc)
    # A deliberately broken copy proves the checker reports errors rather than always passing.
    broken = work / "broken.epub"
    with zipfile.ZipFile(built["structure"].path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if info.filename.endswith("d001.xhtml"):
                continue  # a spine item goes missing
            dst.writestr(info, src.read(info.filename))
    try:
        results = check_epubs([b.path for b in built.values()] + [broken])
        reason = ""
    except EpubCheckUnavailable as exc:
        results, reason = {}, str(exc)
    return {"built": built, "check": results, "skip": reason, "broken": broken, "images": images, "work": work}


def _check_or_skip(epub_builds, path):
    if epub_builds["skip"]:
        pytest.skip(f"EPUBCheck cannot run: {epub_builds['skip']}")
    return epub_builds["check"][Path(path).resolve()]


@pytest.mark.java
@pytest.mark.parametrize("case", CASES)
def test_epubcheck_reports_no_errors_or_warnings(epub_builds, case):
    if case not in epub_builds["built"]:
        pytest.skip(f"{case} needs the database, and no test that sets it up was selected")
    result = _check_or_skip(epub_builds, epub_builds["built"][case].path)
    assert result.clean, f"{case}: {result.fatals} fatal, {result.errors} errors, {result.warnings} warnings\n" + "\n".join(result.messages)


@pytest.mark.java
def test_epubcheck_batch_catches_a_broken_book(epub_builds):
    result = _check_or_skip(epub_builds, epub_builds["broken"])
    assert result.errors + result.fatals > 0
    assert any("d001.xhtml" in m for m in result.messages), result.messages


# ---- package structure -----------------------------------------------------------------------

def _zip(epub_builds, case) -> zipfile.ZipFile:
    return zipfile.ZipFile(epub_builds["built"][case].path)


def _opf(z):
    return etree.fromstring(z.read("EPUB/package.opf"))


def test_mimetype_is_first_and_stored(epub_builds):
    for case in epub_builds["built"]:
        with _zip(epub_builds, case) as z:
            first = z.infolist()[0]
            assert first.filename == "mimetype"
            assert first.compress_type == zipfile.ZIP_STORED
            assert z.read("mimetype") == b"application/epub+zip"
            assert z.testzip() is None


def test_every_xhtml_document_has_lang_and_dir(epub_builds):
    for case in epub_builds["built"]:
        with _zip(epub_builds, case) as z:
            lang = _opf(z).findtext(".//dc:language", namespaces=NS)
            for name in z.namelist():
                if name.endswith(".xhtml"):
                    root = etree.fromstring(z.read(name))
                    assert root.get("lang") == lang and root.get(XML_LANG) == lang, (case, name)
                    assert root.get("dir") in ("ltr", "rtl"), (case, name)


def test_right_to_left_books(epub_builds):
    for case, lang in (("urdu", "ur"), ("arabic", "ar")):
        with _zip(epub_builds, case) as z:
            opf = _opf(z)
            assert opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
            assert opf.findtext(".//dc:language", namespaces=NS) == lang
            for name in z.namelist():
                if name.endswith(".xhtml"):
                    assert etree.fromstring(z.read(name)).get("dir") == "rtl"
            css = z.read("EPUB/styles/book.css").decode()
            assert not re.search(r"(^|[;{\s])direction\s*:", css), "CSS direction is an EPUBCheck error"
            assert "text-align: right" in css
            fonts = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
            expected = "NotoNastaliqUrdu" if lang == "ur" else "NotoNaskhArabic"
            assert any(expected in f for f in fonts), fonts
    with _zip(epub_builds, "structure") as z:
        assert _opf(z).find("opf:spine", NS).get("page-progression-direction") is None


def test_kindle_css_rules(epub_builds):
    with _zip(epub_builds, "sample") as z:
        css = z.read("EPUB/styles/book.css").decode()
    body_rule = re.search(r"(^|\n)body\s*\{([^}]*)\}", css).group(2)
    for prop in ("font-size", "line-height", "color"):
        assert prop not in body_rule
    heading_rule = re.search(r"h1, h2, h3, h4, h5, h6 \{([^}]*)\}", css).group(1)
    assert "text-align: left" in heading_rule
    assert not re.search(r"margin[-a-z]*\s*:\s*[^;]*-\d", css), "negative margins"
    assert not re.search(r"text-indent\s*:\s*-", css)


def test_navigation_ncx_html_toc_and_landmarks(epub_builds):
    with _zip(epub_builds, "structure") as z:
        opf = _opf(z)
        nav_item = opf.find(".//opf:item[@properties='nav']", NS)
        spine = [i.get("idref") for i in opf.find("opf:spine", NS)]
        assert opf.find("opf:spine", NS).get("toc") == "ncx"
        # The HTML contents page is in the spine, near the start (after title, copyright, dedication).
        assert nav_item.get("id") in spine[:6]
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        toc = nav.find(".//x:nav[@epub:type='toc']", NS)
        labels = [a.text for a in toc.iter("{http://www.w3.org/1999/xhtml}a")]
        assert labels[:3] == ["For my teachers", "Note to the Reader", "Part One"]
        assert "Chapter One" in labels and "Acknowledgments" in labels
        assert toc.find(".//x:table", NS) is None
        # Two levels: the part's chapters nest under it; the chapter's section is cut at depth 2.
        part_li = toc.xpath(".//x:li[x:a='Part One']", namespaces=NS)[0]
        assert [a.text for a in part_li.xpath("./x:ol/x:li/x:a", namespaces=NS)] == ["Chapter One", "Chapter Two"]
        assert "A section" not in labels
        landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
        kinds = {a.get("{http://www.idpf.org/2007/ops}type") for a in landmarks.iter("{http://www.w3.org/1999/xhtml}a")}
        assert {"cover", "toc", "bodymatter", "titlepage"} <= kinds
        ncx = etree.fromstring(z.read("EPUB/toc.ncx"))
        ncx_labels = [t.text for t in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)]
        assert ncx_labels == labels
        uid = opf.findtext(".//dc:identifier[@id='pub-id']", namespaces=NS)
        assert ncx.find(".//ncx:meta[@name='dtb:uid']", NS).get("content") == uid == "urn:isbn:9783161484100"


def test_sections_have_epub_types(epub_builds):
    with _zip(epub_builds, "structure") as z:
        types = set()
        for name in z.namelist():
            if name.startswith("EPUB/text/"):
                root = etree.fromstring(z.read(name))
                for el in root.iter("{http://www.w3.org/1999/xhtml}section"):
                    types.add(el.get("{http://www.idpf.org/2007/ops}type"))
        assert {"cover", "titlepage", "copyright-page", "dedication", "preface", "part", "chapter", "appendix",
                "acknowledgments", "footnotes"} <= types


def test_footnotes_link_both_ways(epub_builds):
    for case in ("structure", "hand_built", "sample", "docx", "urdu"):
        with _zip(epub_builds, case) as z:
            ids, refs, notes = {}, [], []
            for name in z.namelist():
                if not name.startswith("EPUB/text/"):
                    continue
                root = etree.fromstring(z.read(name))
                file = name.rsplit("/", 1)[-1]
                for el in root.iter():
                    if el.get("id"):
                        ids[f"{file}#{el.get('id')}"] = el
                for a in root.iter("{http://www.w3.org/1999/xhtml}a"):
                    t = a.get("{http://www.idpf.org/2007/ops}type")
                    href = a.get("href")
                    target = href if not href.startswith("#") else file + href
                    if t == "noteref":
                        refs.append(target)
                    elif a.get("role") == "doc-backlink":
                        notes.append(target)
                for aside in root.iter("{http://www.w3.org/1999/xhtml}aside"):
                    if aside.get("{http://www.idpf.org/2007/ops}type") == "footnote":
                        assert aside.get("role") == "doc-footnote"
            assert refs, case
            for target in refs + notes:
                assert target in ids, (case, target)
            assert len(notes) == len(set(refs)), case  # one aside per note, each with a way back


def test_note_shared_between_chapters_and_nested_note(epub_builds):
    built = epub_builds["built"]["hand_built"]
    messages = [str(w) for w in built.report.warnings]
    assert any("undefined note 'undefined'" in m for m in messages)
    assert any("never referenced" in m and "orphan" in m for m in messages)
    with _zip(epub_builds, "hand_built") as z:
        first, second = z.read("EPUB/text/d001.xhtml").decode(), z.read("EPUB/text/d002.xhtml").decode()
    assert 'id="fn-1"' in first and 'id="fn-2"' in first  # the nested note sits with its parent note
    assert 'href="d001.xhtml#fn-1"' in second and 'id="fnref-1-2"' in second


def test_images_are_rgb_and_opaque_and_problems_reported(epub_builds):
    built = epub_builds["built"]["images"]
    messages = [str(w) for w in built.report.warnings]
    expect = ["photo-cmyk.jpg: converted from CMYK", "logo-transparent.png: transparency flattened",
              "huge.jpg: downscaled from 20000×20000", "broken.jpg: left out", "not-there.png: left out",
              "scan.tif: converted from TIFF"]
    for fragment in expect:
        assert any(fragment in m for m in messages), (fragment, messages)
    with _zip(epub_builds, "images") as z:
        opf = _opf(z)
        media = {i.get("href"): i.get("media-type") for i in opf.iterfind(".//opf:item", NS)}
        images = [n for n in z.namelist() if n.startswith("EPUB/images/")]
        # The drawn cover + rgb, cmyk, rgba, png, gif, tiff, huge (the broken and missing ones left out).
        assert len(images) == 8
        for name in images:
            assert media[name[len("EPUB/"):]] in ("image/jpeg", "image/png")
            with PILImage.open(z.open(name)) as im:
                assert im.format in ("JPEG", "PNG")
                assert im.mode in ("RGB", "L"), (name, im.mode)
                assert max(im.size) <= 3200
                assert "transparency" not in im.info
        chapter = z.read("EPUB/text/d001.xhtml").decode()
    # Captions of the images that could not be used are kept.
    assert "Figure: corrupt" in chapter and "Figure: missing" in chapter
    assert chapter.count("<img ") == 7


def test_unchanged_jpeg_is_copied_byte_for_byte(epub_builds):
    original = epub_builds["images"]["rgb"].read_bytes()
    with _zip(epub_builds, "images") as z:
        assert any(z.read(n) == original for n in z.namelist() if n.endswith(".jpg"))


def test_accessibility_metadata_is_true_of_the_file(epub_builds):
    def props(case):
        with _zip(epub_builds, case) as z:
            opf = _opf(z)
        out = {}
        for m in opf.iterfind(".//opf:meta[@property]", NS):
            out.setdefault(m.get("property"), []).append(m.text)
        return out

    images = props("images")  # every image has alt text and the table has a header row
    assert images["schema:accessMode"] == ["textual", "visual"]
    assert "alternativeText" in images["schema:accessibilityFeature"]
    assert {"structuralNavigation", "tableOfContents"} <= set(images["schema:accessibilityFeature"])
    assert images["schema:accessibilityHazard"] == ["none"]
    assert images["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert images["schema:accessibilitySummary"][0]

    hand = props("hand_built")  # an image without alt text and a table without headers
    assert "alternativeText" not in hand["schema:accessibilityFeature"]
    assert "dcterms:conformsTo" not in hand
    assert "textual" not in hand["schema:accessModeSufficient"]
    assert any("no WCAG conformance claimed" in str(w) for w in epub_builds["built"]["hand_built"].report.warnings)

    text_only = props("urdu")
    assert text_only["schema:accessMode"] == ["textual"]
    assert "alternativeText" not in text_only["schema:accessibilityFeature"]


def test_metadata_contributors_title_and_copyright_pages(epub_builds):
    with _zip(epub_builds, "structure") as z:
        opf = _opf(z)
        assert opf.findtext(".//dc:creator", namespaces=NS) == "Amina Rahman"
        roles = [m.text for m in opf.iterfind(".//opf:meta[@property='role']", NS)]
        assert roles == ["aut", "trl"]
        assert opf.findtext(".//opf:meta[@property='belongs-to-collection']", namespaces=NS) == "Test Series"
        assert opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS) == "2026-01-15T00:00:00Z"
        title_page = z.read("EPUB/text/titlepage.xhtml").decode()
        copyright_page = z.read("EPUB/text/copyright.xhtml").decode()
        # "About the Author" is the matter transform's division, made from the contributors' bios.
        [about] = [z.read(n).decode() for n in z.namelist() if n.startswith("EPUB/text/")
                   and "About the Author" in z.read(n).decode()]
    assert "Parts and Pieces" in title_page and "A structural test" in title_page and "Translated by Jonas Weber" in title_page
    assert "Copyright © 2026 Amina Rahman" in copyright_page and "978-3-16-148410-0" in copyright_page
    assert "All rights reserved." in copyright_page
    assert "Senior Fellow" in about and "Amina writes about diplomacy." in about


def test_links_internal_external_and_dropped(epub_builds):
    built = epub_builds["built"]["structure"]
    assert any("other-file.md" in str(w) for w in built.report.warnings)
    with _zip(epub_builds, "structure") as z:
        preface = z.read("EPUB/text/d002.xhtml").decode()
        chapter = z.read("EPUB/text/d004.xhtml").decode()
    assert 'href="d003.xhtml#part-one"' in preface
    assert 'href="https://example.org/a%20b"' in preface
    assert 'href="#sec-a"' in chapter and 'id="sec-a"' in chapter


def test_fonts_are_embedded_and_declared(epub_builds):
    with _zip(epub_builds, "sample") as z:
        fonts = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
        css = z.read("EPUB/styles/book.css").decode()
        media = {i.get("href"): i.get("media-type") for i in _opf(z).iterfind(".//opf:item", NS)}
    assert "EPUB/fonts/NotoSerif-Regular.ttf" in fonts and "EPUB/fonts/NotoSans-Bold.ttf" in fonts
    for f in fonts:
        assert f'url("../fonts/{f.rsplit("/", 1)[-1]}")' in css
        assert media[f[len("EPUB/"):]] == "font/ttf"


def test_build_is_deterministic(epub_builds):
    a, b = epub_builds["built"]["structure"].path, epub_builds["built"]["structure_again"].path
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_failed_build_leaves_no_partial_file(tmp_path, monkeypatch):
    from communique.editions.epub import ocf

    target = tmp_path / "book.epub"
    target.write_bytes(b"previous good build")

    def explode(self):
        raise OSError("disk full")

    monkeypatch.setattr(ocf.OcfWriter, "close", explode)
    with pytest.raises(OSError):
        write_epub(read_markdown(builders.ARABIC_BOOK), target)
    assert target.read_bytes() == b"previous good build"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]


def test_registry():
    writer = registry.get_writer("epub")
    assert isinstance(writer, EpubWriter)
    assert isinstance(writer, registry.Writer)
    with pytest.raises(registry.UnknownFormat, match="No writer for format 'mobi'"):
        registry.get_writer("mobi")


def test_bad_language_is_a_clear_error(tmp_path):
    doc = Document(meta=Metadata(title="X", language="english"))
    with pytest.raises(ValueError, match="english"):
        write_epub(doc, tmp_path / "x.epub")
    with pytest.raises(ReaderError, match="'urdu'"):
        read_markdown("---\ntitle: X\nlanguage: urdu\n---\n# A\n")
    assert not (tmp_path / "x.epub").exists()


def test_huge_png_is_refused_with_a_warning_not_a_crash(epub_builds):
    report = epub_builds["built"]["bomb"].report
    assert any("bomb.png" in w.where and "safety limit" in w.message for w in report.warnings)
    with _zip(epub_builds, "bomb") as z:
        assert "Kept caption" in z.read("EPUB/text/d001.xhtml").decode()
        assert not [n for n in z.namelist() if n.startswith("EPUB/images/")]


def test_no_cover_when_generation_is_off(epub_builds):
    with _zip(epub_builds, "no_cover") as z:
        assert "EPUB/text/cover.xhtml" not in z.namelist()
        assert _opf(z).find(".//opf:item[@properties='cover-image']", NS) is None


@pytest.mark.django_db
def test_wagtail_issue_book(epub_builds):
    built = epub_builds["built"]["wagtail_issue"]
    with _zip(epub_builds, "wagtail_issue") as z:
        nav = z.read("EPUB/nav.xhtml").decode()
        texts = {n: z.read(n).decode() for n in z.namelist() if n.startswith("EPUB/text/d")}
    assert "Editorial" in nav
    articles = [t for t in texts.values() if 'class="section-label"' in t]
    assert len(articles) == 3
    assert all('epub:type="noteref"' in t and 'class="role-line"' in t for t in articles)
    assert built.report.stats["images"] >= 1


def test_docx_not_a_zip_names_the_file(tmp_path):
    bad = tmp_path / "manuscript.docx"
    bad.write_text("not a zip")
    with pytest.raises(ReaderError, match="manuscript.docx.*not a zip"):
        read_docx(bad)


def test_java_checker_needs_java(monkeypatch):
    from communique.editions.epub import validate

    monkeypatch.setattr(validate.shutil, "which", lambda name: None)
    with pytest.raises(EpubCheckUnavailable, match="java"):
        validate.check_epubs([Path("x.epub")])




def test_subset_fonts_are_small_and_cover_the_text(epub_builds):
    from fontTools.ttLib import TTFont

    with _zip(epub_builds, "subset") as z:
        fonts = {n: z.read(n) for n in z.namelist() if n.startswith("EPUB/fonts/")}
        text = "".join(
            "".join(etree.fromstring(z.read(n)).itertext()) for n in z.namelist() if n.endswith(".xhtml")
        )
    import io

    cmaps = {n: set(TTFont(io.BytesIO(data))["cmap"].getBestCmap()) for n, data in fonts.items()}
    assert all(len(data) < 120_000 for n, data in fonts.items() if "NotoSerif" in n or "NotoSans" in n)
    naskh = cmaps["EPUB/fonts/NotoNaskhArabic-Regular.ttf"]
    serif = cmaps["EPUB/fonts/NotoSerif-Regular.ttf"]
    missing = {c for c in text if not c.isspace() and ord(c) not in naskh | serif}
    assert not missing, missing


def test_odd_blocks_are_escaped_and_reported(epub_builds):
    report = epub_builds["built"]["odd_blocks"].report
    messages = [str(w) for w in report.warnings]
    assert any("javascript:alert(1)" in m and "dropped" in m for m in messages)
    assert any("nonexistent.png" in m for m in messages)
    with _zip(epub_builds, "odd_blocks") as z:
        chapter = z.read("EPUB/text/d001.xhtml").decode()  # the divisions in the document's order
        opf = z.read("EPUB/package.opf").decode()
    assert "\x01" not in chapter and "&amp; &lt;tag&gt;" in chapter
    assert 'href="https://ex.org/?a=1&amp;b=2"' in chapter
    assert not re.search(r"<h\d[^>]*></h\d>", chapter), "empty heading written"
    assert "<dc:date>2026-01-01T10:00:00Z</dc:date>" in opf


def test_command_line_reports_unreadable_manuscripts(tmp_path, capsys):
    from communique.editions.epub.__main__ import main

    assert main([str(tmp_path / "missing.md")]) == 1
    assert "missing.md: no such file" in capsys.readouterr().err
    src = tmp_path / "same.md"
    src.write_text("# A\n", encoding="utf-8")
    assert main([str(src), "-o", str(src)]) == 1
    assert "overwrite the manuscript" in capsys.readouterr().err
