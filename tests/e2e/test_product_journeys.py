"""Issue 12 walked as people do, in Debian's Chromium: an Urdu reader moving between article,
author, tag, search and feed without leaving Urdu; every page type photographed at desktop and
phone (390 px) width into var/screenshots/; an author signing in at the portal, uploading,
building and downloading the kit. The editor's journeys are in test_editor_journeys.py."""
import time

import pytest

from communique.magazine.models import ArticlePage, Author, SectionPage

from .screens import shoot

pytestmark = pytest.mark.browser

def collect_console_errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_urdu_reader_stays_in_urdu_and_every_page_type_is_photographed(demo_content, live_server, browser):
    page = browser.new_page()
    errors = collect_console_errors(page)
    third_party = []
    host = live_server.url.split("://", 1)[1]
    page.on("request", lambda r: third_party.append(r.url) if host not in r.url and not r.url.startswith("data:") else None)

    # English page types.
    page.goto(live_server.url + "/")
    shoot(page, "home")
    section = SectionPage.objects.live().filter(locale__language_code="en").first()
    page.goto(live_server.url + section.url)
    shoot(page, "section")
    seed = ArticlePage.objects.live().filter(locale__language_code="en").order_by("-date").first()
    page.goto(live_server.url + seed.url)
    shoot(page, "article")
    author = Author.objects.filter(article_links__page__live=True).first()
    page.goto(live_server.url + author.get_absolute_url())
    shoot(page, "author")
    page.goto(live_server.url + "/search/?q=listen")
    shoot(page, "search")
    page.goto(live_server.url + "/issues/")
    shoot(page, "print-issues")
    page.goto(live_server.url + "/publish/")
    shoot(page, "publish-with-us")

    # The Urdu reader.
    urdu = ArticlePage.objects.live().filter(locale__language_code="ur").first()
    page.goto(live_server.url + urdu.url)
    assert page.evaluate("document.documentElement.lang") == "ur"
    page.set_viewport_size({"width": 390, "height": 844})
    h1 = page.evaluate("(() => { const h = document.querySelector('h1'); return {sw: h.scrollWidth, cw: h.clientWidth, "
                       "right: h.getBoundingClientRect().right, vw: innerWidth}; })()")
    assert h1["sw"] <= h1["cw"] + 1 and h1["right"] <= h1["vw"] + 1, h1
    shoot(page, "urdu-article")

    page.locator(".article-header a[rel=author]").first.click()
    page.wait_for_load_state()
    assert "/ur/authors/" in page.url
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert urdu.title in page.locator("main").inner_text()
    shoot(page, "urdu-author")

    page.go_back()
    assert urdu.tags.exists(), "the demo's Urdu article is tagged"
    page.locator("a[rel=tag]").first.click()
    page.wait_for_load_state()
    assert "/ur/tags/" in page.url
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert urdu.title in page.locator("main").inner_text()
    shoot(page, "urdu-tag")
    page.go_back()

    page.locator("nav.sections-nav a[href$='/search/']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/ur/search/")
    word = urdu.title.split()[0]
    page.fill("input[type=search]", word)
    page.locator("form[role=search] button").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert urdu.title in page.locator(".search-result").first.inner_text()
    shoot(page, "urdu-search")

    feed_url = page.evaluate("document.querySelector('link[type=\"application/rss+xml\"]').href")
    assert "/ur/feeds/" in feed_url
    feed = page.request.get(feed_url.replace("http://127.0.0.1:8000", live_server.url))
    assert feed.ok
    body = feed.text()
    assert "<language>ur</language>" in body and urdu.title in body
    # Opened in the browser, the feed is a page in Urdu whose headlines lead back to the article.
    page.goto(feed_url.replace("http://127.0.0.1:8000", live_server.url))
    assert page.evaluate("document.documentElement.lang") == "ur"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.get_by_role("link", name=urdu.title).first.click()
    page.wait_for_load_state()
    assert page.url.endswith(urdu.url)
    assert errors == [], errors
    assert third_party == [], third_party


SMALL_BOOK = """---
title: Letters Across the Border
contributors:
  - name: Hamid Writer
    role: author
language: en
---

# The First Letter

Dear friend, the border is closed but the post still runs.[^a]

## On waiting

We wait, and we write.

# The Second Letter

The answer came in spring.

[^a]: It always has.
"""


def test_author_signs_in_uploads_builds_and_downloads_the_kit(live_server, browser, django_user_model, tmp_path):
    from django.contrib.auth.models import Group

    author = django_user_model.objects.create_user("hamid", password="pw-hamid-2026")
    author.groups.add(Group.objects.get_or_create(name="Authors")[0])
    page = browser.new_page()
    errors = collect_console_errors(page)

    # From the public site to the portal's sign-in.
    page.goto(live_server.url + "/publish/")
    shoot(page, "publish")
    page.locator("main").get_by_role("link", name="Sign in to the author portal").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    shoot(page, "sign-in")
    page.fill("#id_username", "hamid")
    page.fill("#id_password", "pw-hamid-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/"), page.url
    assert "Your books" in page.locator("h1").inner_text()

    page.get_by_role("link", name="New book", exact=True).click()
    page.wait_for_load_state()
    # Styled controls, not bare browser ones: the site stylesheet pads and borders the inputs.
    padding = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#id_title')).paddingTop)")
    assert padding >= 6, padding
    shoot(page, "portal-book-form")
    page.fill("#id_title", "Letters Across the Border")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Letters Across the Border" in page.locator("h1").inner_text()

    manuscript = tmp_path / "letters.md"
    manuscript.write_text(SMALL_BOOK, encoding="utf-8")
    page.set_input_files("input[type=file]", str(manuscript))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()
    assert "letters.md" in page.locator("main").inner_text()
    shoot(page, "portal-manuscript")
    page.get_by_role("link", name="Back to the book").click()
    page.wait_for_load_state()

    page.get_by_role("button", name="Build the kit from the latest manuscript").click()
    page.wait_for_load_state()
    deadline = time.monotonic() + 240
    while "Download the whole kit" not in page.locator("main").inner_text():
        assert "The build failed" not in page.locator("main").inner_text(), page.locator("main").inner_text()[:2000]
        assert time.monotonic() < deadline, "the kit was not built in 4 minutes"
        page.wait_for_timeout(1000)
        page.reload()
    shoot(page, "portal-kit")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the whole kit (.zip)").click()
    path = download_info.value.path()
    import zipfile

    with zipfile.ZipFile(path) as kit:
        names = kit.namelist()
    assert any(n.endswith(".epub") for n in names) and any(n.endswith(".pdf") for n in names), names
    assert errors == [], errors
