"""Issue 9 walked in Debian's Chromium: an editor sends an article for translation into Spanish, the
translator signs in, opens it on the translator's desk, drafts it with Apertium (the real `apertium`
binary, English → Spanish), corrects a segment and saves; the reviewer approves and publishes; a
reader sees the Spanish page with the language switcher and the right `lang`/`dir`. An Arabic
translation typed on the desk and published by the editor's recorded override reads right to left.
An author's byline translated into Urdu on the desk shows on the Urdu author page (screenshot in
/tmp/shots-l10n/). Screenshots (desktop and 390 px) go to var/screenshots/translator-*.png."""
import re

import pytest
from django.core.management import call_command

from communique.translation.tests.conftest import needs_apertium

from .test_product_journeys import shoot

pytestmark = [pytest.mark.browser, needs_apertium]

HEADLINE_ES = "Un nuevo capítulo en la diplomacia energética regional"
HEADLINE_AR = "فصل جديد في دبلوماسية الطاقة الإقليمية"


def _people(django_user_model):
    from django.contrib.auth.models import Group

    call_command("setup_roles", verbosity=0)
    people = {}
    for name, group in (("edna", "Editors"), ("tina", "Translators")):
        user = django_user_model.objects.create_user(name, password=f"pw-{name}-2026", first_name=name.title())
        user.groups.add(Group.objects.get(name=group))
        people[name] = user
    return people


def _sign_in(browser, page, base, name):
    browser.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", f"pw-{name}-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, f"{name} could not sign in"


def _segment(page, context):
    """The segment editor's box for one wagtail-localize context (title, standfirst, body.…)."""
    return page.locator("section.seg", has=page.locator(".seg-where", has_text=re.compile(f"^{re.escape(context)}$")))


def _send(page, base, article_title, language_label):
    page.goto(base + "/admin/desk/")
    form = page.locator("form.desk-assign")
    form.locator("select[name=page]").select_option(label=article_title)
    form.locator("select[name=locale]").select_option(label=language_label)
    form.locator("select[name=translator]").select_option(label="Tina")
    form.get_by_role("button", name="Send for translation").click()
    page.wait_for_load_state()


