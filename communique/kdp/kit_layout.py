"""The kit's layout: the files a KDP kit folder holds, and the error every kit step raises."""
from __future__ import annotations

EPUB = "ebook.epub"
EBOOK_COVER = "ebook-cover.jpg"
INTERIOR = "interior.pdf"
COVER = "cover.pdf"
COVER_PREVIEW = "cover-preview.png"
METADATA_JSON, METADATA_HTML = "metadata.json", "metadata.html"
ONIX = "onix.xml"
PRICES_JSON, PRICES_HTML = "prices.json", "prices.html"
PREFLIGHT_JSON, PREFLIGHT_HTML = "preflight.json", "preflight.html"
UPLOAD_STEPS_HTML = "upload-steps.html"
KIT_FILES = [EPUB, EBOOK_COVER, INTERIOR, COVER, COVER_PREVIEW, METADATA_JSON, METADATA_HTML, ONIX,
             PRICES_JSON, PRICES_HTML, PREFLIGHT_JSON, PREFLIGHT_HTML, UPLOAD_STEPS_HTML]


class KitError(Exception):
    """The kit could not be built; the message says which step and why."""
