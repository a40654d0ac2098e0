import shutil
import subprocess
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "books" / "sample" / "manuscript.md"


def _apertium_pair():
    exe = shutil.which("apertium")
    if not exe:
        return False
    modes = subprocess.run([exe, "-l"], capture_output=True, text=True, timeout=60).stdout.split()
    return "eng-spa" in modes


HAVE_APERTIUM = _apertium_pair()
needs_apertium = pytest.mark.skipif(not HAVE_APERTIUM, reason="Apertium with eng-spa is not installed "
                                    "(apt-get install apertium apertium-eng-spa)")

SMALL = """---
title: A Small Test Book
language: en
uuid: 0f6c1f8e-6a51-4a8e-9d3b-2f1d7f0d2a11
---

# The Red Car

The **big *red* car** is very fast[^n1]. It costs 12.4 billion dollars in Islamabad.

See [the report](https://example.org/report?a=1&b=2) and `code()` here.\\
A second line.

- First item with *emphasis*.
- Second item.

| Country | People |
|---|---|
| Pakistan | 240 million |

> A quotation about Russia.

# Dedication {.dedication}

For my mother.

[^n1]: A note about the *car*.
"""


@pytest.fixture
def small_doc(tmp_path):
    from communique.translation.adapter import read_manuscript

    path = tmp_path / "small.md"
    path.write_text(SMALL, encoding="utf-8")
    return read_manuscript(path)


@pytest.fixture(scope="session")
def sample_doc():
    from communique.translation.adapter import read_manuscript

    return read_manuscript(SAMPLE)


def _desk_user(django_user_model, name, group):
    from django.contrib.auth.models import Group

    u = django_user_model.objects.create_user(name, password=f"pw-{name}-123")
    u.groups.add(Group.objects.get(name=group))
    return u


@pytest.fixture
def people(django_user_model):
    """An editor and two translators, for the desk's tests (a module may define its own)."""
    return {"editor": _desk_user(django_user_model, "edna", "Editors"),
            "translator": _desk_user(django_user_model, "tina", "Translators"),
            "other": _desk_user(django_user_model, "otto", "Translators")}
