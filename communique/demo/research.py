"""The research desk's records in the demo: the curated starter list and the places the seed op-ed
is about, confirmed, so a new user's entity and timeline pages (Sergey Lavrov, Pakistan–Russia)
have something to show once the worker has read the articles (it reads each one on publish; the
extractor files mentions under these records by name)."""
from __future__ import annotations

PLACES = [  # (name, ISO 3166-1 alpha-2, GeoNames id)
    ("Pakistan", "PK", "1168579"), ("Russia", "RU", "2017370"), ("Afghanistan", "AF", "1149361"),
    ("China", "CN", "1814991"), ("India", "IN", "1269750"),
]
DETAILS = {
    "Sergey Lavrov": ("Foreign Minister of the Russian Federation since 2004.",
                      "Foreign Minister of the Russian Federation", {"ru": "Сергей Лавров"}),
    "Shah Mahmood Qureshi": ("Pakistan's Foreign Minister from 2018 to 2022.",
                             "Foreign Minister of Pakistan", {"ru": "Шах Махмуд Куреши"}),
    "Shanghai Cooperation Organization": ("Eurasian political, economic and security organisation founded in 2001.",
                                          "", {"ru": "Шанхайская организация сотрудничества"}),
    "Pakistan Stream Gas Pipeline": ("Gas pipeline from Karachi to Lahore, formerly the North–South Gas Pipeline.",
                                     "", {"ru": "Пакистанский поток"}),
}


def confirmed_records() -> int:
    from communique.research import authority
    from communique.research.models import Entity, EntityName, PersonTitle

    made = 0
    for n in authority.load():
        if n.rejected:
            continue
        entity, created = Entity.objects.get_or_create(
            kind=n.kind, name=n.name, defaults={"status": "confirmed", "key": n.key, "country": n.country})
        made += created
        description, title, translations = DETAILS.get(n.name, ("", "", {}))
        if description and not entity.description:
            entity.description = description
            entity.save(update_fields=["description"])
        for alias in n.all_names()[1:]:
            EntityName.objects.get_or_create(entity=entity, name=alias, language="",
                                             defaults={"name_kind": "acronym" if alias.isupper() else "alias"})
        for language, rendering in translations.items():
            EntityName.objects.get_or_create(entity=entity, name=rendering, language=language,
                                             defaults={"name_kind": "translation"})
        if title:
            PersonTitle.objects.get_or_create(entity=entity, title=title)
    for name, iso, geonames in PLACES:
        _, created = Entity.objects.get_or_create(kind="place", name=name, defaults={
            "status": "confirmed", "country": iso, "iso_code": iso, "geonames_id": geonames})
        made += created
    return made
