"""Front and back matter are the matter transform's nodes (documents/transforms/matter.py): every
writer given the transformed document writes them in the book's language, each in its format's
way; given the document without the transform, no writer makes matter of its own."""
from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html as lxml_html

from communique.documents import transforms
from communique.documents.labels import labels_for
from communique.documents.readers import read_markdown
from communique.documents.tests.test_transforms import FULL
from communique.editions import registry

FORMATS = ["epub", "pdf", "docx", "html"]
OPS = "{http://www.idpf.org/2007/ops}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# Words only the matter pages hold (the Turkish book in test_transforms.FULL).
MATTER_WORDS = ["İçindekiler", "Telif hakkı © 2026 Ayşe Yılmaz", "Yayıncı: Test Press", "Birinci baskı",
                "Annem için.", "Sabır acıdır, meyvesi tatlıdır.", "Rumi", "Çeviren: Can Demir",
                "Ayşe Yılmaz — Diğer Kitapları", "İkinci Kitap", "Yazar Hakkında", "Ayşe Yılmaz bir diplomattır."]
ENGLISH = ["Contents", "Copyright ©", "Published by", "First edition", "About the Author", "Also by"]


def _options(fmt):
    return {"workers": 1} if fmt == "pdf" else {}


def text_of(fmt: str, path: Path) -> str:
    """The words a reader of the file sees, in reading order."""
    if fmt == "epub":
        with zipfile.ZipFile(path) as z:
            opf = etree.fromstring(z.read("EPUB/package.opf"))
            ns = {"o": "http://www.idpf.org/2007/opf"}
            hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//o:item", ns)}
            spine = [hrefs[r.get("idref")] for r in opf.iterfind(".//o:itemref", ns)]
            return "\n".join(" ".join(etree.fromstring(z.read("EPUB/" + h)).find(f"{XHTML}body").itertext())
                             for h in spine)
    if fmt == "pdf":
        from communique.editions.pdf.check import page_texts

        return "\n".join(page_texts(path))
    if fmt == "docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return " ".join(lxml_html.fromstring(path.read_bytes()).find("body").itertext())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The Turkish book through every writer, with the transform (print for the PDF) and without."""
    work = tmp_path_factory.mktemp("matter")
    out = {}
    for fmt in FORMATS:
        medium = "print" if fmt == "pdf" else "ebook"
        with_matter = transforms.run(read_markdown(FULL), ["matter"], {"matter": {"medium": medium}})
        out[fmt, True] = (work / f"full.{fmt}", registry.write(fmt, with_matter, work / f"full.{fmt}", _options(fmt)))
        out[fmt, False] = (work / f"bare.{fmt}", registry.write(fmt, read_markdown(FULL), work / f"bare.{fmt}",
                                                                _options(fmt)))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_writer_writes_the_matter_in_the_book_s_language(built, fmt):
    path, report = built[fmt, True]
    text = re.sub(r"\s+", " ", text_of(fmt, path))
    missing = [w for w in MATTER_WORDS if w not in text]
    assert not missing, f"{fmt} lacks {missing}"
    assert not [w for w in ENGLISH if w in text], fmt
    # Matter first, then the chapters, then the back matter.
    assert text.index("Annem için.") < text.index("Birinci Bölüm") < text.index("Ayşe Yılmaz bir diplomattır.")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_writer_given_no_matter_makes_none(built, fmt):
    path, report = built[fmt, False]
    text = re.sub(r"\s+", " ", text_of(fmt, path))
    assert "Birinci Bölüm" in text and "Metin." in text
    leaked = [w for w in MATTER_WORDS + ENGLISH if w in text]
    assert not leaked, f"{fmt} made matter of its own: {leaked}"
    # The book's own text starts the file.
    assert text.lstrip().startswith("Birinci Bölüm"), text[:80]


def test_epub_matter_has_its_types_landmarks_and_spine_place(built):
    path, _ = built["epub", True]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        types = {}
        for n in names:
            if n.startswith("EPUB/text/"):
                for sec in etree.fromstring(z.read(n)).iter(f"{XHTML}section"):
                    types[sec.get(f"{OPS}type")] = n
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        spine = re.findall(r'itemref idref="([^"]+)"', z.read("EPUB/package.opf").decode())
    assert {"titlepage", "copyright-page", "dedication", "epigraph", "seriespage"} <= set(types)
    assert "halftitlepage" not in types  # an ebook has no half title
    assert types["titlepage"] == "EPUB/text/titlepage.xhtml" and types["copyright-page"] == "EPUB/text/copyright.xhtml"
    landmarks = {a.get(f"{OPS}type"): a.text for a in nav.find(f".//{XHTML}nav[@{OPS}type='landmarks']").iter(f"{XHTML}a")}
    assert landmarks["titlepage"] == labels_for("tr")["title_page"] and landmarks["toc"] == "İçindekiler"
    toc = [a.text for a in nav.find(f".//{XHTML}nav[@{OPS}type='toc']").iter(f"{XHTML}a")]
    assert toc[0] == "İthaf" and "Yazar Hakkında" in toc and "Ayşe Yılmaz — Diğer Kitapları" in toc
    assert "Dışişleri ve Diplomasi" not in toc  # the title page is a landmark, not a contents entry
    # The contents after the dedication and epigraph, before the first chapter.
    assert spine.index("nav") == spine.index("titlepage") + 4
    bare, _ = built["epub", False]
    with zipfile.ZipFile(bare) as z:
        assert not [n for n in z.namelist() if n.endswith(("titlepage.xhtml", "copyright.xhtml"))]
        assert 'idref="nav"' not in z.read("EPUB/package.opf").decode()  # a navigation document, outside the spine


