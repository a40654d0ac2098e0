"""Test inputs made on the fly: images in awkward formats, a DOCX with a footnote, Markdown books.

Shared by the reader tests and the EPUB writer tests (communique/editions/tests)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from PIL import Image as PILImage


def make_images(directory: Path, huge: bool = True) -> dict[str, Path]:
    """RGB JPEG, CMYK JPEG, transparent PNG, opaque PNG, GIF, TIFF, a corrupt "JPEG" and, if asked,
    a 20,000 × 20,000 px JPEG (about 5 MB on disk, 400 Mpx: beyond Pillow's bomb guard)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = {}
    paths["rgb"] = d / "photo-rgb.jpg"
    PILImage.new("RGB", (320, 200), (30, 90, 150)).save(paths["rgb"], "JPEG")
    paths["cmyk"] = d / "photo-cmyk.jpg"
    PILImage.new("CMYK", (300, 180), (0, 120, 200, 20)).save(paths["cmyk"], "JPEG")
    paths["rgba"] = d / "logo-transparent.png"
    rgba = PILImage.new("RGBA", (200, 120), (200, 30, 30, 0))
    rgba.paste((200, 30, 30, 255), (40, 20, 160, 100))
    rgba.save(paths["rgba"], "PNG")
    paths["png"] = d / "chart.png"
    PILImage.new("RGB", (240, 160), (240, 240, 240)).save(paths["png"], "PNG")
    paths["gif"] = d / "diagram.gif"
    PILImage.new("P", (120, 80), 3).save(paths["gif"], "GIF")
    paths["tiff"] = d / "scan.tif"
    PILImage.new("RGB", (150, 100), (10, 10, 10)).save(paths["tiff"], "TIFF")
    paths["corrupt"] = d / "broken.jpg"
    paths["corrupt"].write_bytes(b"\xff\xd8\xff\xe0 this is not really a JPEG" + bytes(range(256)) * 4)
    paths["missing"] = d / "not-there.png"
    if huge:
        paths["huge"] = d / "huge.jpg"
        if not paths["huge"].exists():
            PILImage.new("L", (20_000, 20_000), 128).save(paths["huge"], "JPEG", quality=30)
    return paths


def images_markdown(paths: dict[str, Path]) -> str:
    """A short book that uses every image from make_images, with alt text on each."""
    figures = "\n\n".join(
        f'![A test image ({name})]({p.name} "Figure: {name}")' for name, p in paths.items()
    )
    return f"""---
title: Pictures and Tables
author: Test Author
language: en
date: 2026-02-01
publisher: Communiqué Books
---

# Figures

Images of every awkward kind follow.[^img]

{figures}

## A table

| Country | Visits | Year |
|---|---:|---:|
| Austria | 3 | 2021 |
| Brazil | 5 | 2023 |

[^img]: Each image is converted or reported by the EPUB writer.
"""


URDU_BOOK = """---
title: خاموش راستے
subtitle: عوامی سفارت کاری کی ایک تاریخ
author: آمنہ رحمان
language: ur
date: 2026-03-01
publisher: کمیونیکے
---

# پیش لفظ

یہ کتاب عوامی سفارت کاری کے بارے میں ہے۔ قوموں کے درمیان اعتماد آہستہ آہستہ پیدا ہوتا ہے۔

# پہلا باب

عوامی سفارت کاری کا مقصد قوموں کے درمیان اعتماد پیدا کرنا ہے۔[^1] طلبہ کے تبادلے نے دونوں ملکوں کو قریب کیا۔

## ثقافتی میلے

فلم اور موسیقی کے میلے ہر سال منعقد ہوتے رہے۔[^2]

| سال | دورے |
|---|---:|
| ۲۰۲۱ | ۳ |
| ۲۰۲۳ | ۵ |

# دوسرا باب

مذاکرات طویل تھے لیکن نتائج پائیدار رہے۔

[^1]: وزارت خارجہ کا سرکاری بیان۔
[^2]: ثقافتی مرکز کی سالانہ رپورٹ۔
"""

ARABIC_BOOK = """---
title: قنوات هادئة
author: أمينة رحمن
language: ar
date: 2026-03-01
---

# الفصل الأول

الدبلوماسية العامة تبني الثقة بين الشعوب.[^a]

[^a]: بيان رسمي من وزارة الخارجية.
"""

STRUCTURE_BOOK = """---
title: Parts and Pieces
subtitle: A structural test
authors:
  - name: Amina Rahman
    role_line: Senior Fellow
    bio: Amina writes about diplomacy.
  - name: Jonas Weber
    role: translator
language: en-GB
date: 2026-01-15
rights: All rights reserved.
isbn: 978-3-16-148410-0
series:
  name: Test Series
  number: 2
keywords: [diplomacy, testing]
front_matter: [Note to the Reader]
---

# For my teachers {.dedication}

To those who listened.

# Note to the Reader

See [the first part](#part-one) and [a web page](<https://example.org/a b>).

# Part One {#part-one .part}

# Chapter One

Text with *emphasis*, **strong**, `code`, ~~struck~~ and a note.[^one] Again the same note.[^one]

> A quotation
> over two lines.

1. First
2. Second

- Bullet with a [broken link](other-file.md)

---

## A section {#sec-a}

Back to [the section](#sec-a).

# Chapter Two

Second chapter.[^two]

# Appendix A: Figures

Appendix text.

# Acknowledgments

Thanks.

[^one]: The first note, referenced twice.
[^two]: The second note with *emphasis*.

    And a second paragraph.
"""


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def make_docx(path: Path, image: Path | None = None) -> Path:
    """A Word document with a Title, two Heading 1 chapters, a Heading 2 section, a table, an
    optional picture, an unknown paragraph style (mammoth warns about it) and one real footnote
    (python-docx cannot add footnotes, so the footnotes part is written here by hand)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    d.core_properties.title = "A Word Book"
    d.core_properties.author = "Dana Writer"
    d.core_properties.language = "en-GB"
    d.add_paragraph("A Word Book", style="Title")
    d.add_heading("Introduction", level=1)
    p = d.add_paragraph("An introduction with ")
    p.add_run("bold").bold = True
    p.add_run(" and ")
    p.add_run("italic").italic = True
    p.add_run(" words.")
    d.add_heading("Chapter One", level=1)
    p = d.add_paragraph("A claim that needs a source.")
    p.add_run("FOOTNOTE_HERE")
    d.add_heading("A section", level=2)
    table = d.add_table(rows=2, cols=2)
    for r, row in enumerate([["Year", "Visits"], ["2024", "2"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if image is not None:
        d.add_picture(str(image))
        d.add_paragraph("Figure 1: visits by year", style="Caption")
    fancy = d.styles.add_style("Fancy Aside", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("A paragraph in a style mammoth does not know.", style=fancy)
    d.save(path)

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc_xml = parts["word/document.xml"].decode("utf-8")
    doc_xml, n = re.subn(
        r"<w:r>\s*<w:t>FOOTNOTE_HERE</w:t>\s*</w:r>",
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>',
        doc_xml,
    )
    assert n == 1, "footnote marker not found in document.xml"
    parts["word/document.xml"] = doc_xml.encode("utf-8")
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Foreign Office statement, 2024.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    ).encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdFootnotes1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    )
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    ct = parts["[Content_Types].xml"].decode("utf-8")
    ct = ct.replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = ct.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path
