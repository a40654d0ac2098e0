"""A plain typographic cover for books that have no cover image, so every EPUB has one
(Kindle and most reading systems show a blank tile otherwise)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, features

from communique.editions.fonts import fonts_for

from .images import PreparedImage

WIDTH, HEIGHT = 1200, 1920  # KDP's 1.6 height-to-width ratio
BACKGROUND = (28, 42, 64)
INK = (245, 240, 228)


def _wrap(draw, text, font, max_width, direction):
    words = text.split()
    lines, line = [], ""
    for w in words:
        candidate = f"{line} {w}".strip()
        if draw.textlength(candidate, font=font, direction=direction) <= max_width or not line:
            line = candidate
        else:
            lines.append(line)
            line = w
    if line:
        lines.append(line)
    return lines


def draw_cover(title: str, subtitle: str, authors: list[str], language: str, direction: str) -> PreparedImage:
    faces = fonts_for(language)
    bold = next((f for f in faces if f.weight == "bold" and f.style == "normal"), faces[0])
    regular = faces[0]
    # Complex scripts need Raqm for shaping; without it Arabic letters would be drawn unjoined.
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    pil_dir = direction if layout == ImageFont.Layout.RAQM else None
    im = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(im)
    margin = 110
    draw.rectangle([margin // 2, margin // 2, WIDTH - margin // 2, HEIGHT - margin // 2], outline=INK, width=4)
    y = 420
    for text, face, size, gap in ((title, bold, 110, 30), (subtitle, regular, 60, 20)):
        if not text:
            continue
        font = ImageFont.truetype(str(face.path), size, layout_engine=layout)
        for line in _wrap(draw, text, font, WIDTH - 2 * margin, pil_dir):
            w = draw.textlength(line, font=font, direction=pil_dir)
            draw.text(((WIDTH - w) / 2, y), line, font=font, fill=INK, direction=pil_dir)
            y += int(size * 1.35)
        y += gap + 40
    if authors:
        font = ImageFont.truetype(str(regular.path), 64, layout_engine=layout)
        line = ", ".join(authors)
        lines = _wrap(draw, line, font, WIDTH - 2 * margin, pil_dir)
        yy = HEIGHT - 300 - (len(lines) - 1) * 90
        for ln in lines:
            w = draw.textlength(ln, font=font, direction=pil_dir)
            draw.text(((WIDTH - w) / 2, yy), ln, font=font, fill=INK, direction=pil_dir)
            yy += 90
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=88)
    return PreparedImage(buf.getvalue(), "image/jpeg", "jpg", WIDTH, HEIGHT)
