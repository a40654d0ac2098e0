"""Open fonts shipped in the repo so EPUB and PDF builds never depend on the host's fonts.

All files are Noto (SIL Open Font License 1.1, see OFL.txt) from Debian's fonts-noto-core and
fonts-noto-cjk; the Devanagari and CJK faces are subsets made by make_subsets.py (FONTS.md).
Which family a language takes is the language registry's business (documents/languages.py).
Writers ask `fonts_for(language)` for the faces a book in that language needs; the EPUB writer
embeds them and the PDF writer points @font-face at them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from communique.documents.languages import get as get_language

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
        # EPUB 3.3 core media types; KDP takes TrueType and OpenType (CFF).
        return "font/otf" if self.path.suffix.lower() == ".otf" else "font/ttf"


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

DEVANAGARI = (
    _face("Noto Serif Devanagari", "NotoSerifDevanagari-Regular.ttf"),
    _face("Noto Serif Devanagari", "NotoSerifDevanagari-Bold.ttf", weight="bold"),
    _face("Noto Sans Devanagari", "NotoSansDevanagari-Bold.ttf", weight="bold", role="heading"),
)
# Chinese books set bold (headings, emphasis) in the sans (heiti), not a bolder serif (songti):
# the bold face is the Sans CJK file under the body family's name.
CJK_SC = (
    _face("Noto Serif CJK SC", "NotoSerifCJKsc-Regular.otf"),
    _face("Noto Serif CJK SC", "NotoSansCJKsc-Bold.otf", weight="bold"),
)
CJK_TC = (
    _face("Noto Serif CJK TC", "NotoSerifCJKtc-Regular.otf"),
    _face("Noto Serif CJK TC", "NotoSansCJKtc-Bold.otf", weight="bold"),
)

# Shipped faces per family named in the language registry (communique.documents.languages).
_FAMILY_FACES = {
    "Noto Nastaliq Urdu": NASTALIQ,
    "Noto Naskh Arabic": NASKH,
    "Noto Serif Devanagari": DEVANAGARI,
    "Noto Serif CJK SC": CJK_SC,
    "Noto Serif CJK TC": CJK_TC,
}


def _script_faces(language: str) -> tuple[FontFace, ...]:
    return _FAMILY_FACES.get(get_language(language).fonts.body, ())


def fonts_for(language: str) -> list[FontFace]:
    """The font faces a book in `language` (a BCP 47 tag such as "en", "ur-PK") needs, body faces
    first. The Latin faces stay in every set so names, numbers and quotations in Latin script
    render."""
    script = _script_faces(language)
    return [*script, *SERIF, *SANS]


def _families(faces: tuple[FontFace, ...], role: str) -> list[str]:
    names = []
    for face in faces:
        if face.role == role and face.family not in names:
            names.append(face.family)
    return names


def body_family(language: str) -> str:
    """The CSS font-family list for running text in `language`."""
    script = _script_faces(language)
    return ", ".join([f'"{f}"' for f in _families(script, "body")] + ['"Noto Serif"', "serif"])


def heading_family(language: str) -> str:
    script = _script_faces(language)
    names = _families(script, "heading") or _families(script, "body")
    return ", ".join([f'"{f}"' for f in names] + ['"Noto Sans"', "sans-serif"])
