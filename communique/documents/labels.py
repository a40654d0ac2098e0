"""Front- and back-matter labels per language ("Contents", the copyright page, "First edition",
"Notes"), kept as data like Pandoc's data/translations/<lang>.yaml: one file per language in
data/labels/, English filling any key a translation lacks. Writers take their words from here,
so an edition in any configured language carries its own labels.

    labels = labels_for("tr"); labels["contents"] → "İçindekiler"
    labels.format("copyright_line", year="2026", holder="Ada") → "Telif hakkı © 2026 Ada"
    labels.edition("1") → "Birinci baskı"
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from communique.documents.languages import get as get_language

LABELS_DIR = Path(__file__).resolve().parent / "data" / "labels"


class Labels(dict):
    language: str = "en"

    def format(self, key: str, **values) -> str:
        return self[key].format(**values)

    def edition(self, value: str) -> str:
        """'1' → the language's "First edition"; words the author wrote stay as they are."""
        value = (value or "").strip()
        ordinals = self.get("editions") or []
        if value.isdigit() and 1 <= int(value) <= len(ordinals):
            return ordinals[int(value) - 1]
        if value.isdigit():
            return self.format("edition_n", n=value)
        return value


@lru_cache(maxsize=None)
def _load(code: str) -> dict:
    import yaml

    path = LABELS_DIR / f"{code}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: labels must be a mapping")
    return data


def available() -> list[str]:
    return sorted(p.stem for p in LABELS_DIR.glob("*.yaml"))


def labels_for(language: str) -> Labels:
    """Labels for a BCP 47 tag ("tr", "zh-TW", "ur-PK"); English for keys or languages not translated."""
    code = get_language(language or "en").code
    out = Labels(_load("en"))
    out.update(_load(code))
    out.language = code if _load(code) else "en"
    return out
