"""One change to WeasyPrint 70's line layout, so a footnote stays on its reference's page.

When a line does not fit and widows/orphans forbid breaking before it, WeasyPrint first tries to
make room by moving ("reporting") the page's last footnote to the next page, which parts a note
from its reference (seen in our books: the call on page 14, the note on page 15). A print book
would rather move the line. We rebuild `_linebox_layout` from WeasyPrint's own source with that
one condition switched off; if the source line is not there (another WeasyPrint version), the
module leaves WeasyPrint alone and `PATCHED` is False, and the footnote test shows whether it
is still needed.
"""
from __future__ import annotations

import inspect
import textwrap

from weasyprint.layout import block

_OLD = "report = not context.in_column and can_break_now and not could_break_before"
_NEW = "report = False  # communique: never move a footnote away from its call"


def _patch() -> bool:
    if getattr(block._linebox_layout, "_communique", False):
        return True
    source = textwrap.dedent(inspect.getsource(block._linebox_layout))
    if source.count(_OLD) != 1:
        return False
    namespace: dict = {}
    code = compile(source.replace(_OLD, _NEW), inspect.getsourcefile(block._linebox_layout), "exec")
    exec(code, block.__dict__, namespace)
    patched = namespace["_linebox_layout"]
    patched._communique = True
    block._linebox_layout = patched
    return True


PATCHED = _patch()
