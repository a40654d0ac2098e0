"""What a failed job tells the person who started it: a plain reason, never a traceback, a server
path or a temporary file name (issue 8, break 15). The full traceback stays in Job.error, which
only the editors' admin list and the logs show."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# An absolute POSIX path of two or more parts (/tmp/upload-x/manuscript.md, /srv/private/books/…).
_PATH = re.compile(r"(?<![\w:/.])/(?:[^\s/'\"“”‘’()<>,;]+/)+([^\s/'\"“”‘’()<>,;]*)")

GENERIC = ("Something went wrong on our side while running this job. The editors can see the "
           "details; try again later, or ask them if it keeps failing.")


def scrub(text: str, names: dict[str, str] | None = None) -> str:
    """`text` with the given paths or names replaced (e.g. a stored manuscript's path by the
    author's own file name), then every other absolute path reduced to its last part."""
    text = str(text)
    for old, new in sorted((names or {}).items(), key=lambda kv: -len(kv[0])):
        if old:
            text = text.replace(old, new)
    return _PATH.sub(lambda m: m.group(1) or "a folder on the server", text)


# Exceptions that mean a bug, not a problem the user can fix: their text ("'NoneType' object
# has no attribute 'x'", "KeyError: 'w:body'") helps nobody outside the logs.
_PROGRAMMING_ERRORS = (LookupError, AttributeError, TypeError, NameError, AssertionError, ArithmeticError,
                       RecursionError, MemoryError, ImportError)


def is_user_facing(exc: BaseException) -> bool:
    """ValidationError and the exceptions communique raises (ReaderError, KitError…) are written
    for the user; so is a plain message a job raised on purpose. Programming errors are not."""
    if isinstance(exc, ValidationError):
        return True
    if getattr(exc, "user_facing", None) is not None:
        return bool(exc.user_facing)
    if type(exc).__module__.startswith("communique."):
        return True
    return not isinstance(exc, _PROGRAMMING_ERRORS)


def plain_reason(exc: BaseException, names: dict[str, str] | None = None) -> str:
    if not is_user_facing(exc):
        return GENERIC
    if isinstance(exc, ValidationError):
        text = " ".join(exc.messages)
    else:
        text = str(exc).strip()
    text = " ".join(text.split())
    return scrub(text, names)[:1000] or GENERIC
