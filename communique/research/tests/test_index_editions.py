"""The back-of-book index through the writers: page numbers read back from the print PDF, EPUB
Indexes links that resolve and pass EPUBCheck, and ICU order per language."""
from __future__ import annotations

import re
import zipfile
from copy import deepcopy

import pytest
from lxml import etree

from communique.documents import model as dm
from communique.documents import transforms
from communique.documents.index_nodes import IndexBlock, format_pages, iter_marks
from communique.editions import registry

FILLER = ("The corridor talks went on through the winter, with officials from both capitals comparing "
          "notes on tariffs, transit fees, insurance and the security of the route across the plains. ")


def _para(text):
    return dm.Paragraph([dm.Text(text)])


def _book() -> dm.Document:
    """Three chapters: Lavrov on many consecutive pages of the first (a range), the SCO on one page
    of the second and on the last page of the first, the pipeline in an emphasised run."""
    first = []
    for i in range(70):
        text = FILLER * 2
        if i < 40:
            text = f"Sergey Lavrov spoke again on day {i + 1}. " + text
        first.append(_para(text))
    first.append(_para("At the end of the winter the Shanghai Cooperation Organization met. " + FILLER))
    second = [_para(FILLER * 3) for _ in range(8)]
    second.insert(4, dm.Paragraph([dm.Text("Work on the "), dm.Emph([dm.Text("Pakistan Stream Gas Pipeline")]),
                                   dm.Text(" began; the Shanghai Cooperation Organization welcomed it. " + FILLER)]))
    third = [_para("Shah Mahmood Qureshi closed the session. " + FILLER)]
    return dm.Document(dm.Metadata(title="Corridor Winter", language="en",
                                   contributors=[dm.Contributor("Ayesha Rahman")]),
                       [dm.Division("chapter", "Winter", first, id="winter"),
                        dm.Division("chapter", "Spring", second, id="spring"),
                        dm.Division("chapter", "Summer", third, id="summer")])


@pytest.fixture(scope="module")
def indexed():
    doc = _book()
    return transforms.run(doc, ["index"], {"index": {"terms": "transit fees\nSCO = see Shanghai Cooperation Organization"}})


def _entries(doc):
    block = doc.divisions[-1].blocks[0]
    assert isinstance(block, IndexBlock)
    return {e.heading: e for _label, entries in block.groups for e in entries}


def test_the_transform_marks_every_mention_and_appends_the_index(indexed):
    assert indexed.divisions[-1].kind == "index" and indexed.divisions[-1].title == "Index"
    entries = _entries(indexed)
    marks = {m.id: dm.plain_text(m.children) for d in indexed.divisions for m in iter_marks(d.blocks)}
    lavrov = entries["Sergey Lavrov"]
    assert len(lavrov.locators) == 40 and {marks[loc.mark] for loc in lavrov.locators} == {"Sergey Lavrov"}
    # the emphasised name is marked inside the Emph, its words intact
    pipeline = entries["Pakistan Stream Gas Pipeline"]
    assert [marks[loc.mark] for loc in pipeline.locators] == ["Pakistan Stream Gas Pipeline"]
    assert entries["SCO"].see == "Shanghai Cooperation Organization"
    in_text = sum(dm.plain_text(b.children).count("transit fees") for d in _book().divisions for b in d.blocks)
    assert in_text > 100 and len(entries["transit fees"].locators) == in_text  # every occurrence
    # the text reads as before
    assert dm.plain_text(indexed.divisions[1].blocks[4].children).startswith("Work on the Pakistan Stream")


def test_page_ranges_follow_the_house_style():
    assert format_pages([12, 13, 14, 20, 21, 30]) == "12–14, 20–21, 30"
    assert format_pages([12, 13, 14, 20, 21, 30], "ff") == "12ff., 20f., 30"
    with pytest.raises(ValueError, match="ranges"):
        format_pages([1], "dashes")


