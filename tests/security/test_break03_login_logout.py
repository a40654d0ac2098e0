"""Break 3: /accounts/login/ (where every portal page sends you) and "Sign out" answered 500 because
registration/login.html did not exist. Sign-in and sign-out are now pages of the reader site."""
import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.conftest import browser  # noqa: F401  (Debian's Chromium, the e2e fixture)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.django_db
def test_portal_redirects_to_a_sign_in_page_that_renders(client, mag):
    response = client.get(reverse("books:portal"), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="password"' in html and 'name="next" value="/portal/"' in html
    # The reader site's chrome: its stylesheet and its publication name.
    assert "css/communique.css" in html and mag["settings"].name in html


@pytest.mark.django_db
def test_sign_in_follows_next_and_refuses_foreign_next(client, author):
    ok = client.post(reverse("login"), {"username": "auth_a", "password": "pw-auth_a-123", "next": "/portal/"})
    assert ok.status_code == 302 and ok["Location"] == "/portal/"
    client.logout()
    evil = client.post(reverse("login"), {"username": "auth_a", "password": "pw-auth_a-123", "next": "https://evil.example/"})
    assert evil.status_code == 302 and "evil.example" not in evil["Location"]


@pytest.mark.django_db
def test_wrong_password_is_a_clear_error_not_a_500(client, author):
    response = client.post(reverse("login"), {"username": "auth_a", "password": "nope", "next": "/portal/"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_get_asks_post_signs_out(client, author):
    client.force_login(author)
    page = client.get(reverse("logout"))
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert "_auth_user_id" in client.session, "a GET must not sign anyone out"
    done = client.post(reverse("logout"))
    assert done.status_code == 200 and "signed out" in done.content.decode().lower()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("books:portal")).status_code == 302


@pytest.mark.browser
def test_author_signs_in_at_portal_and_out_in_chromium(mag, author, live_server, browser):  # noqa: F811
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(live_server.url + "/portal/")
    assert response.status == 200 and "/accounts/login/" in page.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sign-in.png"), full_page=True)
    page.get_by_label("Username").fill("auth_a")
    page.get_by_label("Password").fill("pw-auth_a-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/portal/"
    assert page.locator("h1").inner_text().strip() == "Your books"
    assert "Signed in as auth_a" in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "portal-signed-in.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == "You are signed out"
    page.screenshot(path=str(SCREENSHOTS / "signed-out.png"), full_page=True)
    page.goto(live_server.url + "/portal/")
    assert "/accounts/login/" in page.url, "after signing out the portal asks to sign in again"
    assert errors == [], errors


@pytest.fixture
def urdu_members_section(db):
    from wagtail.models import PageViewRestriction

    from communique.magazine.tests.factories import build_magazine

    mag = build_magazine(n_articles=2, translate_to=("ur",))
    section = mag["translations"]["ur"]["section"]
    # The Urdu section is an alias of the English one until it is translated itself: Wagtail reads
    # an alias's privacy from its source.
    PageViewRestriction.objects.create(page=section.alias_of or section, restriction_type=PageViewRestriction.LOGIN)
    return section


@pytest.mark.django_db
def test_an_urdu_reader_is_asked_to_sign_in_in_urdu(client, urdu_members_section):
    response = client.get(urdu_members_section.url)
    assert response.status_code == 302 and response["Location"].startswith("/ur/accounts/login/?next=/ur/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="ur"' in html and 'dir="rtl"' in html
    assert "لاگ اِن کریں" in html and "Please sign in" not in html
    # Every label in Urdu, the username's too (Django's own Urdu catalogue leaves it in English).
    assert "صارف نام</label>" in html and "Username" not in html and "لفظ اجازت</label>" in html
    assert 'action="/ur/accounts/login/"' in html
    # English keeps its unprefixed address.
    from django.utils import translation

    with translation.override("en"):
        assert reverse("login") == "/accounts/login/"


@pytest.mark.browser
def test_an_urdu_reader_signs_in_and_reaches_the_members_section_in_chromium(
        urdu_members_section, django_user_model, live_server, browser):  # noqa: F811
    django_user_model.objects.create_user("member", password="pw-member-123")
    page = browser.new_page()
    page.goto(live_server.url + urdu_members_section.url)
    assert "/ur/accounts/login/" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text().strip() == "لاگ اِن کریں"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sign-in-ur.png"), full_page=True)
    page.locator("input[name=username]").fill("member")
    page.locator("input[name=password]").fill("pw-member-123")
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + urdu_members_section.url
    assert page.locator("h1").first.inner_text().strip() == urdu_members_section.title
    page.screenshot(path=str(SCREENSHOTS / "members-section-ur.png"), full_page=True)
