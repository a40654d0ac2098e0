"""Issue 12 walked as people do, in Debian's Chromium: an Urdu reader moving between article,
author, tag, search and feed without leaving Urdu; every page type photographed at desktop and
phone (390 px) width into var/screenshots/; an author signing in at the portal, uploading,
building and downloading the kit; an editor choosing the lead story and scheduling an article
that then appears by itself."""
import time
from pathlib import Path

import pytest
from django.conf import settings

from communique.magazine.models import ArticlePage, Author, SectionPage

pytestmark = pytest.mark.browser

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def shoot(browser_page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        browser_page.set_viewport_size({"width": width, "height": height})
        browser_page.wait_for_timeout(150)
        browser_page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        overflow = browser_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} at {width} px is {overflow} px wider than the screen"
    browser_page.set_viewport_size({"width": 1280, "height": 900})


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
    tag = page.locator("a[rel=tag]").first
    if tag.count():
        tag.click()
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


def _admin_publish(page):
    """Wagtail's "Publish" sits in the footer's action menu; opening the menu, then the button."""
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_load_state()


def test_editor_curates_the_home_page_and_a_scheduled_article_appears_by_itself(
        transactional_db, live_server, browser, django_user_model, settings):
    from datetime import timedelta

    from django.utils import timezone

    from communique.magazine import scheduling
    from communique.magazine.tests.factories import build_magazine

    settings.COMMUNIQUE_SCHEDULER_SECONDS = 1
    scheduling.stop()
    scheduling.connect()
    mag = build_magazine(n_articles=6)
    oldest = sorted(mag["articles"], key=lambda a: a.date)[0]
    django_user_model.objects.create_superuser("esther", "esther@example.org", "pw-esther-2026")

    page = browser.new_page()
    try:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "esther")
        page.fill("#id_password", "pw-esther-2026")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        shoot(page, "admin-dashboard")

        # The lead story: the oldest article, chosen in the home page's editor.
        page.goto(live_server.url + f"/admin/pages/{mag['home'].pk}/edit/")
        page.wait_for_selector("#id_lead_story", state="attached")
        # What the page chooser writes into the form when the editor picks the article.
        page.evaluate(f"document.querySelector('#id_lead_story').value = '{oldest.pk}'")
        _admin_publish(page)
        page.goto(live_server.url + "/")
        assert page.locator(".lead-title").inner_text().strip() == oldest.title

        # A new article, scheduled a few seconds ahead, then published by the clock.
        section = mag["section"]["news"]
        page.goto(live_server.url + f"/admin/pages/add/magazine/articlepage/{section.pk}/")
        page.fill("#id_title", "Published while nobody watched")
        page.locator("#id_title").blur()
        shoot(page, "admin-article-editor")
        # Set in the "Schedule publishing" dialog's field; a few seconds ahead, as the form
        # round trip on a loaded test machine takes seconds itself.
        go_live = (timezone.now() + timedelta(seconds=8)).strftime("%Y-%m-%d %H:%M:%S")
        page.evaluate(f"document.querySelector('#id_go_live_at').value = '{go_live}'")
        _admin_publish(page)
        assert "scheduled" in page.locator(".messages").inner_text().lower(), page.locator(".messages").inner_text()
        page.goto(live_server.url + section.url)
        assert "Published while nobody watched" not in page.locator("main").inner_text()
        deadline = time.monotonic() + 30
        while "Published while nobody watched" not in page.locator("main").inner_text():
            assert time.monotonic() < deadline, "the scheduled article did not appear"
            page.wait_for_timeout(1000)
            page.reload()
        shoot(page, "section-after-schedule")
    finally:
        scheduling.stop()
        from django.core.signals import request_started

        request_started.disconnect(dispatch_uid="communique.scheduler.start")
