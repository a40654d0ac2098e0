"""The Kindle marketing cover: a 1600 × 2560 px RGB JPEG.

From cover art (scaled to fill, then centre-cropped) or, with no art, a typographic cover
of title and author. Sizes and rules are KDP's (sheet §6.2, G6GTK3T3NUHKLEFX): ideal
1600 × 2560, at least 625 × 1000 without stretching, at most 10000 × 10000, RGB, ≤ 50 MB.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from . import facts


class CoverArtError(ValueError):
    pass


@dataclass
class EbookCover:
    path: Path
    width: int
    height: int
    warnings: list[str] = field(default_factory=list)


_SERIF_BOLD = ("DejaVuSerif-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
_SANS = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def font(names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _open_art(art) -> Image.Image:
    """Open without decoding first, so an oversized image is refused before it costs memory."""
    max_w, max_h = facts.EBOOK_COVER_MAX.value
    if isinstance(art, Image.Image):
        im = art
    else:
        source = io.BytesIO(art) if isinstance(art, (bytes, bytearray)) else art
        try:
            im = Image.open(source)
        except Image.DecompressionBombError as exc:
            raise CoverArtError(f"The cover art is too large to open safely: {exc}") from None
    if im.width > max_w or im.height > max_h:
        raise CoverArtError(f"The cover art is {im.width} × {im.height} px; KDP accepts at most "
                            f"{max_w} × {max_h} px, so please supply a smaller image.")
    return im


def _fit(im: Image.Image, size: tuple[int, int]) -> tuple[Image.Image, list[str]]:
    warnings = []
    min_w, min_h = facts.EBOOK_COVER_MIN.value
    if im.width < min_w or im.height < min_h:
        # KDP asks not to stretch a small image up to the minimum (sheet §6.2).
        raise CoverArtError(f"The cover art is {im.width} × {im.height} px, smaller than KDP's minimum "
                            f"of {min_w} × {min_h} px; stretching it would look blurred.")
    scale = max(size[0] / im.width, size[1] / im.height)
    if scale > 1:
        warnings.append(f"The art was enlarged {scale:.2f}× to fill {size[0]} × {size[1]} px and may look soft.")
    if abs(im.height / im.width - size[1] / size[0]) > 0.02:
        warnings.append("The art's shape differs from 1:1.6, so its edges were cropped.")
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "P"):
        # Transparency is not supported on Kindle (sheet §6.3): flatten onto white.
        im = im.convert("RGBA")
        bg = Image.new("RGB", im.size, "white")
        bg.paste(im, mask=im.getchannel("A"))
        im = bg
    return ImageOps.fit(im.convert("RGB"), size, Image.Resampling.LANCZOS), warnings


def _is_light(rgb: tuple[int, int, int]) -> bool:
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) > 200


def typographic_cover(title: str, author: str, *, subtitle: str = "", background: str = "#1d3557",
                      ink: str = "#f1faee", size: tuple[int, int] | None = None) -> Image.Image:
    """A plain cover: title large in the upper half, author at the foot."""
    w, h = size or facts.EBOOK_COVER_IDEAL.value
    im = Image.new("RGB", (w, h), background)
    draw = ImageDraw.Draw(im)
    margin = w // 10
    max_width = w - 2 * margin

    def block(text: str, names, start_size: int, y: int, max_lines: int) -> int:
        size_px = start_size
        while True:  # shrink until the text fits the width and line budget
            f = font(names, size_px)
            chars = max(4, int(max_width / (size_px * 0.55)))
            lines = textwrap.wrap(text, chars) or [""]
            fits = len(lines) <= max_lines and all(draw.textlength(line, font=f) <= max_width for line in lines)
            if fits or size_px <= 24:
                break
            size_px = int(size_px * 0.9)
        for line in lines:
            draw.text((w / 2, y), line, font=f, fill=ink, anchor="ma")
            y += int(size_px * 1.2)
        return y

    y = block(title, _SERIF_BOLD, w // 7, h // 5, 5)
    if subtitle:
        block(subtitle, _SANS, w // 18, y + h // 40, 3)
    draw.line((w * 0.35, h * 0.78, w * 0.65, h * 0.78), fill=ink, width=max(2, w // 400))
    block(author, _SANS, w // 14, int(h * 0.82), 2)
    return im


def make_ebook_cover(
    out_path: str | Path,
    *,
    title: str = "",
    author: str = "",
    art=None,
    subtitle: str = "",
    background: str = "#1d3557",
    quality: int = 90,
) -> EbookCover:
    """Write the eBook cover JPEG and return its path, size and any warnings.

    ``art``: a path, bytes or a PIL image; without it a typographic cover is drawn.
    Raises :class:`CoverArtError` for art larger than KDP's maximum or smaller than its minimum.
    """
    size = facts.EBOOK_COVER_IDEAL.value
    warnings: list[str] = []
    if art is not None:
        im = _open_art(art)
        try:
            cover, warnings = _fit(im, size)
        finally:
            if im is not art:  # close only what we opened
                im.close()
    else:
        if not title:
            raise CoverArtError("A typographic cover needs a title.")
        cover = typographic_cover(title, author, subtitle=subtitle, background=background, size=size)
    corners = [cover.getpixel(p) for p in ((0, 0), (size[0] - 1, 0), (0, size[1] - 1), (size[0] - 1, size[1] - 1))]
    if all(_is_light(c) for c in corners):
        # A light cover vanishes on Amazon's white page; KDP suggests a 3-4 px grey border (sheet §6.2).
        ImageDraw.Draw(cover).rectangle((0, 0, size[0] - 1, size[1] - 1), outline="#999999", width=4)
        warnings.append("A thin grey border was added because the cover is very light.")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    cover.save(out_path, "JPEG", quality=quality, optimize=True)
    mb = out_path.stat().st_size / (1024 * 1024)
    if mb > facts.EBOOK_COVER_MAX_MB.value:
        raise CoverArtError(f"The cover file is {mb:.1f} MB; KDP accepts at most {facts.EBOOK_COVER_MAX_MB.value} MB.")
    return EbookCover(out_path, cover.width, cover.height, warnings)
