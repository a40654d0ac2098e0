"""Screenshots of pages at desktop (1280 px) and phone (390 px) width, into $COMMUNIQUE_SCREENSHOTS
(default var/screenshots/ in the work tree, which CI keeps), checking on the way that nothing is
wider than the screen."""
import os
from pathlib import Path

from django.conf import settings

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def folder():
    path = Path(os.environ.get("COMMUNIQUE_SCREENSHOTS") or Path(settings.BASE_DIR) / "var" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def shoot(page, name):
    """Both widths; returns the paths. Fails if the page scrolls sideways at either width."""
    paths = []
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} at {width} px is {overflow} px wider than the screen"
        path = folder() / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size({"width": 1280, "height": 900})
    return paths