def _pdf_pages(path):
    """Each page's text; the index's pages column by column (it is set in two)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            if "Index" in text.splitlines()[:2] and "Contents" not in text:
                words = page.extract_words()
                top = next(w for w in words if w["text"] == "Index")["bottom"]
                below = [w for w in words if w["top"] > top]
                half = (min(w["x0"] for w in below) + max(w["x1"] for w in below)) / 2  # the column gap
                text = "Index\n" + "\n".join((page.crop(box).extract_text() or "") for box in
                                              [(0, top, half, page.height), (half, top, page.width, page.height)])
            out.append(text)
    return out


def _index_lines(pages):
    start = next(i for i, t in enumerate(pages) if t.startswith("Index\n"))
    return " ".join(" ".join(pages[start:]).split())


def _numbers_after(text, heading):
    m = re.search(re.escape(heading) + r",\s*((?:\d+(?:–\d+|ff?\.)?(?:,\s*)?)+)", text)
    assert m, f"{heading!r} has no page numbers in: {text[:600]}"
    return m.group(1).rstrip(", ")


def _expand(numbers: str) -> list[tuple[int, int]]:
    runs = []
    for part in numbers.split(","):
        part = part.strip()
        if "–" in part:
            a, b = part.split("–")
            runs.append((int(a), int(b)))
        elif part.endswith("ff."):
            runs.append((int(part[:-3]), None))
        elif part.endswith("f."):
            runs.append((int(part[:-2]), int(part[:-2]) + 1))
        else:
            runs.append((int(part), int(part)))
    return runs


def _folio(page_text):
    return int(page_text.strip().splitlines()[-1])


@pytest.mark.parametrize("kind,ranges", [("book", "join"), ("magazine", "join"), ("book", "ff")])
def test_index_page_numbers_are_the_pages_of_the_text(tmp_path, kind, ranges):
    doc = transforms.run(_book(), ["index"], {"index": {"ranges": ranges}})
    if kind == "magazine":
        for d in doc.divisions[:-1]:
            d.kind = "article"
    out = tmp_path / f"{kind}.pdf"
    registry.write("pdf", doc, out, {"kind": kind, "workers": 1})
    pages = _pdf_pages(out)
    index = _index_lines(pages)
    checked = 0
    for heading, word in [("Sergey Lavrov", "Sergey Lavrov"), ("Shanghai Cooperation Organization", "Shanghai"),
                          ("Pakistan Stream Gas Pipeline", "Pakistan Stream"), ("Shah Mahmood Qureshi", "Qureshi")]:
        runs = _expand(_numbers_after(index, heading))
        where = [i + 1 for i, t in enumerate(pages) if word in " ".join(t.split()) and not t.startswith("Index\n")]
        for first, last in runs:
            last = last or max(p for p in where if p >= first)
            for n in range(first, last + 1):
                assert n in where, f"{heading}: page {n} printed, but the text is on {where}"
                assert _folio(pages[n - 1]) == n  # the number printed at the foot is the same page
                checked += 1
        # and every page the name is on is listed
        listed = {n for a, b in runs for n in range(a, (b or max(where)) + 1)}
        assert set(where) <= listed, (heading, where, runs)
    assert checked >= 6
    lavrov = _numbers_after(index, "Sergey Lavrov")
    assert ("–" in lavrov) if ranges == "join" else ("ff." in lavrov)


def test_a_tagged_book_takes_the_single_pass_and_prints_the_same_numbers(tmp_path, indexed):
    registry.write("pdf", deepcopy(indexed), tmp_path / "p.pdf", {"kind": "book", "workers": 1})
    registry.write("pdf", deepcopy(indexed), tmp_path / "t.pdf", {"kind": "book", "tagged": True})
    parallel, single = _index_lines(_pdf_pages(tmp_path / "p.pdf")), _index_lines(_pdf_pages(tmp_path / "t.pdf"))
    for heading in ("Sergey Lavrov", "Shanghai Cooperation Organization", "transit fees"):
        assert _numbers_after(parallel, heading) == _numbers_after(single, heading)


@pytest.mark.java
def test_epub_index_links_resolve_and_pass_epubcheck(tmp_path, indexed):
    from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

    out = tmp_path / "ix.epub"
    report = registry.write("epub", deepcopy(indexed), out, {"generate_cover": False})
    assert not [w for w in report.warnings if "link" in str(w)], report.warnings
    ns = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    with zipfile.ZipFile(out) as z:
        files = {n[len("EPUB/text/"):]: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("EPUB/text/")}
    index_file = next(n for n, tree in files.items() if tree.xpath("//*[@epub:type='index']", namespaces=ns))
    tree = files[index_file]
    locators = tree.xpath("//h:a[@epub:type='index-locator']", namespaces=ns)
    assert len(locators) >= 6
    for a in locators:
        target_file, _, anchor = a.get("href").partition("#")
        target = files[target_file or index_file]
        hit = target.xpath(f"//*[@id='{anchor}']")
        assert hit, a.get("href")
        # the locator lands on the entry's words
        entry = a.xpath("ancestor::h:li[1]/h:span[@epub:type='index-term']", namespaces=ns)[0].text
        if entry in ("Sergey Lavrov", "Shanghai Cooperation Organization", "Pakistan Stream Gas Pipeline"):
            assert "".join(hit[0].itertext()) == entry
    xrefs = tree.xpath("//h:a[@epub:type='index-xref-preferred']", namespaces=ns)
    assert xrefs and all(tree.xpath(f"//*[@id='{x.get('href')[1:]}']") for x in xrefs)
    try:
        result = check_epubs([out])[out.resolve()]
    except EpubCheckUnavailable as exc:
        pytest.skip(f"EPUBCheck cannot run: {exc}")
    assert result.clean, result.messages


def _ordered(language, words):
    doc = dm.Document(dm.Metadata(title="T", language=language),
                      [dm.Division("chapter", "One", [_para(" ".join(f"{w} is here." for w in words))], id="one")])
    doc = transforms.run(doc, ["index"], {"index": {"terms": "\n".join(words), "use_starter": False}})
    block = doc.divisions[-1].blocks[0]
    return [(label, [e.heading for e in entries]) for label, entries in block.groups]


TURKISH = ["Zonguldak", "İzmir", "Ilgaz", "Çanakkale", "Cide", "Şile", "Ödemiş", "Ordu"]


def test_turkish_order_and_letter_groups():
    assert _ordered("tr", TURKISH) == [("C", ["Cide"]), ("Ç", ["Çanakkale"]), ("I", ["Ilgaz"]), ("İ", ["İzmir"]),
                                       ("O", ["Ordu"]), ("Ö", ["Ödemiş"]), ("Ş", ["Şile"]), ("Z", ["Zonguldak"])]
    # the same words in an English edition sort and group as English does
    english = _ordered("en", TURKISH)
    assert english[0] == ("C", ["Çanakkale", "Cide"]) and ("S", ["Şile"]) in english


def test_spanish_puts_enye_after_n():
    order = [h for _, hs in _ordered("es", ["Ñandú", "Nube", "Oca", "Llama", "Luna"]) for h in hs]
    assert order == ["Llama", "Luna", "Nube", "Ñandú", "Oca"]
    assert [label for label, _ in _ordered("es", ["Ñandú", "Nube"])] == ["N", "Ñ"]


def test_german_files_umlauts_with_their_vowel_swedish_after_z():
    german = _ordered("de", ["Zürich", "Äpfel", "Apfel", "Österreich", "Ost"])
    assert german == [("A", ["Apfel", "Äpfel"]), ("O", ["Ost", "Österreich"]), ("Z", ["Zürich"])]
    swedish = _ordered("sv", ["Zürich", "Äpfel", "Apfel", "Österreich", "Ost"])
    assert [label for label, _ in swedish][-2:] == ["Ä", "Ö"]


def test_a_translated_edition_gets_its_own_index_labels():
    doc = dm.Document(dm.Metadata(title="T", language="tr"),
                      [dm.Division("chapter", "Bir", [_para("Sergey Lavrov Ankara'da.")], id="bir")])
    doc = transforms.run(doc, ["index"], {"index": {"terms": "Lavrov = see Sergey Lavrov"}})
    index = doc.divisions[-1]
    assert index.title == "Dizin" and index.blocks[0].see_label == "bkz."


def test_bad_house_style_is_refused_before_anything_changes():
    doc = _book()
    with pytest.raises(ValueError, match="ranges"):
        transforms.run(doc, ["index"], {"index": {"ranges": "dashes"}})
    assert [d.kind for d in doc.divisions] == ["chapter"] * 3
    assert not [m for d in doc.divisions for m in iter_marks(d.blocks)]


def test_docx_and_html_keep_the_marked_words(tmp_path, indexed):
    from docx import Document as Docx

    registry.write("docx", deepcopy(indexed), tmp_path / "i.docx")
    text = "\n".join(p.text for p in Docx(str(tmp_path / "i.docx")).paragraphs)
    assert "Work on the Pakistan Stream Gas Pipeline began" in text
    assert "Shanghai Cooperation Organization, Winter; Spring" in text
