"""A translated book's editions: people's translations imported from PO files (real Urdu, Arabic,
Chinese, Hindi and Spanish), approved, then the EPUB, print PDF and KDP kit of each edition — language
metadata (OPF, ONIX), the translator as a contributor, KDP's per-format language support, the AI answer
from the segments' history, and right-to-left print for Urdu read back from the PDF."""
import json
import re
import shutil
import subprocess
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from lxml import etree

from communique.translation import editions, po, services
from communique.translation.adapter import read_manuscript
from communique.translation.models import TranslatedEdition

from .conftest import needs_apertium
from .human import SOURCE, TRANSLATIONS, fill_po

pytestmark = pytest.mark.django_db
OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
ONIX_NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}
TRANSLATORS = {"ur": "Sana Qureshi", "ar": "Layla Haddad", "zh-Hans": "Wang Fang", "hi": "Priya Nair",
               "es": "Lucía Ortega"}


@pytest.fixture
def people(django_user_model):
    editor = django_user_model.objects.create_user("edna", password="pw-edna-123")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    return {"editor": editor, "author": django_user_model.objects.create_user("amina", password="pw-amina-123")}


@pytest.fixture
def book(people):
    from communique.books.models import Book, BookContributor, Manuscript

    book = Book.objects.create(owner=people["author"], title="Dialogue Across Borders", subtitle="Essays on Neighbours",
                               keywords=["diplomacy"], isbn_paperback="9780306406157", trim="5.5x8.5")
    BookContributor.objects.create(book=book, name="Amina Rahman", role="author")
    ms = Manuscript(book=book, original_name="dialogue.md", kind="markdown", size=len(SOURCE))
    ms.file.save("dialogue.md", ContentFile(SOURCE.encode("utf-8")), save=True)
    return book


def human_edition(book, lang, editor) -> TranslatedEdition:
    """A translator's PO file, imported and approved segment by segment by an editor."""
    ms = book.manuscripts.first()
    edition = TranslatedEdition.objects.create(book=book, manuscript=ms, language=lang,
                                               translator_name=TRANSLATORS[lang])
    doc = read_manuscript(ms.path)
    services.sync(edition, doc)
    tr = po.import_po(fill_po(po.export_po(services.translation(edition, doc)), lang),
                      services.translation(edition, doc), f"dialogue.{lang}.po")
    services.save(edition, tr)
    for rec in edition.segments.all():
        services.approve(rec, editor)
    return edition


def _opf(epub):
    with zipfile.ZipFile(epub) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        path = container.find(".//{*}rootfile").get("full-path")
        return etree.fromstring(z.read(path)), {n: z.read(n) for n in z.namelist() if n.endswith(".xhtml")}


