"""KDP hands its rules to the writers, not the reverse: nothing in `editions` imports `kdp`
(at module level or inside a function), and the KDP figures other apps use are facts.py's."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import communique

PACKAGE = Path(communique.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = set()
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def test_editions_imports_nothing_from_kdp():
    offenders = {}
    for path in (PACKAGE / "editions").rglob("*.py"):
        bad = sorted(m for m in _imports(path) if m == "communique.kdp" or m.startswith("communique.kdp."))
        if bad:
            offenders[str(path.relative_to(PACKAGE))] = bad
    assert not offenders


def test_building_editions_loads_no_kdp_module():
    code = ("import sys; import communique.editions.pdf.writer, communique.editions.epub, "
            "communique.editions.registry, communique.editions.pdf.geometry; "
            "print([m for m in sys.modules if m.startswith('communique.kdp')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_generic_pdf_writer_does_not_apply_kdp_page_limits(tmp_path):
    # On main the writer warned "outside KDP's paperback range of 24–828" on every short book.
    from communique.editions.pdf import PdfWriter, samples

    report = PdfWriter().write(samples.book(chapters=1, paragraphs=2), tmp_path / "b.pdf", {"workers": 1})
    assert not [w for w in report.warnings if "KDP" in str(w)]


def test_kdp_rules_reach_the_writer(tmp_path):
    from communique.editions.pdf import PdfWriter, samples
    from communique.kdp import facts
    from communique.kdp.print_rules import print_rules

    rules = print_rules("white", "6x9")
    assert rules.gutter_table == facts.GUTTER_TABLE.value and rules.page_range == (24, 828)
    report = PdfWriter().write(samples.book(chapters=1, paragraphs=2), tmp_path / "b.pdf",
                               {"workers": 1, "print_rules": rules})
    assert report.stats["geometry"]["gutter_in"] == float(facts.GUTTER_TABLE.value[0][2])
    assert any("KDP" in str(w) and "range" in str(w) for w in report.warnings)


def test_books_figures_are_facts():
    from communique.books import models, validators
    from communique.kdp import facts

    assert validators.KEYWORDS_MAX == facts.KEYWORDS_MAX.value
    assert validators.KEYWORD_CHARS_MAX == facts.KEYWORD_MAX_CHARS.value
    assert validators.CATEGORIES_MAX == facts.CATEGORIES_MAX.value
    assert validators.DESCRIPTION_MAX == facts.DESCRIPTION_MAX.value
    assert validators.TITLE_SUBTITLE_MAX == facts.TITLE_SUBTITLE_MAX.value
    assert validators.DESCRIPTION_TAGS == set(facts.DESCRIPTION_TAGS.value)
    assert [v for v, _ in models.TRIM_CHOICES] == [
        f"{w.normalize():f}x{h.normalize():f}" for w, h in facts.STANDARD_TRIMS.value]
    price = models.Book._meta.get_field("price_usd")
    limits = {type(v).__name__: v.limit_value for v in price.validators if hasattr(v, "limit_value")}
    band = facts.EBOOK_BANDS_35["USD"][0].value
    assert limits["MinValueValidator"] == band.low and limits["MaxValueValidator"] == band.high


def test_kdp_links_point_at_kdp_amazon_com():
    from communique.kdp import facts

    text = Path(facts.__file__).read_text(encoding="utf-8")
    assert "rproxy" not in text and "goskope" not in text
    assert "https://kdp.amazon.com/en_US/help/topic/G201834340" in text
