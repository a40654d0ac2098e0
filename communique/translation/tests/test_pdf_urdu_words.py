"""A translated Urdu edition's print PDF read back with word boxes (poppler's `pdftotext -bbox-layout`):
on every line the words run right to left (the first word in reading order is the right-most), the
Urdu font is embedded, and the folio sits at the outer edge of the mirrored page. The kit's test reads
character boxes; this one reads whole words, from `write_edition`'s PDF."""
import re
import shutil
import subprocess

import pytest
from lxml import etree

from communique.translation import editions

from .human import TRANSLATIONS
from .test_translated_editions import book, human_edition, people  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
URDU = re.compile(r"[\u0600-\u06ff]")


def _poppler(tool):
    if not shutil.which(tool):
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return tool


def word_lines(pdf, tmp_path):
    """[(page number, page width, page height, [(text, xMin, xMax, yMin, yMax) in the order poppler
    reads them])] for every line of text."""
    out = tmp_path / "words.html"
    subprocess.run([_poppler("pdftotext"), "-bbox-layout", str(pdf), str(out)], check=True, capture_output=True)
    root = etree.fromstring(out.read_bytes(), etree.XMLParser(recover=True))
    lines = []
    for number, page in enumerate(root.iter("{*}page"), start=1):
        width, height = float(page.get("width")), float(page.get("height"))
        for line in page.iter("{*}line"):
            words = [(w.text or "", float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")),
                      float(w.get("yMax"))) for w in line.iter("{*}word")]
            if words:
                lines.append((number, width, height, words))
    return lines


def _same_line(words, anchor, band=12):
    """The boxes whose vertical centre is within `band` points of the anchor's: Nastaliq glyphs sit
    above and below the baseline, so poppler's own lines break one printed line into several."""
    mid = (anchor[3] + anchor[4]) / 2
    return [w for w in words if abs((w[3] + w[4]) / 2 - mid) < band]


def test_urdu_pdf_words_run_right_to_left_with_nastaliq_and_mirrored_folios(book, people, tmp_path):
    edition = human_edition(book, "ur", people["editor"])
    pdf = tmp_path / "dialogue.ur.pdf"
    editions.write_edition(edition, "pdf", pdf)

    fonts = subprocess.run([_poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    nastaliq = [line for line in fonts.splitlines() if "Nastaliq" in line]
    assert nastaliq, fonts
    # name type encoding emb sub uni: embedded (and subset) with a Unicode map, so it reads back.
    assert all(re.search(r"\byes\s+yes\s+yes\s+\d+\s+\d+\s*$", line) for line in nastaliq), fonts

    lines = word_lines(pdf, tmp_path)
    # "سفارت کاری سننے سے شروع ہوتی ہے۔": ف is only in the first word, ش only in the fifth, ۔ ends it.
    # poppler cuts joined Nastaliq into pieces, so a word's letters are found in its pieces' boxes.
    sentence = TRANSLATIONS["ur"]["Diplomacy begins with {1}listening{/1}."].replace("{1}", "").replace("{/1}", "")
    assert sentence.split()[0] == "سفارت" and sentence.endswith("ہے۔")
    checked = 0
    for number, width, height, words in lines:
        for first in (w for w in words if "ف" in w[0]):
            page_words = [w for n, _, _, ws in lines if n == number for w in ws]
            line = _same_line(page_words, first)
            fifth = [w for w in line if "ش" in w[0] and w[2] < first[1]]
            stops = [w for w in line if "۔" in w[0]]
            if not fifth or not stops or not any(s[2] <= fifth[0][1] for s in stops):
                continue
            # Reading order right to left: first word right of the fifth, the fifth right of the full stop.
            assert first[1] > fifth[0][2] > min(s[1] for s in stops)
            # The first logical word is the right-most: no piece of another word lies right of it.
            rightmost = max(line, key=lambda w: w[2])
            assert rightmost[2] - first[2] < 20, (rightmost, first)
            assert rightmost[2] > width / 2 and all(URDU.search(w[0]) for w in (rightmost, first))
            checked += 1
    assert checked == 1, "the sentence's line was not found in the PDF's word boxes"

    folios = 0
    for number in sorted({n for n, *_ in lines}):
        _, width, height = next((n, w, h) for n, w, h, _ in lines if n == number)[:3]
        bottom = [w for n, _, _, ws in lines if n == number for w in ws
                  if w[0] == str(number) and w[3] > height * 0.85]
        if not bottom:
            continue
        # A right-to-left book's recto (odd page) is a left-hand page: its outer edge is on the left.
        if number % 2 == 1:
            assert bottom[0][2] < width / 3, (number, bottom)
        else:
            assert bottom[0][1] > width * 2 / 3, (number, bottom)
        folios += 1
    assert folios >= 2