def _pdffonts(path) -> str:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def _chars(pdf_path):
    """Each page's size and character boxes as pdfplumber reads them. Nastaliq's joined letters
    do not come out as whole words (pdfplumber splits them where the glyphs overlap), so lines are
    checked character by character."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [(float(p.width), float(p.height), p.chars) for p in pdf.pages]


@pytest.mark.java
def test_five_translated_epubs_pass_epubcheck_with_their_language_metadata(book, people, tmp_path):
    from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

    paths = {}
    for lang in TRANSLATIONS:
        edition = human_edition(book, lang, people["editor"])
        paths[lang] = tmp_path / f"dialogue.{lang}.epub"
        editions.write_edition(edition, "epub", paths[lang])
    for lang, path in paths.items():
        opf, pages = _opf(path)
        assert opf.findtext(".//dc:language", namespaces=OPF_NS) == lang
        assert opf.findtext(".//dc:title", namespaces=OPF_NS) == TRANSLATIONS[lang]["Dialogue Across Borders"]
        creators = [e.text for e in opf.findall(".//dc:creator", OPF_NS) + opf.findall(".//dc:contributor", OPF_NS)]
        assert "Amina Rahman" in creators and TRANSLATORS[lang] in creators, creators
        rtl = lang in ("ur", "ar")
        assert (opf.find("opf:spine", OPF_NS).get("page-progression-direction") == "rtl") == rtl
        body = b"".join(pages.values()).decode("utf-8")
        assert TRANSLATIONS[lang]["Open Roads"] in body and "Open Roads" not in body
        assert all(f'dir="{"rtl" if rtl else "ltr"}"' in page.decode() for page in pages.values())
    try:
        results = check_epubs(list(paths.values()))
    except EpubCheckUnavailable as exc:
        pytest.skip(f"EPUBCheck cannot run: {exc}")
    assert len(results) == 5
    for path, r in results.items():
        assert r.clean, f"{path.name}: {r.fatals} fatal, {r.errors} errors, {r.warnings} warnings\n" + "\n".join(r.messages)


def test_urdu_kit_is_a_right_to_left_edition_with_its_metadata(book, people, tmp_path):
    edition = human_edition(book, "ur", people["editor"])
    result = editions.build_kit(edition, tmp_path / "kit")
    out = result.out_dir
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["language"]["code"] == "ur" and meta["original_language"]["code"] == "en"
    assert meta["title"] == TRANSLATIONS["ur"]["Dialogue Across Borders"]
    assert [(c["name"], c["role"]) for c in meta["contributors"]] == [("Amina Rahman", "Author"),
                                                                       ("Sana Qureshi", "Translator")]
    # The source book's paperback ISBN is not reused by its translation.
    assert meta["paperback"]["isbn"] is None
    assert meta["ai_generated_translation"]["answer"] == "none"
    assert meta["ai_generated_translation"]["detail"] == "all 12 segments written by people, none machine drafted"
    onix = etree.fromstring((out / "onix.xml").read_bytes())
    langs = [(l.findtext("o:LanguageRole", namespaces=ONIX_NS), l.findtext("o:LanguageCode", namespaces=ONIX_NS))
             for l in onix.iterfind(".//o:Language", ONIX_NS)]
    assert ("01", "urd") in langs and ("02", "eng") in langs
    assert "B06" in [r.text for r in onix.iterfind(".//o:ContributorRole", ONIX_NS)]
    checks = {c["rule_id"]: c for c in json.loads((out / "preflight.json").read_text(encoding="utf-8"))["checks"]}
    # Urdu is in no list of KDP languages: both formats must be checked by a person, not passed.
    assert checks["language.paperback"]["status"] == "verify" and checks["language.ebook"]["status"] == "verify"
    assert checks["metadata.ai_translation"]["status"] == "pass"
    sheet = (out / "upload-steps.html").read_text(encoding="utf-8")
    assert "AI-Generated Content: translations" in sheet
    assert "No: translated by people — all 12 segments written by people" in sheet
    opf, _ = _opf(out / "ebook.epub")
    assert opf.find("opf:spine", OPF_NS).get("page-progression-direction") == "rtl"

    # Print: Nastaliq embedded, lines run right to left, the gutter mirrored onto the right of a recto.
    interior = out / "interior.pdf"
    fonts = _pdffonts(interior)
    assert "Nastaliq" in fonts, fonts
    body_fonts = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line) for line in body_fonts), fonts
    pages = _chars(interior)
    margins = meta["layout"]["margins_in"]
    inside, outside = margins["gutter_in"] * 72, margins["outside_in"] * 72
    lines = 0
    numbers = 0
    for number, (width, height, chars) in enumerate(pages, start=1):
        # A right-to-left book's recto (odd page) is a left-hand page: its spine is on its right.
        left_hand = number % 2 == 1
        for mark in (c for c in chars if c["text"] == "ش"):
            # Nastaliq glyphs sit above and below the line, so a line is what lies within a few
            # points of it; read from right to left, the line must spell the sentence.
            line = sorted((c for c in chars if abs(c["top"] - mark["top"]) < 8), key=lambda c: -c["x1"])
            text = "".join(c["text"] for c in line)
            if "شروع ہوتی" in text:
                assert "شروع ہوتی" not in "".join(reversed(text))
                # The line starts at the right edge of the text block: the gutter on a left-hand page.
                assert width - line[0]["x1"] == pytest.approx(inside if left_hand else outside, abs=8)
                lines += 1
        folio = [c for c in chars if c["text"] == str(number) and c["top"] > height - margins["bottom_in"] * 72]
        if folio:
            # Page numbers at the outer edge: the left of a left-hand page, the right of a right-hand one.
            assert (folio[0]["x0"] < width / 3) if left_hand else (folio[0]["x1"] > width * 2 / 3), (number, folio)
            numbers += 1
    assert lines == 1 and numbers >= 1


def test_arabic_and_hindi_paperbacks_are_blocked_by_preflight(book, people, tmp_path):
    from communique.kdp import preflight
    from communique.kdp.metadata import BookMetadata

    for lang in ("ar", "hi"):
        edition = human_edition(book, lang, people["editor"])
        md = BookMetadata.from_front_matter({"title": "t", "contributors": [{"name": "A", "role": "author"}],
                                             **editions.kit_overrides(edition)})
        checks = {c.rule_id: c for c in preflight.check_language(md.language, ["ebook", "paperback"])}
        assert checks["language.ebook"].status == "pass"
        assert checks["language.paperback"].status == "fail" and "paperbacks" in checks["language.paperback"].message
    # The whole kit says so too (Arabic): a failing check, so the paperback cannot go up as it is.
    result = editions.build_kit(TranslatedEdition.objects.get(language="ar"), tmp_path / "ar")
    checks = {c["rule_id"]: c for c in json.loads((result.out_dir / "preflight.json").read_text())["checks"]}
    assert checks["language.paperback"]["status"] == "fail" and checks["language.ebook"]["status"] == "pass"
    onix = etree.fromstring((result.out_dir / "onix.xml").read_bytes())
    assert "ara" in [c.text for c in onix.iterfind(".//o:LanguageCode", ONIX_NS)]


def test_unapproved_work_makes_no_edition_unless_an_editor_overrides(book, people, tmp_path):
    from communique.translation.pipeline import NotPublishable
    from communique.translation.models import State

    edition = human_edition(book, "es", people["editor"])
    edition.segments.filter(segment_id="d1.b1/s1").update(state=State.TRANSLATED)
    with pytest.raises(NotPublishable, match="1 segment"):
        editions.write_edition(edition, "epub", tmp_path / "x.epub")
    assert not (tmp_path / "x.epub").exists()
    report = editions.write_edition(edition, "epub", tmp_path / "x.epub", override=True, who="edna")
    assert any("published by override (edna)" in str(w) for w in report.warnings)


@needs_apertium
def test_machine_translated_and_reviewed_kit_answers_kdps_ai_question(book, people, tmp_path):
    from communique.translation.jobs import translate_book
    from communique.translation.segments import content_from_json

    [job] = translate_book(book, ["es"], engine="apertium")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    edition = TranslatedEdition.objects.get(book=book, language="es")
    edition.translator_name = "Lucía Ortega"
    edition.save()
    records = list(edition.segments.order_by("position"))
    # A person rewrites two drafts; the editor approves every segment.
    for rec in records[:2]:
        services.set_target(rec, content_from_json(rec.target), people["editor"])
    for rec in records:
        services.approve(rec, people["editor"], override=True)
    answer, detail = editions.ai_translation(edition)
    assert answer == "entire"
    assert detail.startswith(f"machine translated with apertium: {len(records)} of {len(records)} segments")
    assert "every machine-drafted segment reviewed and approved by a person" in detail
    assert "2 rewritten by a person (minimal editing)" in detail
    result = editions.build_kit(edition, tmp_path / "kit")
    meta = json.loads((result.out_dir / "metadata.json").read_text(encoding="utf-8"))
    assert meta["ai_generated_translation"] == {"answer": "entire", "detail": detail}
    html = (result.out_dir / "metadata.html").read_text(encoding="utf-8")
    assert "Yes: the entire work machine translated" in html
    checks = {c["rule_id"]: c for c in json.loads((result.out_dir / "preflight.json").read_text())["checks"]}
    assert checks["language.paperback"]["status"] == "pass"
    assert "AI-generated for the entire work" in checks["metadata.ai_translation"]["message"]
