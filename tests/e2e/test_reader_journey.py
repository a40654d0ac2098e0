"""A reader's path through the demo magazine in a real Chromium, with axe-core on every page."""
import pytest

from communique.magazine.models import ArticlePage

pytestmark = pytest.mark.browser

SEED_HEADLINE = "New Beginning in Pakistan-Russia Relations"


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_home_to_oped_to_seed_article_to_author(demo_content, live_server, browser):
    page = browser.new_page()
    page.goto(live_server.url + "/")
    assert serious_violations(page) == []

    page.get_by_role("navigation").first.get_by_role("link", name="OpEd", exact=True).click()
    page.wait_for_load_state()
    assert "/oped/" in page.url
    assert serious_violations(page) == []

    page.get_by_role("link", name=SEED_HEADLINE).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == SEED_HEADLINE
    crumbs = page.get_by_role("navigation", name="Breadcrumb").inner_text()
    assert [c.strip() for c in crumbs.replace("›", "\n").splitlines() if c.strip()] == [
        "Home",
        "OpEd",
        SEED_HEADLINE,
    ]
    body = page.locator("main").inner_text()
    assert "Farhat Asif" in body
    assert "President, Institute of Peace and Diplomatic Studies" in body
    assert "Sergey Lavrov" in body
    # The importer dropped the page chrome the scrape carried.
    assert "Follow us" not in page.locator("article").inner_text()
    assert serious_violations(page) == []

    page.locator("article").get_by_role("link", name="Farhat Asif").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "Farhat Asif"
    assert SEED_HEADLINE in page.locator("main").inner_text()
    assert serious_violations(page) == []


def test_urdu_page_renders_right_to_left(demo_content, live_server, browser):
    urdu = ArticlePage.objects.live().filter(locale__language_code="ur").first()
    assert urdu is not None, "the demo has an Urdu translation"
    page = browser.new_page()
    page.goto(live_server.url + urdu.url)
    assert page.evaluate("document.documentElement.getAttribute('dir')") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    # Right to left for real: the headline's text hugs the right edge of its box.
    box = page.evaluate(
        """() => { const h = document.querySelector('h1'); const r = document.createRange();
        r.selectNodeContents(h); const t = r.getBoundingClientRect(); const b = h.getBoundingClientRect();
        return {textRight: t.right, boxRight: b.right, textLeft: t.left, boxLeft: b.left}; }"""
    )
    assert box["boxRight"] - box["textRight"] < box["textLeft"] - box["boxLeft"]
    assert serious_violations(page) == []
