"""Simple original illustrations drawn with Pillow for the demo. Deterministic: the same code
draws the same bytes, so re-running the demo reuses the stored images."""
import math
from pathlib import Path

from PIL import Image, ImageDraw

W, H = 1200, 675


def _waves(d):
    d.rectangle((0, 0, W, H), fill=(18, 52, 96))
    for i in range(12, 0, -1):
        r = i * 48
        shade = 60 + i * 14
        d.ellipse((W // 2 - r, H // 2 - r, W // 2 + r, H // 2 + r), outline=(shade, shade + 20, 230), width=6)
    d.ellipse((W // 2 - 30, H // 2 - 30, W // 2 + 30, H // 2 + 30), fill=(245, 200, 80))


def _rivers(d):
    d.rectangle((0, 0, W, H), fill=(236, 232, 214))
    left = [(x, int(H * 0.25 + 120 * math.sin(x / 140))) for x in range(0, W // 2 + 1, 10)]
    right = [(x, int(H * 0.75 + 110 * math.sin(x / 120 + 1))) for x in range(0, W // 2 + 1, 10)]
    d.line(left, fill=(46, 139, 87), width=34)
    d.line(right, fill=(40, 110, 190), width=34)
    joined = [(W // 2 + x, int(H / 2 + 40 * math.sin(x / 90))) for x in range(0, W // 2 + 1, 10)]
    d.line([left[-1], (W // 2, H // 2)], fill=(46, 139, 87), width=34)
    d.line([right[-1], (W // 2, H // 2)], fill=(40, 110, 190), width=34)
    d.line(joined, fill=(43, 125, 140), width=52)


def _bars(d):
    d.rectangle((0, 0, W, H), fill=(247, 244, 236))
    colours = [(214, 94, 72), (232, 160, 64), (120, 170, 90), (60, 140, 170), (90, 80, 160)]
    for i, c in enumerate(colours):
        x = 160 + i * 190
        top = H - 90 - (i + 1) * 95
        d.rectangle((x, top, x + 120, H - 90), fill=c)
    d.line((100, H - 90, W - 100, H - 90), fill=(60, 60, 60), width=6)


def _book(d):
    d.rectangle((0, 0, W, H), fill=(214, 170, 80))
    d.polygon([(W // 2, 200), (260, 160), (260, 520), (W // 2, 560)], fill=(250, 246, 235), outline=(70, 50, 30))
    d.polygon([(W // 2, 200), (W - 260, 160), (W - 260, 520), (W // 2, 560)], fill=(250, 246, 235), outline=(70, 50, 30))
    d.line((W // 2, 200, W // 2, 560), fill=(70, 50, 30), width=5)
    for k in range(7):
        y = 230 + k * 40
        d.line((310, y - 10 + k * 2, W // 2 - 40, y + k * 2), fill=(150, 130, 110), width=4)
        d.line((W // 2 + 40, y + k * 2, W - 310, y - 10 + k * 2), fill=(150, 130, 110), width=4)


def _bubbles(d):
    d.rectangle((0, 0, W, H), fill=(250, 243, 235))
    d.rounded_rectangle((170, 140, 700, 420), radius=60, fill=(238, 110, 95))
    d.polygon([(260, 410), (230, 520), (360, 415)], fill=(238, 110, 95))
    d.rounded_rectangle((500, 260, 1030, 540), radius=60, fill=(40, 150, 150))
    d.polygon([(920, 530), (960, 630), (840, 535)], fill=(40, 150, 150))


def _windows(d):
    d.rectangle((0, 0, W, H), fill=(24, 26, 40))
    for row in range(8):
        for col in range(16):
            lit = (row * 7 + col * 11) % 5 in (0, 2)
            colour = (250, 214, 120) if lit else (52, 58, 84)
            x, y = 60 + col * 68, 60 + row * 70
            d.rectangle((x, y, x + 46, y + 46), fill=colour)


def _cover(d):
    d.rectangle((0, 0, W, H), fill=(128, 28, 40))
    for i in range(0, W, 60):
        d.rectangle((i, 0, i + 24, H), fill=(150, 40, 52))
    d.ellipse((W // 2 - 180, H // 2 - 180, W // 2 + 180, H // 2 + 180), fill=(245, 225, 190))


DRAWINGS = {"waves": _waves, "rivers": _rivers, "bars": _bars, "book": _book, "bubbles": _bubbles,
            "windows": _windows, "cover": _cover}


def draw(key: str, directory: Path) -> Path:
    img = Image.new("RGB", (W, H))
    DRAWINGS[key](ImageDraw.Draw(img))
    path = Path(directory) / f"communique-demo-{key}.png"
    img.save(path, format="PNG", optimize=False)
    return path
