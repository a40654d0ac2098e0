"""Images for the EPUB: RGB JPEG or opaque PNG, within a size Kindle handles, or a warning.

Kindle rejects CMYK, transparency, TIFF and animated GIF (kdp-facts 6.3). A file already in an
accepted form is copied byte for byte: re-encoding every JPEG would cost time and quality."""
from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# Largest side we ship; larger images are scaled down with a warning (KDP's cover maximum is
# 10,000 px and interior images gain nothing above ~3,000 px on an e-reader).
DEFAULT_MAX_SIDE = 3200
# Pillow refuses to open images above about 179 Mpx (its decompression-bomb guard). JPEGs can be
# decoded at 1/8 scale, so we accept them up to this many pixels; other formats are decoded in full
# and are refused above Pillow's own limit.
JPEG_HARD_MAX_PIXELS = 1_200_000_000
_pillow_guard_lock = threading.Lock()


@dataclass
class PreparedImage:
    data: bytes
    media_type: str  # image/jpeg or image/png
    extension: str
    width: int
    height: int


class ImageProblem(Exception):
    """The image cannot go into the book; the message says why."""


def _open_unguarded(path: Path) -> Image.Image:
    """Open an image whose pixel count we have already checked ourselves."""
    with _pillow_guard_lock:
        saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            return Image.open(path)
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def _header_size(path: Path) -> tuple[str, int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with _open_unguarded(path) as im:
                return im.format or "", im.width, im.height
    except UnidentifiedImageError:
        raise ImageProblem("not an image file Pillow can read (corrupt or unsupported format)") from None
    except OSError as exc:
        raise ImageProblem(f"cannot read image: {exc}") from None


def _has_transparency(im: Image.Image) -> bool:
    if im.mode in ("RGBA", "LA", "PA"):
        return im.getchannel("A").getextrema()[0] < 255
    if im.mode == "P" and "transparency" in im.info:
        return True
    return "transparency" in im.info


def _flatten(im: Image.Image) -> Image.Image:
    """Composite transparent pixels onto white, the page colour Kindle assumes."""
    rgba = im.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def prepare_image(path: Path, max_side: int = DEFAULT_MAX_SIDE) -> tuple[PreparedImage, list[str]]:
    """Return the bytes to embed and notes on what was changed. Raises ImageProblem if impossible."""
    path = Path(path)
    if not path.is_file():
        raise ImageProblem(f"file not found: {path}")
    fmt, width, height = _header_size(path)
    pixels = width * height
    notes: list[str] = []
    limit = Image.MAX_IMAGE_PIXELS or JPEG_HARD_MAX_PIXELS
    if fmt == "JPEG":
        if pixels > JPEG_HARD_MAX_PIXELS:
            raise ImageProblem(f"{width}×{height} px is too large to process ({pixels:,} pixels)")
    elif pixels > limit:
        raise ImageProblem(
            f"{width}×{height} px ({pixels:,} pixels) is above the {limit:,}-pixel safety limit for {fmt or 'this'} images"
        )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = _open_unguarded(path)
            try:
                if fmt == "JPEG" and max(width, height) > max_side:
                    # Decode at 1/2, 1/4 or 1/8 scale: a 20,000 px JPEG never becomes 1.2 GB of pixels.
                    im.draft(im.mode if im.mode in ("RGB", "L") else "RGB", (max_side, max_side))
                if getattr(im, "n_frames", 1) > 1:
                    notes.append(f"animated image ({im.n_frames} frames): only the first frame is kept")
                im.load()
            except Exception:
                im.close()
                raise
    except ImageProblem:
        raise
    except Exception as exc:  # Pillow raises many types for truncated or corrupt data
        raise ImageProblem(f"corrupt or unreadable image data ({type(exc).__name__}: {exc})") from None

    with im:
        if fmt in ("JPEG", "MPO") and im.mode in ("RGB", "L") and max(width, height) <= max_side:
            # Already acceptable: copy the original bytes untouched.
            data = path.read_bytes()
            return PreparedImage(data, "image/jpeg", "jpg", width, height), notes
        if fmt == "PNG" and im.mode in ("RGB", "L", "P") and not _has_transparency(im) and max(width, height) <= max_side:
            return PreparedImage(path.read_bytes(), "image/png", "png", width, height), notes

        exif_rotated = ImageOps.exif_transpose(im) if fmt in ("JPEG", "MPO", "TIFF", "WEBP") else None
        work = exif_rotated if exif_rotated is not None else im
        if work.mode == "CMYK":
            notes.append("converted from CMYK to RGB (Kindle does not support CMYK)")
            work = work.convert("RGB")
        lossless = fmt in ("PNG", "GIF", "BMP") or work.mode in ("P", "1", "LA", "PA")
        if _has_transparency(work):
            notes.append("transparency flattened onto white (Kindle does not support transparent images)")
            work = _flatten(work)
        if work.mode not in ("RGB", "L"):
            work = work.convert("RGB")
        if max(work.size) > max_side:
            w, h = work.size
            scale = max_side / max(w, h)
            work = work.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.LANCZOS)
            notes.append(f"downscaled from {width}×{height} px to {work.width}×{work.height} px")
        if fmt not in ("JPEG", "PNG", "MPO"):
            notes.append(f"converted from {fmt or 'unknown format'} to {'PNG' if lossless else 'JPEG'}")
        buf = io.BytesIO()
        if lossless:
            work.save(buf, "PNG", optimize=False)
            return PreparedImage(buf.getvalue(), "image/png", "png", work.width, work.height), notes
        work.save(buf, "JPEG", quality=90, optimize=True)
        return PreparedImage(buf.getvalue(), "image/jpeg", "jpg", work.width, work.height), notes
