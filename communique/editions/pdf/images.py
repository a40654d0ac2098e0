"""Image checks for print: readable, not a decompression bomb, and 300 DPI at the printed size.

The printed size is decided here (fit the text width, at most 60% of the text height) and
written into the HTML, so the effective resolution we report is the one that gets printed.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PIL import Image as PILImage

MIN_DPI = 300  # KDP: images at 300 DPI or more (kdp-facts §4.4)
# Above this many pixels we refuse the image rather than let Pillow (or WeasyPrint, which
# decodes it again) allocate gigabytes: 20,000 × 20,000 px RGBA is 1.6 GB. 60 MP is more than
# a full-bleed A4 page needs at 600 DPI (4960 × 7016 = 35 MP).
MAX_PIXELS = 60_000_000


@dataclass
class PlacedImage:
    path: Path
    width_in: float
    height_in: float
    dpi: float
    pixels: tuple[int, int]


def place_image(path: Path, max_width_in: Decimal | float, max_height_in: Decimal | float,
                warn) -> PlacedImage | None:
    """Return where and how large the image prints, or None (after warning) if it cannot."""
    where = f"image {path}"
    path = Path(path)
    if not path.is_file():
        warn(where, "file not found; left out of the PDF")
        return None
    try:
        with warnings.catch_warnings():
            # Pillow warns (and above 2× raises) for huge images; we check the size ourselves.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            old_limit = PILImage.MAX_IMAGE_PIXELS
            PILImage.MAX_IMAGE_PIXELS = None  # only the header is read here
            try:
                with PILImage.open(path) as im:
                    size = im.size
                    fmt = im.format
                    if size[0] * size[1] <= MAX_PIXELS:
                        im.verify()  # catches truncated or corrupt files without decoding pixels twice
            finally:
                PILImage.MAX_IMAGE_PIXELS = old_limit
    except Exception as exc:  # Pillow raises many types for bad files
        warn(where, f"cannot be read as an image ({exc.__class__.__name__}: {exc}); left out of the PDF")
        return None
    w_px, h_px = size
    if w_px <= 0 or h_px <= 0:
        warn(where, "has no pixels; left out of the PDF")
        return None
    if w_px * h_px > MAX_PIXELS:
        warn(where, f"is {w_px} × {h_px} px ({w_px * h_px / 1e6:.0f} MP), over the {MAX_PIXELS // 1_000_000} MP "
                    "limit that guards against decompression bombs; refused and left out of the PDF")
        return None
    if fmt not in {"JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP"}:
        warn(where, f"format {fmt} may not print; convert it to PNG or JPEG")
    max_w, max_h = float(max_width_in), float(max_height_in)
    scale = min(max_w / w_px, max_h / h_px)
    width_in, height_in = w_px * scale, h_px * scale
    dpi = w_px / width_in
    if dpi < MIN_DPI:
        warn(where, f"prints at {dpi:.0f} DPI ({w_px} × {h_px} px at {width_in:.2f} × {height_in:.2f} in); "
                    f"print needs at least {MIN_DPI} DPI")
    return PlacedImage(path, round(width_in, 4), round(height_in, 4), dpi, (w_px, h_px))
