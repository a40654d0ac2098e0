"""What makes a DJANGO_SECRET_KEY unfit for production. The thresholds are Django's own (the ones
`check --deploy` warns about as security.W009); production refuses to start instead of warning,
because a guessable key lets anyone forge sessions, password-reset links and signed cookies."""
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)

# Keys that ship in this repository or its docs are public, however long.
KNOWN_PUBLIC_KEYS = {"dev-only-not-secret-change-me", "benchmark-only-secret"}
HOW_TO_MAKE_ONE = (
    "make one with: python3 -c \"import secrets; print(secrets.token_urlsafe(50))\""
)


def secret_key_problem(key: str | None) -> str | None:
    """Why `key` must not be used in production, or None when it is fit."""
    if not key or not key.strip():
        return "DJANGO_SECRET_KEY is empty or not set"
    if key in KNOWN_PUBLIC_KEYS:
        return "DJANGO_SECRET_KEY is a key published with Communiqué's source"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"DJANGO_SECRET_KEY starts with {SECRET_KEY_INSECURE_PREFIX!r}, the prefix of keys made for development"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"DJANGO_SECRET_KEY is {len(key)} characters long; production needs at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (f"DJANGO_SECRET_KEY has only {len(set(key))} different characters; production needs at least "
                f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS}")
    return None


def require_strong_secret_key(key: str | None) -> str:
    from django.core.exceptions import ImproperlyConfigured

    problem = secret_key_problem(key)
    if problem:
        raise ImproperlyConfigured(f"{problem}: {HOW_TO_MAKE_ONE}")
    return key
