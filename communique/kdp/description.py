"""Book description HTML, cut down to the tags KDP keeps.

KDP shows only <br> <p> <b> <em> <i> <u> <h4> <h5> <h6> <ol> <ul> <li> and removes links,
images, tables, div/span and inline CSS; the 4,000-character limit counts the tags
(sheet §7.2; ebookpbook.com, zenebookai.com, kdp_data.py). publishrank.io says <strong> and
<h1>-<h3> also work [CONFLICT], so those are converted to the safe set rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3

from . import facts

# Tags whose meaning survives in a safe tag; the rest lose their markup but keep their text.
_CONVERT = {"strong": "b", "h1": "h4", "h2": "h4", "h3": "h4", "div": "p", "cite": "i", "s": "u"}
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


@dataclass
class CleanDescription:
    html: str
    changes: list[str] = field(default_factory=list)  # one plain sentence per kind of change

    @property
    def length(self) -> int:
        return len(self.html)


def tags_used(html: str) -> set[str]:
    return {m.group(2).lower() for m in _TAG.finditer(html or "")}


def sanitize_description(html: str) -> CleanDescription:
    """Convert what has a safe equivalent, strip other tags (keeping their text), drop
    attributes, scripts and comments."""
    html = html or ""
    allowed = facts.DESCRIPTION_TAGS.value
    changes: list[str] = []
    used = tags_used(html)
    for tag in sorted(used & set(_CONVERT)):
        changes.append(f"<{tag}> was changed to <{_CONVERT[tag]}>.")
    for tag in sorted(used - allowed - set(_CONVERT)):
        changes.append(f"<{tag}> is not shown by Amazon, so it was removed (its text was kept).")

    def rename(m: re.Match) -> str:
        closing, tag = m.group(1), m.group(2).lower()
        return f"<{closing}{_CONVERT[tag]}>" if tag in _CONVERT else m.group(0)

    converted = _TAG.sub(rename, html)
    clean = nh3.clean(converted, tags=set(allowed), attributes={}, link_rel=None, strip_comments=True)
    # A <div> wrapped around block content leaves empty paragraphs behind once it becomes <p>.
    clean = re.sub(r"<p>\s*</p>", "", clean)
    if re.search(r"<[^>]+\s[a-zA-Z-]+\s*=", html):
        changes.append("Attributes such as style, class and href were removed.")
    return CleanDescription(clean.strip(), changes)
