"""Bidi isolation for Latin runs inside right-to-left text (issue 12 defect 3).

An English name or phrase with digits or punctuation inside Urdu or Arabic ("COP-29 (2024).")
is reordered by the bidi algorithm so its punctuation lands on the wrong side; isolating each
Latin run in <bdi dir="ltr"> keeps it whole, as HTML's bidi rules intend. Works on escaped text."""
from __future__ import annotations

import re

# A run starts and ends with a Latin letter or digit and may hold spaces and the punctuation
# that lives inside English phrases; it never swallows Arabic-script letters.
_LATIN_RUN = re.compile(
    r"(?<![A-Za-z0-9\u00C0-\u024F])"
    r"[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F'’.\-&/]*"
    r"(?:[ ,:()\-–][ ,:()\-–]*[A-Za-z0-9\u00C0-\u024F(][A-Za-z0-9\u00C0-\u024F'’.\-&/)]*)*"
)


def isolate_latin(escaped: str) -> str:
    """Wrap every Latin run of already-escaped text (no tags) in <bdi dir="ltr" class="latin">."""
    if not re.search(r"[A-Za-z]", escaped):
        return escaped

    def wrap(match: re.Match) -> str:
        run = match.group(0)
        # "&amp;" and friends are escapes, not words: keep entity text intact inside the run.
        return f'<bdi dir="ltr" class="latin">{run}</bdi>'

    # Entities (&amp; &lt; &#39;) must not be split: protect them while matching.
    parts = re.split(r"(&[A-Za-z#0-9]+;)", escaped)
    out = []
    for part in parts:
        out.append(part if part.startswith("&") and part.endswith(";") else _LATIN_RUN.sub(wrap, part))
    return "".join(out)
