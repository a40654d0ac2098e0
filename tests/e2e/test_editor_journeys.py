"""An editor's two paths of issue 12, walked in Wagtail's admin in Debian's Chromium: choosing the
home page's lead story and featured slots with the page chooser, then publishing; and scheduling
an article for the next minute (the admin's picker keeps whole minutes), which a separate `communique worker` process (the job worker the
demo and production run) publishes with nobody running a command."""
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from .screens import shoot

pytestmark = pytest.mark.browser


def sign_in_admin(page, site, django_user_model):
    django_user_model.objects.create_superuser("esther", "esther@example.org", "pw-esther-2026")
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "esther")
    page.fill("#id_password", "pw-esther-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def choose_page(page, field, title):
    """Open the page chooser of `field` (a form-field wrapper locator), search, pick by title."""
    field.get_by_role("button", name="Choose a page").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("textbox").first.fill(title)
    modal.get_by_role("link", name=title, exact=True).first.click()
    page.locator(".modal-dialog").wait_for(state="hidden")


def publish(page):
    """Wagtail's Publish sits in the footer's action menu."""
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_load_state()


def test_editor_chooses_lead_and_featured_stories_and_the_home_page_shows_them(
        transactional_db, live_server, browser, django_user_model):
    from communique.magazine.tests.factories import build_magazine

    mag = build_magazine(n_articles=8)
    by_age = sorted(mag["articles"], key=lambda a: a.date)
    lead, first, second = by_age[0], by_age[1], by_age[2]  # the oldest: never what the fallback picks
    page = browser.new_page()
    site = live_server.url
    sign_in_admin(page, site, django_user_model)

    page.goto(site + f"/admin/pages/{mag['home'].pk}/edit/")
    choose_page(page, page.locator("[data-contentpath=lead_story]"), lead.title)
    for n, article in enumerate((first, second)):
        page.locator("#id_featured_links-ADD").click()
        slot = page.locator("#id_featured_links-FORMS [data-inline-panel-child]").nth(n)
        choose_page(page, slot, article.title)
    shoot(page, "admin-home-curation")
    publish(page)
    assert "published" in page.locator(".messages").inner_text().lower()

    page.goto(site + "/")
    assert page.locator(".lead-title").inner_text().strip() == lead.title
    cards = [t.strip() for t in page.locator(".featured .card-title").all_inner_texts()]
    assert cards == [first.title, second.title]
    # Each story once: the chosen ones are not repeated in the section grids below.
    grids = [t.strip() for t in page.locator(".section-block .card-title").all_inner_texts()]
    assert grids and not {lead.title, first.title, second.title} & set(grids)
    shoot(page, "home-curated")


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    """`communique worker` in its own process, on the test database, its clock ticking each second."""
    from communique.magazine import page_cache

    log = open(tmp_path / "worker.log", "w")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="communique.settings.dev",
        DATABASE_URL=database_url(),
        COMMUNIQUE_VAR_DIR=str(tmp_path),
        # the same machine: the worker's purges must reach the live server's per-process cache
        COMMUNIQUE_GENERATION_FILE=str(page_cache._shared_counter()),
        COMMUNIQUE_JOBS_BACKEND="database",
        COMMUNIQUE_SCHEDULER_SECONDS="1",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen([Path(sys.executable).with_name("communique"), "worker"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    yield proc
    proc.terminate()  # lets the current job finish; on a loaded machine that can take a while
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def test_editor_schedules_an_article_and_the_worker_publishes_it(
        transactional_db, live_server, browser, django_user_model, worker):
    from communique.magazine.models import ArticlePage
    from communique.magazine.tests.factories import build_magazine

    mag = build_magazine(n_articles=3)
    section = mag["section"]["news"]
    page = browser.new_page()
    site = live_server.url
    sign_in_admin(page, site, django_user_model)

    title = "Published while nobody watched"
    page.goto(site + f"/admin/pages/add/magazine/articlepage/{section.pk}/")
    page.fill("#id_title", title)
    page.locator("#id_title").blur()
    page.fill("#id_standfirst", "Scheduled for the next minute.")
    # The "Schedule publishing" dialog from the status side panel. Its date picker keeps whole
    # minutes, so the next whole minute at least 20 s ahead (the form's round trip on a loaded
    # machine takes seconds itself).
    page.locator("[data-side-panel-toggle=status]").click()
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.locator("#schedule-publishing-dialog")
    ahead = timezone.localtime(timezone.now() + timedelta(seconds=80)).replace(second=0, microsecond=0)
    dialog.locator("#id_go_live_at").fill(ahead.strftime("%Y-%m-%d %H:%M"))
    # The date picker stays open over the dialog's buttons (a click elsewhere in the modal does not
    # close it), so the editor saves the way a keyboard user does: focus the button, press Enter.
    shoot(page, "admin-schedule-dialog")
    dialog.get_by_role("button", name="Save schedule").press("Enter")
    # For a new page the dialog saves a draft and reloads the editor: act on the page it lands on.
    page.wait_for_load_state("networkidle")
    dialog.wait_for(state="hidden")
    publish(page)
    assert "scheduled" in page.locator(".messages").inner_text().lower(), page.locator(".messages").inner_text()
    assert not ArticlePage.objects.filter(title=title, live=True).exists()

    page.goto(site + section.url)
    assert title not in page.locator("main").inner_text()
    assert ArticlePage.objects.get(title=title).go_live_at == ahead
    deadline = time.monotonic() + 150
    while title not in page.locator("main").inner_text():
        assert worker.poll() is None, "the worker stopped"
        assert time.monotonic() < deadline, "the scheduled article did not appear 1.5 minutes after its time"
        page.wait_for_timeout(1000)
        page.reload()
    article = ArticlePage.objects.get(title=title)
    assert article.live and article.first_published_at >= article.go_live_at - timedelta(seconds=1)
    shoot(page, "section-after-schedule")