def test_translator_drafts_with_apertium_reviewer_approves_reader_reads(
        transactional_db, live_server, browser, django_user_model):
    from communique.magazine.tests.factories import build_magazine
    from communique.translation.page_models import PageTranslationWork

    people = _people(django_user_model)
    mag = build_magazine(n_articles=2)
    article = mag["articles"][0]
    base = live_server.url
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The editor sends the article to Tina for Spanish.
    _sign_in(browser, page, base, "edna")
    _send(page, base, article.title, "Español (es)")
    assert "/admin/desk/page/" in page.url
    work = PageTranslationWork.objects.get()
    assert work.translator == people["tina"]

    # Tina signs in and finds it on her desk (the menu names the desk).
    _sign_in(browser, page, base, "tina")
    page.goto(base + "/admin/")
    page.get_by_role("link", name="Translator's desk").first.click()
    page.wait_for_load_state()
    assert "for translation</h2>" not in page.content()  # an editor's form, not hers
    shoot(page, "translator-desk")
    page.get_by_role("link", name=article.title).click()
    page.wait_for_load_state()
    title = _segment(page, "title")
    assert title.locator("[data-state]").get_attribute("data-state") == "new"

    # Machine draft by Apertium, then her own headline.
    page.get_by_role("button", name="Machine-translate empty segments on this page").click()
    page.wait_for_load_state()
    title = _segment(page, "title")
    assert title.locator("[data-state]").get_attribute("data-state") == "machine"
    drafted = title.locator("textarea[name=target]").input_value()
    assert "Capítulo" in drafted or "capítulo" in drafted, drafted
    assert "apertium" in title.inner_text()
    standfirst = _segment(page, "standfirst").locator("textarea[name=target]").input_value()
    assert "región" in standfirst, standfirst
    title.locator("textarea[name=target]").fill(HEADLINE_ES)
    title.get_by_role("button", name="Save translation").click()
    page.wait_for_load_state()
    title = _segment(page, "title")
    assert title.locator("[data-state]").get_attribute("data-state") == "translated"
    assert title.locator("textarea[name=target]").input_value() == HEADLINE_ES
    # A translator has no approve or publish buttons.
    assert page.get_by_role("button", name="Approve").count() == 0
    assert page.get_by_role("button", name="Publish translation").count() == 0
    shoot(page, "translator-editor")
    # The table's cells are segments too: the rest of the article is on the editor's next pages.
    from communique.translation.desk import SEGMENTS_PER_PAGE

    pages = range(1, -(-work.segments.count() // SEGMENTS_PER_PAGE) + 1)
    for number in pages[1:]:
        page.goto(base + f"/admin/desk/page/{work.pk}/?page={number}")
        page.get_by_role("button", name="Machine-translate empty segments on this page").click()
        page.wait_for_load_state()

    # The reviewer approves each editor page and publishes.
    _sign_in(browser, page, base, "edna")
    for number in pages:
        page.goto(base + f"/admin/desk/page/{work.pk}/?page={number}")
        page.get_by_role("button", name="Approve this page's translated segments").click()
        page.wait_for_load_state()
        pending = [c for c in page.locator("[data-state]").evaluate_all("els => els.map(e => e.dataset.state)")
                   if c != "approved"]
        # Segments with a QA error (if Apertium left one) are approved one by one over the error.
        for _ in pending:
            box = page.locator("section.seg", has=page.locator("[data-state]:not([data-state=approved])")).first
            box.locator("input[name=override]").check()
            box.get_by_role("button", name="Approve").click()
            page.wait_for_load_state()
    assert page.locator("[data-count=done]").inner_text() == str(work.segments.count())
    shoot(page, "translator-reviewed")
    page.get_by_role("button", name="Publish translation").click()
    page.wait_for_load_state()
    assert "Published" in page.content()
    work.refresh_from_db()
    assert work.published_by == people["edna"] and work.override_note == ""

    # A reader: the Spanish page, its switcher, lang and dir.
    browser.clear_cookies()
    spanish = article.get_translation(work.translation.target_locale)
    page.goto(base + spanish.url)
    assert page.locator("h1").inner_text().strip() == HEADLINE_ES
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.evaluate("document.documentElement.dir") == "ltr"
    switcher = page.get_by_role("navigation", name=re.compile("Idiomas|Languages"))
    assert switcher.get_by_role("link", name="Español").get_attribute("aria-current") == "true"
    hreflangs = page.eval_on_selector_all("link[rel=alternate][hreflang]", "ls => ls.map(l => l.hreflang)")
    assert {"en", "es", "x-default"} <= set(hreflangs)
    shoot(page, "translator-reader-es")
    switcher.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == article.title
    assert page.evaluate("document.documentElement.lang") == "en"


def test_arabic_translation_by_override_reads_right_to_left(
        transactional_db, live_server, browser, django_user_model):
    from communique.magazine.tests.factories import build_magazine
    from communique.translation.page_models import PageTranslationWork

    _people(django_user_model)
    mag = build_magazine(n_articles=1)
    article = mag["articles"][0]
    base = live_server.url
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(browser, page, base, "edna")
    _send(page, base, article.title, "العربية (ar)")
    work = PageTranslationWork.objects.get()

    _sign_in(browser, page, base, "tina")
    page.goto(base + f"/admin/desk/page/{work.pk}/")
    title = _segment(page, "title")
    assert title.locator("textarea[name=target]").get_attribute("dir") == "rtl"
    title.locator("textarea[name=target]").fill(HEADLINE_AR)
    title.get_by_role("button", name="Save translation").click()
    page.wait_for_load_state()
    shoot(page, "translator-editor-ar")

    # Only the headline is translated: publishing needs the editor's explicit override, recorded.
    _sign_in(browser, page, base, "edna")
    page.goto(base + f"/admin/desk/page/{work.pk}/")
    page.get_by_role("button", name="Publish translation").click()
    page.wait_for_load_state()
    assert "not every segment is approved" in page.content()
    page.locator("input[name=override][value='1']").last.check()
    page.get_by_role("button", name="Publish translation").click()
    page.wait_for_load_state()
    work.refresh_from_db()
    assert "override by edna" in work.override_note
    assert "override by edna" in page.content()

    browser.clear_cookies()
    arabic = article.get_translation(work.translation.target_locale)
    page.goto(base + arabic.url)
    assert page.locator("h1").inner_text().strip() == HEADLINE_AR
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    shoot(page, "translator-reader-ar")


URDU_NAME = "آصف درانی"
URDU_ROLE = "صدر، ادارہ برائے امن و سفارتی مطالعات"


def test_translator_translates_an_author_reader_sees_the_urdu_byline(
        transactional_db, live_server, browser, django_user_model):
    from pathlib import Path

    from wagtail.models import Locale

    from communique.magazine.tests.factories import build_magazine, translate_page
    from communique.translation.page_models import PageTranslationWork

    _people(django_user_model)
    mag = build_magazine(n_articles=1, with_images=False)
    article = mag["articles"][0]
    author = article.authors[0]
    translate_page(article, "ur", title="علاقائی توانائی سفارت کاری کا نیا باب")
    base = live_server.url
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})

    _sign_in(browser, page, base, "edna")
    page.goto(base + "/admin/desk/")
    form = page.locator("form.desk-assign")
    form.locator("select[name=page]").select_option(value=f"magazine.author:{author.pk}")
    form.locator("select[name=locale]").select_option(value=str(Locale.objects.get(language_code="ur").pk))
    form.locator("select[name=translator]").select_option(label="Tina")
    form.get_by_role("button", name="Send for translation").click()
    page.wait_for_load_state()
    work = PageTranslationWork.objects.get()

    _sign_in(browser, page, base, "tina")
    page.goto(base + "/admin/desk/")
    page.get_by_role("link", name=f"Author: {author.name}").click()
    page.wait_for_load_state()
    for context, text in (("name", URDU_NAME), ("role_line", URDU_ROLE)):
        box = _segment(page, context)
        assert box.locator("textarea[name=target]").get_attribute("dir") == "rtl"
        box.locator("textarea[name=target]").fill(text)
        box.get_by_role("button", name="Save translation").click()
        page.wait_for_load_state()
        assert _segment(page, context).locator("[data-state]").get_attribute("data-state") == "translated"
    assert page.get_by_role("button", name="Publish translation").count() == 0

    # The editor approves the two lines; the bio stays in English, so publishing is an override.
    _sign_in(browser, page, base, "edna")
    page.goto(base + f"/admin/desk/page/{work.pk}/")
    page.get_by_role("button", name="Approve this page's translated segments").click()
    page.wait_for_load_state()
    page.locator("input[name=override][value='1']").last.check()
    page.get_by_role("button", name="Publish translation").click()
    page.wait_for_load_state()
    work.refresh_from_db()
    assert work.published_at is not None

    browser.clear_cookies()
    page.goto(base + f"/ur/authors/{author.slug}/")
    assert page.locator("h1").inner_text().strip() == URDU_NAME
    assert URDU_ROLE in page.content()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.get_by_role("link", name="علاقائی توانائی سفارت کاری کا نیا باب").count() == 1
    # English words left untranslated (the bio, the card's standfirst) run left to right inside the
    # right-to-left page, so their full stop stays at their end.
    directions = page.evaluate("""[...document.querySelectorAll('.bio, .standfirst')]
        .map(e => [e.innerText.trim().slice(0, 12), getComputedStyle(e).direction])""")
    english = [d for text, d in directions if text[:1].isascii() and text[:1].isalpha()]
    assert english and set(english) == {"ltr"}, directions
    shoot(page, "translator-author-ur")
    # The Urdu article's byline names the translated author and links the Urdu author page.
    page.goto(base + type(article).objects.get(translation_key=article.translation_key,
                                               locale__language_code="ur").url)
    byline = page.get_by_role("link", name=URDU_NAME).first
    assert byline.get_attribute("href").startswith(f"/ur/authors/{author.slug}/")
    page.goto(base + f"/authors/{author.slug}/")
    assert page.locator("h1").inner_text().strip() == author.name