def test_pdf_matter_follows_print_convention(built):
    from communique.editions.pdf.check import page_texts

    path, report = built["pdf", True]
    pages = [re.sub(r"\s+", " ", t).strip() for t in page_texts(path)]

    def page_of(words):
        return next(i + 1 for i, t in enumerate(pages) if words in t)

    assert pages[0] == "Dışişleri ve Diplomasi"  # the half title, alone on page 1
    assert page_of("Diğer Kitapları") == 2  # "Also by" on its verso
    assert page_of("Bir deneme") == 3  # the title page on a recto
    assert page_of("Telif hakkı") == 4  # the copyright page on its verso
    for words in ("Annem için.", "Sabır acıdır", "İçindekiler", "Birinci Bölüm Metin"):
        assert page_of(words) % 2 == 1, words  # dedication, epigraph, contents and chapters open on rectos
    contents = pages[page_of("İçindekiler") - 1]
    assert re.search(r"Birinci Bölüm \d+", contents) and re.search(r"Yazar Hakkında \d+", contents)
    bare, _ = built["pdf", False]
    assert len(page_texts(bare)) < len(pages) - 6


def test_docx_matter_uses_word_styles(built):
    import docx

    path, _ = built["docx", True]
    paras = docx.Document(str(path)).paragraphs
    styles = {p.text: p.style.name for p in paras if p.text}
    assert styles["Dışişleri ve Diplomasi"] == "Title" and styles["Bir deneme"] == "Subtitle"
    assert styles["İçindekiler"] == "TOC Heading"
    assert styles["Birinci Bölüm"] == "Heading 1"
    # No heading for the copyright page or the dedication: they are named, not titled.
    assert not [p for p in paras if p.style.name.startswith("Heading") and p.text in ("Telif hakkı", "İthaf")]
    body = docx.Document(str(path)).element.body.xml
    assert body.count("w:anchor=") >= 3  # the contents' lines link to their divisions


@pytest.mark.parametrize("lang", ["hi", "zh-Hans", "zh-Hant", "tr"])
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_contents_and_copyright_labels_in_each_language(tmp_path, fmt, lang):
    title, author, chapter = LANGUAGE_BOOKS[lang]
    source = (f"---\ntitle: {title}\ncontributors:\n  - name: {author}\n    role: author\nlanguage: {lang}\n"
              f"publisher: Test Press\nedition: 1\n---\n\n# {chapter} 1\n\n{title}.\n\n# {chapter} 2\n\n{title}.\n")
    doc = transforms.run(read_markdown(source), ["matter"])
    out = tmp_path / f"book.{fmt}"
    registry.write(fmt, doc, out)
    text = text_of(fmt, out)
    labels = labels_for(lang)
    assert labels["contents"] in text and labels.edition("1") in text
    assert labels.format("published_by", publisher="Test Press") in text
    assert not [w for w in ENGLISH if w in text]


LANGUAGE_BOOKS = {"tr": ("Dışişleri ve Diplomasi", "Ayşe Yılmaz", "Bölüm"),
                  "hi": ("कूटनीति और संवाद", "अनीता शर्मा", "अध्याय"),
                  "zh-Hans": ("外交与对话", "李明", "第章"), "zh-Hant": ("外交與對話", "李明", "第章")}
WRITER_MODULES = ["editions/epub", "editions/pdf", "editions/docx_edition.py", "editions/html_edition.py"]


def test_no_writer_knows_the_transform():
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for name in WRITER_MODULES:
        target = root / name
        for path in ([target] if target.is_file() else sorted(target.rglob("*.py"))):
            if path.name == "__main__.py":
                continue  # `python -m communique.editions.epub` is a caller, like `communique render`
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                module = getattr(node, "module", None) or ""
                if "transforms" in module or any("transforms" in a.name for a in node.names):
                    offenders.append(str(path.relative_to(root)))
    assert not offenders


def test_an_empty_document_is_refused_not_written_as_a_pageless_pdf(tmp_path):
    from communique.documents import model as dm

    with pytest.raises(ValueError, match="no content to put in a PDF"):
        registry.write("pdf", dm.Document(dm.Metadata(title="Nothing")), tmp_path / "e.pdf", {"workers": 1})
    assert not (tmp_path / "e.pdf").exists()
    # With the transform the same document has its title pages.
    doc = transforms.run(dm.Document(dm.Metadata(title="Nothing")), ["matter"], {"matter": {"medium": "print"}})
    report = registry.write("pdf", doc, tmp_path / "t.pdf", {"workers": 1})
    assert report.stats["pages"] == 4  # half title, its verso, title page, its verso
