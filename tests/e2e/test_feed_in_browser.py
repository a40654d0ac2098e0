"""A feed opened in Chromium is a readable page (issue 12, defect 17). Chromium shows
application/rss+xml as plain text and is removing XSLT (version 156 covers every XSLT page with a
"this functionality is being removed" warning), so a browser gets the feed's items as a page of
the site, in the feed's language, with the feed's address to copy and the full-text option; a
feed reader asking the same address gets the XML, whose full-text variant carries whole articles."""
import pytest

from communique.magazine.models import ArticlePage

from .screens import shoot

pytestmark = pytest.mark.browser

READER = {"Accept": "application/rss+xml, application/xml;q=0.9, */*;q=0.1"}


def test_feeds_open_as_pages_in_their_language_with_a_full_text_option(demo_content, live_server, browser):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(live_server.url + "/feeds/rss/")
    assert response.ok and response.headers["content-type"].startswith("text/html")
    assert page.locator("xslt-warning-banner").count() == 0
    assert page.evaluate("document.documentElement.lang") == "en"
    # The same items as the XML a feed reader gets from this address.
    xml = page.request.get(live_server.url + "/feeds/rss/", headers=READER)
    assert xml.headers["content-type"].startswith("application/rss+xml")
    import feedparser

    entries = feedparser.parse(xml.body()).entries
    titles = [t.strip() for t in page.locator("main .card-title").all_inner_texts()]
    assert titles == [e.title for e in entries] and len(titles) >= 5
    assert "feed reader" in page.locator(".feed-note").inner_text()
    assert "/feeds/rss/" in page.locator(".feed-note code").inner_text()
    shoot(page, "feed")

    page.get_by_role("link", name="A feed with the full text of every article").click()
    page.wait_for_load_state()
    assert page.url.endswith("/feeds/rss/full/")
    latest = ArticlePage.objects.live().filter(locale__language_code="en").order_by("-date").first()
    full = feedparser.parse(page.request.get(page.url, headers=READER).body())
    entry = next(e for e in full.entries if e.title == latest.title)
    last_words = latest.body_text.split(". ")[-1][:60]
    assert last_words and last_words in entry.description

    # The Urdu feed as a page: Urdu, right to left, the Urdu articles, the note in Urdu.
    urdu = ArticlePage.objects.live().filter(locale__language_code="ur").first()
    page.goto(live_server.url + "/ur/feeds/rss/")
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert urdu.title in page.locator("main").inner_text()
    note = page.locator(".feed-note p").first.inner_text()
    assert not any("a" <= c.lower() <= "z" for c in note), note
    assert "/ur/feeds/rss/full/" in page.get_by_role("link", name="ہر مضمون کے مکمل متن والی فیڈ").get_attribute("href")
    shoot(page, "urdu-feed")
    assert errors == [], errors
