"""Issue 12, books side, walked in Debian's Chromium as people do it: an editor invites an author
by email; the author opens the link, chooses a password and lands in the portal; creates a book,
uploads the sample manuscript (communique/books/sample, with its pictures, as a .zip), previews
it at phone and Kindle sizes, sets a store price, uploads a finished cover, builds the kit (the
test's inline job backend, as the other journeys) and downloads kit.zip, whose contents are
checked. Every page is photographed at desktop and 390 px into var/screenshots/."""
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

SAMPLE = Path(settings.BASE_DIR) / "communique" / "books" / "sample"
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        page.screenshot(path=str(SHOTS / f"author-{name}-{label}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} at {width} px is {overflow} px wider than the screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def styled(page, selector):
    """Portal controls carry the site's form styles, not the browser's defaults."""
    return page.evaluate(
        "s => { const e = document.querySelector(s); const c = getComputedStyle(e);"
        " return {pad: parseFloat(c.paddingTop), radius: parseFloat(c.borderTopLeftRadius),"
        " bg: c.backgroundColor}; }", selector)


def sample_zip(tmp_path) -> Path:
    path = tmp_path / "the-quiet-channel.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLE / "manuscript.md", "manuscript.md")
        for image in sorted((SAMPLE / "images").iterdir()):
            zf.write(image, f"images/{image.name}")
    return path


def front_cover(tmp_path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1600, 2560), (18, 64, 120))
    ImageDraw.Draw(image).rectangle((200, 900, 1400, 1300), fill=(240, 200, 60))
    path = tmp_path / "finished-front.jpg"
    image.save(path, "JPEG", quality=88)
    return path


def test_invited_author_previews_prices_covers_builds_and_downloads(live_server, browser, django_user_model,
                                                                     tmp_path, mailoutbox):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("edith", password="pw-edith-2026", first_name="Edith")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    # The editor invites the author from the portal's Authors page.
    page.goto(live_server.url + "/portal/authors/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "pw-edith-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/authors/"), page.url
    assert styled(page, "#id_email")["pad"] >= 6
    shoot(page, "invitations")
    page.fill("#id_email", "farah@example.org")
    page.fill("#id_name", "Farah Invited")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert "Invitation sent to farah@example.org" in page.locator(".messages").inner_text()
    shoot(page, "invitation-sent")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["farah@example.org"]
    link = re.search(r"http\S+/portal/invitation/\S+/", mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    # The author follows the emailed link, chooses a password and lands in the portal.
    page.goto(link)
    assert "farah@example.org" in page.locator("main").inner_text()
    assert page.input_value("#id_first_name") == "Farah"
    shoot(page, "invitation-accept")
    page.fill("#id_username", "farah")
    page.fill("#id_password1", "quiet channel 2026!")
    page.fill("#id_password2", "quiet channel 2026!")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    assert page.url.endswith("/portal/"), page.url
    assert "Welcome, Farah" in page.locator(".messages").inner_text()
    shoot(page, "portal-welcome")

    # A book, then the sample manuscript with its pictures.
    page.get_by_role("link", name="New book", exact=True).click()
    page.wait_for_load_state()
    page.fill("#id_title", "The Quiet Channel")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.set_input_files("input[type=file]", str(sample_zip(tmp_path)))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_load_state()
    assert "the-quiet-channel.zip" in page.locator("main").inner_text()
    page.get_by_role("link", name="Back to the book").click()
    page.wait_for_load_state()
    shoot(page, "book")

    # Preview at phone and Kindle sizes.
    page.locator(".book-tabs").get_by_role("link", name="Preview").click()
    page.wait_for_load_state()
    frame = page.frame_locator("iframe")
    assert "The Quiet Channel" in frame.locator(":is(header, section).titlepage h1").first.inner_text(timeout=120_000)
    assert page.locator("iframe").get_attribute("width") == "390"
    assert frame.locator("section.division h1").count() >= 5
    shoot(page, "preview-phone")
    page.get_by_role("link", name=re.compile("^Kindle")).click()
    page.wait_for_load_state()
    assert page.locator("iframe").get_attribute("width") == "600"
    box = page.locator("iframe").bounding_box()
    assert round(box["width"]) == 600 and round(box["height"]) == 800, box
    assert frame.locator("figure img").count() >= 1  # the pictures came with the zip
    shoot(page, "preview-kindle")

    # An explicit UK eBook price; the rest stay converted, with the rates' date shown.
    page.locator(".book-tabs").get_by_role("link", name="Prices").click()
    page.wait_for_load_state()
    assert "rates as of" in page.locator("#rates-note").inner_text()
    assert styled(page, "#id_ebook_UK")["pad"] >= 6
    page.fill("#id_ebook_UK", "3.49")
    page.get_by_role("button", name="Save prices").click()
    page.wait_for_load_state()
    assert "1 store price set by you" in page.locator(".messages").inner_text()
    assert page.input_value("#id_ebook_UK") == "3.49"
    shoot(page, "prices")

    # A finished front cover.
    page.locator(".book-tabs").get_by_role("link", name="Cover").click()
    page.wait_for_load_state()
    page.set_input_files("input[type=file]", str(front_cover(tmp_path)))
    page.get_by_role("button", name="Upload the cover").click()
    page.wait_for_load_state()
    assert "finished-front.jpg" in page.locator("main").inner_text()
    shoot(page, "cover")

    # Build (the inline job backend runs it within the request) and download the kit.
    page.locator(".book-tabs").get_by_role("link", name="Overview").click()
    page.wait_for_load_state()
    page.set_default_timeout(900_000)
    page.get_by_role("button", name="Build the kit from the latest manuscript").click()
    page.wait_for_load_state()
    deadline = time.monotonic() + 900
    while "Download the whole kit" not in page.locator("main").inner_text():
        assert "The build failed" not in page.locator("main").inner_text(), page.locator("main").inner_text()[:2000]
        assert time.monotonic() < deadline, "the kit was not built in 15 minutes"
        page.wait_for_timeout(2000)
        page.reload()
    page.set_default_timeout(30_000)
    shoot(page, "kit")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the whole kit (.zip)").click()
    with zipfile.ZipFile(download_info.value.path()) as kit:
        names = set(kit.namelist())
        assert {"ebook.epub", "interior.pdf", "cover.pdf", "ebook-cover.jpg", "prices.json", "preflight.html",
                "upload-steps.html"} <= names, names
        prices = json.loads(kit.read("prices.json"))
        uk = next(r for r in prices["ebook"] if r["marketplace"] == "UK")
        assert uk["list_price"] == "3.49" and uk["price_source"] == "author"
        assert prices["exchange_rates_as_of"]
        meta = json.loads(kit.read("metadata.json"))
        assert "front_art" in {e["name"] for e in meta["layout"]["cover_elements"]}
        from PIL import Image

        with Image.open(io.BytesIO(kit.read("ebook-cover.jpg"))) as im:
            r, g, b = im.convert("RGB").resize((1, 1)).getpixel((0, 0))
        assert b > r + 40, (r, g, b)  # the author's dark-blue picture, not a drawn cover
        assert kit.getinfo("interior.pdf").external_attr >> 16 & 0o777 == 0o644
    assert errors == [], errors
