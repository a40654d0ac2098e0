"""A Turkish, a Hindi and a Chinese book (both scripts) each build: the kit or the editions
carry the language's own faces (pdffonts) and its own front-matter labels."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from communique.documents import transforms
from communique.documents.labels import labels_for

TEXTS = {
    "tr": ("Dışişleri ve Diplomasi", "Ayşe Yılmaz", "Birinci Bölüm",
           "Dışişleri Bakanlığı, uluslararası ilişkilerde önemli bir görev üstlenir. Çağdaş diplomasi, "
           "güven ve sabır ister; müzakereler uzun sürer. "),
    "hi": ("कूटनीति और संवाद", "अनीता शर्मा", "पहला अध्याय",
           "विदेश मंत्रालय अंतरराष्ट्रीय संबंधों में महत्वपूर्ण भूमिका निभाता है। कूटनीति धैर्य और विश्वास "
           "माँगती है; बातचीत लंबी चलती है। "),
    "zh-Hans": ("外交与对话", "李明", "第一章", "外交部在国际关系中发挥重要作用。外交需要耐心和信任，谈判往往持续很久。"),
    "zh-Hant": ("外交與對話", "李明", "第一章", "外交部在國際關係中發揮重要作用。外交需要耐心和信任，談判往往持續很久。"),
}
# What pdffonts must list for the body text (the face, not a host fallback).
FACES = {"tr": "+Noto-Serif ", "hi": "+Noto-Serif-Devanagari ", "zh-Hans": "+Noto-Serif-CJK-SC ",
         "zh-Hant": "+Noto-Serif-CJK-TC "}
OTHER_CJK = {"zh-Hans": "CJK-TC", "zh-Hant": "CJK-SC"}


def manuscript(folder: Path, lang: str, repeat: int = 40) -> Path:
    title, author, chapter, sentence = TEXTS[lang]
    folder.mkdir(parents=True, exist_ok=True)
    body = sentence * repeat
    text = (f"---\ntitle: {title}\ncontributors:\n  - name: {author}\n    role: author\nlanguage: {lang}\n"
            f"publisher: Test Press\nedition: 1\nisbn_ebook: 9780306406157\n---\n\n"
            f"# {chapter}\n\n{body}\n\n## {chapter} 2\n\n{body}\n\n# {chapter} 3\n\n{body}\n")
    path = folder / "book.md"
    path.write_text(text, encoding="utf-8")
    return path


def pdffonts(path: Path) -> str:
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts (poppler-utils) is not installed")
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_turkish_kit_builds_with_turkish_labels(tmp_path):
    # On main: "unknown language 'tr'" — every Turkish kit build failed.
    from communique.kdp import kit

    result = kit.build_kit(manuscript(tmp_path / "src", "tr", repeat=120), None, tmp_path / "kit")
    assert (result.out_dir / kit.EPUB).is_file() and (result.out_dir / kit.INTERIOR).is_file()
    fonts = pdffonts(result.out_dir / kit.INTERIOR)
    assert FACES["tr"] in fonts and "DejaVu" not in fonts
    with zipfile.ZipFile(result.out_dir / kit.EPUB) as z:
        nav = z.read("EPUB/nav.xhtml").decode() if "EPUB/nav.xhtml" in z.namelist() else \
            next(z.read(n).decode() for n in z.namelist() if n.endswith("nav.xhtml"))
        copyright_page = next(z.read(n).decode() for n in z.namelist() if n.endswith("copyright.xhtml"))
    labels = labels_for("tr")
    assert labels["contents"] in nav
    assert "Birinci baskı" in copyright_page and "Yayıncı: Test Press" in copyright_page
    assert "Copyright ©" not in copyright_page and "Published by" not in copyright_page
    onix = (result.out_dir / kit.ONIX).read_text(encoding="utf-8")
    assert "<LanguageCode>tur</LanguageCode>" in onix


@pytest.mark.parametrize("lang", ["hi", "zh-Hans", "zh-Hant"])
def test_edition_pdf_embeds_the_language_s_own_face(tmp_path, lang):
    from communique.documents.readers import read_markdown
    from communique.editions import registry

    source = manuscript(tmp_path / "src", lang)
    document = transforms.run(read_markdown(source, base_dir=source.parent), ["matter"], {"matter": {"medium": "print"}})
    out = tmp_path / "book.pdf"
    registry.write("pdf", document, out, {"kind": "book", "trim": "6x9", "workers": 1})
    fonts = pdffonts(out)
    assert FACES[lang] in fonts, fonts
    assert "DejaVu" not in fonts  # no host fallback
    if lang in OTHER_CJK:
        # its own face: on main Chinese came from a Japanese face of the host's collection
        assert OTHER_CJK[lang] not in fonts and "JP" not in fonts, fonts
    from communique.editions.pdf.check import page_texts

    text = "\n".join(page_texts(out))
    labels = labels_for(lang)
    if lang == "hi":
        # pdfminer reorders Devanagari vowel signs when extracting, so check the labels whose
        # letters come back in order: the copyright line and the publisher line.
        assert "कॉपीराइट ©" in text and "प्रकाशक: Test Press" in text
    else:
        assert labels["contents"] in text and labels.edition("1") in text
        assert labels.format("published_by", publisher="Test Press") in text
    assert "Contents" not in text and "First edition" not in text and "Published by" not in text


@pytest.mark.parametrize("lang", ["hi", "zh-Hant"])
def test_edition_epub_embeds_subset_faces_and_labels(tmp_path, lang):
    from fontTools.ttLib import TTFont
    import io

    from communique.documents.readers import read_markdown
    from communique.editions import registry

    source = manuscript(tmp_path / "src", lang)
    document = transforms.run(read_markdown(source, base_dir=source.parent), ["matter"])
    out = tmp_path / "book.epub"
    registry.write("epub", document, out, {})
    with zipfile.ZipFile(out) as z:
        fonts = {n: z.read(n) for n in z.namelist() if n.endswith((".ttf", ".otf"))}
        nav = next(z.read(n).decode() for n in z.namelist() if n.endswith("nav.xhtml"))
    assert labels_for(lang)["contents"] in nav
    families = {TTFont(io.BytesIO(data))["name"].getDebugName(1) for data in fonts.values()}
    assert any(("Devanagari" if lang == "hi" else "CJK TC") in f for f in families), families
    # Subset to the book's text: a CJK face of 4 MB shrinks to a few hundred KB.
    assert sum(len(d) for d in fonts.values()) < 1_500_000


@pytest.mark.java
def test_new_language_epubs_pass_epubcheck(tmp_path):
    from communique.documents.readers import read_markdown
    from communique.editions import registry
    from communique.editions.epub.validate import EpubCheckUnavailable, check_epubs

    paths = []
    for lang in ("tr", "hi", "zh-Hans", "zh-Hant"):
        source = manuscript(tmp_path / lang, lang, repeat=10)
        out = tmp_path / f"{lang}.epub"
        document = transforms.run(read_markdown(source, base_dir=source.parent), ["matter"])
        registry.write("epub", document, out, {})
        paths.append(out)
    # Every page the matter transform makes (half title and "Also by" too), through EPUBCheck.
    from communique.documents.tests.test_transforms import FULL

    full = tmp_path / "full.epub"
    registry.write("epub", transforms.run(read_markdown(FULL), ["matter"], {"matter": {"medium": "print"}}), full, {})
    paths.append(full)
    try:
        results = check_epubs(paths)
    except EpubCheckUnavailable as exc:
        pytest.skip(f"EPUBCheck cannot run: {exc}")
    for path, result in results.items():
        assert result.clean, f"{path.name}: {result.errors} errors, {result.warnings} warnings\n" + "\n".join(result.messages)
