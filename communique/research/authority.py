"""The names the extractor must know, without Django: the shipped starter list (data/authority.json)
plus whatever the caller adds (the confirmed records of the archive, a --names file).

The same shape is exported from the database (communique.research.services.authority_names), so
what editors confirm in the admin reaches the EntityRuler of the next extraction."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("person", "organisation", "place", "event")
STARTER = Path(__file__).with_name("data") / "authority.json"


@dataclass
class Name:
    kind: str  # person, organisation, place, event
    name: str
    aliases: list[str] = field(default_factory=list)
    key: str = ""  # the authority record's id ("db:12") or the starter list's slug
    country: str = ""  # places: ISO 3166-1 alpha-2 country the place is in
    rejected: bool = False  # a name an editor rejected: never suggested again

    def all_names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a and a != self.name]]


def load(path=None) -> list[Name]:
    path = Path(path) if path else STARTER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"research: cannot read the authority list '{path}': {exc}") from None
    if not isinstance(data, list):
        raise ValueError(f"research: the authority list '{path}' must be a JSON list of names")
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or item.get("kind") not in KINDS or not str(item.get("name", "")).strip():
            raise ValueError(f"research: entry {i + 1} of '{path}' needs a kind ({', '.join(KINDS)}) and a name")
        out.append(Name(item["kind"], item["name"].strip(), [str(a) for a in item.get("aliases", [])],
                        key=item.get("key", ""), country=item.get("country", ""),
                        rejected=bool(item.get("rejected", False))))
    return out


def dump(names: list[Name]) -> list[dict]:
    return [{"kind": n.kind, "name": n.name, "aliases": n.aliases, "key": n.key, "country": n.country,
             "rejected": n.rejected} for n in names]
