"""Break 23: production started with a weak or empty DJANGO_SECRET_KEY (only a warning). It must
refuse to start, saying what is wrong with the key."""
import os
import secrets
import subprocess
import sys

import pytest

STRONG = secrets.token_urlsafe(50)


def _start_production(tmp_path, key):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="communique.settings.production", COMMUNIQUE_VAR_DIR=str(tmp_path))
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    return subprocess.run([sys.executable, "-c", "import django; django.setup(); print('started')"],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("key, why", [
    (None, "empty or not set"),
    ("", "empty or not set"),
    ("   ", "empty or not set"),
    ("short-but-random-Zx81", "at least 50"),
    ("ab" * 40, "different characters"),
    ("django-insecure-" + STRONG, "django-insecure-"),
    ("benchmark-only-secret", "published"),
    ("dev-only-not-secret-change-me", "published"),
])
def test_production_refuses_weak_secret_key(tmp_path, key, why):
    result = _start_production(tmp_path, key)
    assert result.returncode != 0 and "started" not in result.stdout, f"production started with key {key!r}"
    assert "ImproperlyConfigured" in result.stderr and why in result.stderr, result.stderr[-800:]
    if key and key.strip():
        assert key not in result.stderr, "the refusal must not print the key itself"


def test_production_starts_with_a_strong_key(tmp_path):
    result = _start_production(tmp_path, STRONG)
    assert result.returncode == 0 and "started" in result.stdout, result.stderr[-2000:]
