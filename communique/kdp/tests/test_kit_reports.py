"""Issue 12 defect 11 and issue 7 item 4: the kit's reports are templates with formatted values,
an "Upload to KDP, step by step" sheet with official KDP links only, a warning when the AI-content
question is unanswered, and a preflight that checks exactly the prices the kit ships."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from lxml import html as lxml_html

from communique.kdp import kit
from communique.kdp.tests.test_kit import write_small


@pytest.fixture(scope="module")
def uk_kit(tmp_path_factory):
    base = tmp_path_factory.mktemp("uk")
    src = write_small(base / "src")
    text = src.read_text(encoding="utf-8").replace("price_usd: 3.99\n", "price_usd: 3.99\nprimary_marketplace: UK\n")
    src.write_text(text, encoding="utf-8")
    return kit.build_kit(src, None, base / "kit")


def _links(page: str) -> list[str]:
    return lxml_html.fromstring(page).xpath("//a/@href")


def test_metadata_sheet_is_formatted_not_a_json_dump(uk_kit):
    page = (uk_kit.out_dir / kit.METADATA_HTML).read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{5,}", page), re.findall(r"\d\.\d{5,}", page)[:3]
    assert "Trim size" in page and "5 × 8 in" in page
    assert "page_width_in" not in page and "cover_elements" not in page


def test_unanswered_ai_question_warns(uk_kit):
    for name in (kit.METADATA_HTML, kit.UPLOAD_STEPS_HTML):
        page = (uk_kit.out_dir / name).read_text(encoding="utf-8")
        assert "AI-generated content" in page and "not set" in page
        assert lxml_html.fromstring(page).xpath("//*[@class='warning']"), name
    checks = json.loads((uk_kit.out_dir / kit.PREFLIGHT_JSON).read_text())["checks"]
    ai = [c for c in checks if c["rule_id"] == "metadata.ai_content"]
    assert ai and ai[0]["status"] == "verify"


def test_upload_steps_in_kdp_order_with_official_links_only(uk_kit):
    page = (uk_kit.out_dir / kit.UPLOAD_STEPS_HTML).read_text(encoding="utf-8")
    assert kit.UPLOAD_STEPS_HTML in uk_kit.files
    order = ["Kindle eBook — 1. Details", "Kindle eBook — 2. Content", "Kindle eBook — 3. Pricing",
             "Paperback — 1. Details", "Paperback — 2. Content", "Paperback — 3. Rights &amp; Pricing"]
    positions = [page.index(h) for h in order]
    assert positions == sorted(positions)
    assert "Small Hours" in page and "ebook.epub" in page and "interior.pdf" in page and "cover.pdf" in page
    links = _links(page)
    assert links and all(link.startswith("https://kdp.amazon.com/") for link in links)
    assert "§" not in page and "sheet" not in page.lower().replace("setup sheet", "")


@pytest.mark.parametrize("name", [kit.PREFLIGHT_HTML, kit.PRICES_HTML])
def test_reports_link_to_kdp_itself(uk_kit, name):
    page = (uk_kit.out_dir / name).read_text(encoding="utf-8")
    kdp = [link for link in _links(page) if link.startswith("https://kdp.amazon.com/")]
    assert kdp
    assert "rproxy" not in page and "§" not in page


def test_preflight_checks_the_prices_the_kit_ships(uk_kit):
    # On main the preflight priced the book from the US store while the kit shipped the UK one's.
    prices = json.loads((uk_kit.out_dir / kit.PRICES_JSON).read_text())
    shipped = {r["marketplace"]: r["list_price"] for r in prices["ebook"]}
    checks = {c["rule_id"]: c for c in json.loads((uk_kit.out_dir / kit.PREFLIGHT_JSON).read_text())["checks"]}
    checked = {rid.split(".")[-1]: c for rid, c in checks.items() if rid.startswith("price.ebook.")}
    assert set(checked) == set(shipped)
    for mp, price in shipped.items():
        assert str(Decimal(price)) in checked[mp]["message"] or checked[mp]["status"] != "pass", (mp, price)
