"""Every page type a reader, an author or an editor meets, in Debian's Chromium at desktop and
390 px width (screenshots in $COMMUNIQUE_SCREENSHOTS, default var/screenshots/), and the requests
each page makes: all to this site (no Gravatar, no web fonts or scripts from elsewhere), none
failing, no broken image, no console error, nothing wider than a phone's screen."""
from urllib.parse import urlsplit

import pytest

from communique.magazine.models import ArticlePage, Author, PrintIssuePage, SectionPage

from .screens import shoot

pytestmark = pytest.mark.browser


class Watch:
    """Every request a page makes, the failed ones and console errors."""

    def __init__(self, page, origin):
        self.origin, self.requests, self.failed, self.errors = origin, [], [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: self.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def elsewhere(self):
        def origin(url):
            parts = urlsplit(url)
            return f"{parts.scheme}://{parts.netloc}"

        return sorted({u for u in self.requests if not u.startswith(("data:", "blob:")) and origin(u) != self.origin})


def visit(page, watch, url, name):
    response = page.goto(url)
    assert response.ok, f"{name}: {url} answered {response.status}"
    page.wait_for_load_state("networkidle")
    # Lazy images below the fold load when scrolled to: scroll through so all are checked.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    broken = page.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.currentSrc || i.src)")
    assert broken == [], f"{name}: broken images {broken}"
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, name)


def test_every_page_type_photographed_with_only_same_origin_requests(demo_content, live_server, browser):
    page = browser.new_page()
    watch = Watch(page, live_server.url)
    site = live_server.url

    seed = ArticlePage.objects.live().filter(locale__language_code="en", is_sample=False).first()
    tagged = ArticlePage.objects.live().filter(locale__language_code="en", tagged_items__isnull=False).first()
    urdu = ArticlePage.objects.live().filter(locale__language_code="ur").first()
    author = Author.objects.filter(article_links__page=seed).first()
    pages = {
        "home": "/",
        "section": SectionPage.objects.live().filter(locale__language_code="en").first().url,
        "article": seed.url,
        "author": author.get_absolute_url(),
        "tag": f"/tags/{tagged.tags.first().slug}/",
        "search": "/search/?q=listening",
        "print-issues": "/issues/",
        "issue": PrintIssuePage.objects.live().first().url,
        "urdu-article": urdu.url,
        "publish-with-us": "/publish/",
        "feed": "/feeds/rss/",
        "sign-in": "/accounts/login/?next=/portal/",
    }
    for name, path in pages.items():
        visit(page, watch, site + path, name)

    # The search page found something, with a highlighted snippet.
    page.goto(site + "/search/?q=listening")
    assert page.locator(".search-result").count() >= 1

    # The author portal's landing page, signed in as the demo's author.
    page.goto(site + "/accounts/login/?next=/portal/")
    page.fill("#id_username", "author")
    page.fill("#id_password", "communique-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/portal/")
    visit(page, watch, site + "/portal/", "portal")

    # Wagtail's admin: its avatars are the site's own (Gravatar would send the e-mail's hash away).
    page.goto(site + "/accounts/logout/")
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "communique-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("networkidle")
    assert page.locator("img.avatar, .avatar img").count() >= 1
    visit(page, watch, site + "/admin/", "admin-dashboard")

    assert len(watch.requests) > 40  # the watch saw the pages' own files, images and fonts
    assert any("/static/fonts/" in u for u in watch.requests)
    assert watch.elsewhere() == []
    assert watch.failed == []
    assert watch.errors == []
