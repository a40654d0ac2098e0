"""A feed opened in Chromium is a readable page (issue 12, defect 17): its XSL stylesheet turns
the RSS into headlines that link to the articles, styled by the site's own files (the feed's
Content-Security-Policy allows nothing inline), in the feed's language; and the full-text
variant carries whole articles."""
import pytest

from communique.magazine.models import ArticlePage

from .screens import shoot

pytestmark = pytest.mark.browser


def open_feed(browser, url):
    page = browser.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if m.type == "error" else None)
    response = page.goto(url)
    assert response.ok, url
    return page, blocked


BANNER_CSP = ("Applying inline style violates", "Executing inline event handler violates")


def own_errors(page, errors):
    """Console errors of the feed page itself. Chromium 156 adds an <xslt-warning-banner> with a
    style attribute and an inline handler to every XSLT page (XSLT is deprecated there); the feed's
    CSP blocks both, which is the browser's doing: allowed only while nothing of ours is inline."""
    ours = page.evaluate("""[...document.querySelectorAll('*')].filter(e => !e.closest('xslt-warning-banner'))
        .filter(e => e.localName === 'style' || e.localName === 'script' || e.hasAttribute('style')
                || [...e.attributes].some(a => a.name.startsWith('on'))).length""")
    assert ours == 0
    banners = page.evaluate("document.querySelectorAll('xslt-warning-banner').length")
    return [e for e in errors if not (banners and e.startswith(BANNER_CSP))]


def test_feeds_render_as_styled_pages_in_their_language_with_a_full_text_option(demo_content, live_server, browser):
    page, errors = open_feed(browser, live_server.url + "/feeds/rss/")
    # XSLT ran: an HTML document, not the XML tree viewer.
    assert page.evaluate("document.documentElement.localName") == "html"
    assert page.evaluate("document.documentElement.lang") == "en"
    latest = ArticlePage.objects.live().filter(locale__language_code="en").order_by("-date").first()
    headlines = page.locator("main h2 a")
    assert headlines.count() >= 5
    assert latest.title in [t.strip() for t in headlines.all_inner_texts()]
    # The site's stylesheet for feeds applied (not blocked by the CSP, not the browser's defaults).
    assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"
    assert page.evaluate("getComputedStyle(document.querySelector('.note')).borderInlineStartWidth") == "4px"
    assert "feed reader" in page.locator(".note").inner_text()
    assert own_errors(page, errors) == []
    shoot(page, "feed")
    # The page offers the full-text feed, and that feed carries whole articles.
    page.get_by_role("link", name="full text of every article").click()
    page.wait_for_load_state()
    assert page.url.endswith("/feeds/rss/full/")
    assert page.evaluate("document.documentElement.localName") == "html"
    xml = page.request.get(page.url).text()
    last_paragraph = latest.body_text.split(". ")[-1][:60]
    assert last_paragraph and last_paragraph in xml.replace("&amp;", "&")

    # The Urdu feed's page is in Urdu, right to left (one demo build for both: it takes minutes).
    urdu = ArticlePage.objects.live().filter(locale__language_code="ur").first()
    page, errors = open_feed(browser, live_server.url + "/ur/feeds/rss/")
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert urdu.title in page.locator("main").inner_text()
    note = page.locator(".note").inner_text()
    assert not any("a" <= c.lower() <= "z" for c in note), note  # the note is in Urdu, not English
    assert own_errors(page, errors) == []
    shoot(page, "urdu-feed")
