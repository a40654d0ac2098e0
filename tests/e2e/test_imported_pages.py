"""A WordPress site's pages after import, read in a real Chromium: the Theme Unit Test data's
"About The Tests" page at its own address under home, its child pages listed, and Level 1 ›
Level 2 › Level 3 walked link by link as a reader would."""
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WPTT = Path(__file__).resolve().parents[3] / "shared" / "real-inputs" / "wordpress" / "wptt-themeunittestdata.wordpress.xml.gz"
if not WPTT.exists():
    WPTT = Path("/work/shared/real-inputs/wordpress/wptt-themeunittestdata.wordpress.xml.gz")


@pytest.mark.skipif(not WPTT.exists(), reason="Theme Unit Test data not found")
def test_wordpress_pages_are_pages_of_the_site(transactional_db, live_server, browser):
    from wagtail.models import Page, Site

    from communique.magazine.models import ContentPage, HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Communiqué", slug="communique-home"))
    home.save_revision().publish()
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    call_command("import", "wordpress", str(WPTT))

    level1 = ContentPage.objects.live().get(title="Level 1")
    page = browser.new_page()
    page.set_viewport_size({"width": 1100, "height": 1200})
    page.goto(live_server.url + level1.url)
    assert page.locator("h1").inner_text().strip() == "Level 1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "wordpress-page-level-1.png"), full_page=True)
    page.get_by_role("navigation", name="In this section").get_by_role("link", name="Level 2", exact=True).click()
    page.wait_for_url("**/level-2/")
    assert page.locator("h1").inner_text().strip() == "Level 2"
    page.get_by_role("link", name="Level 3", exact=True).click()
    page.wait_for_url("**/level-1/level-2/level-3/")
    assert page.locator("h1").inner_text().strip() == "Level 3"
    page.screenshot(path=str(SCREENSHOTS / "wordpress-page-level-3.png"), full_page=True)

    about = ContentPage.objects.live().get(title="About The Tests")
    page.goto(live_server.url + about.url)
    assert about.get_parent().pk == home.pk
    body = page.locator(".article-body").inner_text()
    assert len(body.split()) > 20  # the page's text, not an empty shell
    page.screenshot(path=str(SCREENSHOTS / "wordpress-page-about.png"), full_page=True)
