"""Open fonts shipped in the repo so EPUB and PDF builds never depend on the host's fonts.

All files are Noto (SIL Open Font License 1.1, see OFL.txt) copied from Debian's fonts-noto-core.
Writers ask `fonts_for(language)` for the faces a book in that language needs; the EPUB writer
embeds them and the PDF writer points @font-face at them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent
LICENSE_FILE = FONTS_DIR / "OFL.txt"


@dataclass(frozen=True)
class FontFace:
    family: str  # CSS font-family name
    path: Path
    weight: str = "normal"  # CSS font-weight
    style: str = "normal"  # CSS font-style
    role: str = "body"  # "body" (running text) or "heading"

    @property
    def filename(self) -> str:
        return self.path.name

    @property
    def media_type(self) -> str:
        # EPUB 3.3 core media type for TrueType; KDP takes TrueType and OpenType.
        return "font/ttf"


def _face(family, filename, weight="normal", style="normal", role="body"):
    return FontFace(family, FONTS_DIR / filename, weight, style, role)


SERIF = (
    _face("Noto Serif", "NotoSerif-Regular.ttf"),
    _face("Noto Serif", "NotoSerif-Italic.ttf", style="italic"),
    _face("Noto Serif", "NotoSerif-Bold.ttf", weight="bold"),
    _face("Noto Serif", "NotoSerif-BoldItalic.ttf", weight="bold", style="italic"),
)
SANS = (
    _face("Noto Sans", "NotoSans-Regular.ttf", role="heading"),
    _face("Noto Sans", "NotoSans-Bold.ttf", weight="bold", role="heading"),
)
NASKH = (
    _face("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf"),
    _face("Noto Naskh Arabic", "NotoNaskhArabic-Bold.ttf", weight="bold"),
)
NASTALIQ = (
    _face("Noto Nastaliq Urdu", "NotoNastaliqUrdu-Regular.ttf"),
    _face("Noto Nastaliq Urdu", "NotoNastaliqUrdu-Bold.ttf", weight="bold"),
)

# Urdu is written in Nastaliq by convention; Arabic-script languages without a Nastaliq tradition
# take Naskh. The Latin faces stay in every set so names, numbers and quotations in Latin script render.
_SCRIPT_FACES = {
    "ur": NASTALIQ,
    "ar": NASKH,
    "fa": NASKH,
    "ps": NASKH,
    "sd": NASKH,
    "ckb": NASKH,
    "ug": NASKH,
}


def fonts_for(language: str) -> list[FontFace]:
    """The font faces a book in `language` (a BCP 47 tag such as "en", "ur-PK") needs, body faces first."""
    primary = (language or "en").split("-")[0].lower()
    script = _SCRIPT_FACES.get(primary, ())
    return [*script, *SERIF, *SANS]


def body_family(language: str) -> str:
    """The CSS font-family list for running text in `language`."""
    primary = (language or "en").split("-")[0].lower()
    script = _SCRIPT_FACES.get(primary)
    families = ([f'"{script[0].family}"'] if script else []) + ['"Noto Serif"', "serif"]
    return ", ".join(families)


def heading_family(language: str) -> str:
    primary = (language or "en").split("-")[0].lower()
    script = _SCRIPT_FACES.get(primary)
    families = ([f'"{script[0].family}"'] if script else []) + ['"Noto Sans"', "sans-serif"]
    return ", ".join(families)
