"""Break 10: no Content-Security-Policy on reader, portal or admin pages, no setting for HSTS or an
HTTPS redirect, and cookies Secure only with an extra variable. Every page type now carries CSP and
the browser-hardening headers; production is HTTPS-only unless told it runs on plain loopback."""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.e2e.conftest import browser  # noqa: F401  (Debian's Chromium, the e2e fixture)

REPO = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _check(response, where, *, admin=False):
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin"), where
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN"), where
    csp = _policy(response)
    assert csp["default-src"] == ["'self'"], (where, csp)
    assert csp["object-src"] == ["'none'"], (where, csp)
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], (where, csp)
    for directive in ("script-src", "style-src", "img-src", "font-src", "connect-src", "frame-src"):
        values = csp.get(directive, csp["default-src"])
        assert not any(v in ("*", "https:", "http:") or "://" in v for v in values), (where, directive, values)
    if admin:
        assert csp["frame-ancestors"] == ["'self'"], (where, csp)
    else:
        assert csp["frame-ancestors"] == ["'none'"], (where, csp)
        assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"], (where, csp)
        assert "'unsafe-inline'" not in csp["style-src"], (where, csp)
    return csp


@pytest.mark.django_db
def test_reader_pages_home_section_article_author_search_carry_csp(client, mag):
    article = mag["articles"][0]
    urls = {"home": "/", "section": mag["sections"][0].url, "article": article.url,
            "author": reverse("magazine:author", args=[mag["authors"][0].slug]),
            "search": reverse("magazine:search") + "?q=a", "issues": mag["issue"].url}
    for kind, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (kind, url)
        _check(response, kind)


@pytest.mark.django_db
def test_feeds_and_downloads_carry_headers(client, mag, author):
    from communique.books.models import Book, Manuscript

    for name in ("feed-rss", "feed-atom"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        _check(response, name)
    response = client.get(reverse("editions:article_download", args=[mag["articles"][0].pk, "epub"]))
    assert response.status_code == 200
    _check(response, "edition download")
    book = Book.objects.create(owner=author, title="Headers")
    ms = Manuscript(book=book, original_name="m.md", kind="markdown", size=3)
    ms.file.save("m.md", ContentFile(b"# A\n"), save=True)
    client.force_login(author)
    response = client.get(reverse("books:manuscript_download", args=[book.public_id, ms.public_id]))
    assert response.status_code == 200
    _check(response, "manuscript download")


@pytest.mark.django_db
def test_portal_pages_carry_csp_and_their_inline_style_has_the_nonce(client, author, mag):
    import re

    client.force_login(author)
    response = client.get(reverse("books:portal"))
    assert response.status_code == 200
    csp = _check(response, "portal")
    assert "'unsafe-inline'" not in csp["style-src"] and "'unsafe-inline'" not in csp.get("script-src", [])
    # The portal is styled by the site's stylesheet; any inline <style> or <script> left must carry
    # this response's nonce, or the browser refuses it.
    nonces = {v[7:-1] for directive in ("style-src", "script-src") for v in csp.get(directive, []) if v.startswith("'nonce-")}
    html = response.content.decode()
    inline = re.findall(r"<(?:style|script)(?![^>]*\bsrc=)([^>]*)>", html)
    for attrs in inline:
        found = re.search(r'nonce="([^"]+)"', attrs)
        assert found and found.group(1) in nonces, f"inline element without this response's nonce: <{attrs}>"
    assert client.get(reverse("login")).status_code == 302  # signed in: no form
    client.logout()
    _check(client.get(reverse("login")), "sign-in page")


@pytest.mark.django_db
def test_admin_pages_carry_their_own_csp(client, editor, mag):
    client.force_login(editor)
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[mag["articles"][0].pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = _check(response, url, admin=True)
        assert "'unsafe-eval'" not in csp["script-src"], csp
    client.logout()
    _check(client.get(reverse("wagtailadmin_login")), "admin login", admin=True)


def _clean_env():
    """The environment of a production process: none of this project's variables, and not the
    async-unsafe switch the browser fixture sets for the test process."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("COMMUNIQUE_", "DATABASE_URL")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _production_settings(tmp_path, **env):
    names = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
             "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER", "SECURE_CONTENT_TYPE_NOSNIFF",
             "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY"]
    code = ("import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))")
    base = _clean_env()
    base.update(DJANGO_SETTINGS_MODULE="communique.settings.production", COMMUNIQUE_VAR_DIR=str(tmp_path),
                DJANGO_SECRET_KEY=secrets.token_urlsafe(50), **env)
    out = subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_is_https_only_by_default(tmp_path):
    s = _production_settings(tmp_path)
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None, "trusting X-Forwarded-Proto must be asked for"
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] and s["SESSION_COOKIE_HTTPONLY"]


def test_plain_http_loopback_is_an_explicit_opt_out(tmp_path):
    s = _production_settings(tmp_path, COMMUNIQUE_PLAIN_HTTP="1")
    assert s["SECURE_SSL_REDIRECT"] is False and s["SESSION_COOKIE_SECURE"] is False
    proxied = _production_settings(tmp_path, COMMUNIQUE_BEHIND_TLS_PROXY="1")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _clean_env()
    env.update(DJANGO_SETTINGS_MODULE="communique.settings.production", COMMUNIQUE_VAR_DIR=str(tmp_path),
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    out = subprocess.run([sys.executable, str(REPO / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                         env=env, capture_output=True, text=True, timeout=180, cwd=REPO)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "no issues" in out.stdout, out.stdout


@pytest.mark.django_db
def test_https_redirect_and_hsts_as_production_configures_them(client, mag, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = client.get("/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    _check(secure, "home over HTTPS")


def _violations(page):
    page.add_init_script("""window.__csp = []; document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));""")


@pytest.mark.browser
def test_admin_reader_and_portal_pages_have_no_csp_violations_in_chromium(mag, editor, live_server, browser):  # noqa: F811
    page = browser.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    _violations(page)
    seen = {}

    def visit(url):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # let late scripts (admin widgets, the userbar) run
        seen[url] = page.evaluate("window.__csp")

    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill("pw-edna-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/admin/login/" not in page.url
    article = mag["articles"][0]
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[article.pk]),
                reverse("wagtailadmin_explore", args=[mag["home"].pk]), reverse("wagtailimages:index"),
                reverse("wagtailimages:add"), reverse("wagtailadmin_pages:add_subpage", args=[mag["sections"][0].pk]),
                "/", article.url, mag["sections"][0].url, reverse("books:portal"), reverse("books:create")):
        visit(url)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[article.pk]))
    page.screenshot(path=str(REPO / "var" / "screenshots" / "admin-edit-under-csp.png"), full_page=False)
    # The listener does see violations: a style element without the nonce on a reader page is refused.
    page.goto(live_server.url + article.url)
    page.evaluate("document.head.appendChild(Object.assign(document.createElement('style'), {textContent: 'body{color:red}'}))")
    page.wait_for_timeout(300)
    assert any(v.startswith("style-src") for v in page.evaluate("window.__csp")), "control violation not seen"
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    bad = {url: v for url, v in seen.items() if v}
    assert bad == {}, bad
    csp_console = [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]
    assert len(csp_console) == 1 and "style" in csp_console[0], csp_console  # the control only
