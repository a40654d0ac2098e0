"""The research desk's entity page in a real Chromium, on the demo magazine read by the extractor."""
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_entity_page_of_lavrov(demo_content, live_server, browser):
    from communique.magazine.models import ArticlePage
    from communique.research import services
    from communique.research.models import Entity, Source

    seed = ArticlePage.objects.live().get(title="New Beginning in Pakistan-Russia Relations")
    if not Source.objects.filter(page=seed).exists():  # extraction on publish may be switched off
        services.extract_page(seed)
    # the demo ships these records confirmed (communique/demo/research.py); nothing is confirmed here
    lavrov = Entity.objects.get(kind="person", name="Sergey Lavrov")

    page = browser.new_page()
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.goto(live_server.url + lavrov.get_absolute_url())
    assert page.locator("h1").inner_text().strip() == "Sergey Lavrov"
    articles = page.get_by_role("region", name="Articles mentioning Sergey Lavrov")
    articles.get_by_role("link", name="New Beginning in Pakistan-Russia Relations").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "research-entity-lavrov.png"), full_page=True)
    co = page.get_by_role("region", name="Often mentioned with")
    assert co.get_by_role("link", name="Pakistan", exact=True).count() == 1

    # From the entity page to the Pakistan–Russia timeline of the same archive.
    pakistan = Entity.objects.get(kind="place", name="Pakistan")
    russia = Entity.objects.get(kind="place", name="Russia")
    page.goto(f"{live_server.url}/research/timeline/{pakistan.pk}/{russia.pk}/")
    items = page.locator("ol.research-facts li")
    assert items.count() >= 3
    assert page.locator("svg.research-timeline circle").count() == items.count()
    page.screenshot(path=str(SCREENSHOTS / "research-timeline-pakistan-russia.png"), full_page=True)

    # The key facts box of the seed article.
    page.goto(live_server.url + seed.url)
    facts = page.locator("aside.key-facts")
    assert "2 billion USD" in facts.inner_text() and "22 March" in facts.inner_text()
    facts.screenshot(path=str(SCREENSHOTS / "research-key-facts.png"))
