"""Russian articles go through natasha; the authority list fixes what it misses."""
from __future__ import annotations

import pytest

from communique.documents import model as dm

pytest.importorskip("natasha")

PARAGRAPHS = [
    "Министр иностранных дел России Сергей Лавров прибыл в Исламабад, где встретился с министром "
    "иностранных дел Пакистана Шахом Махмудом Куреши.",
    "Стороны обсудили строительство газопровода «Пакистанский поток» и подготовку к саммиту ШОС. "
    "Представители Шанхайской организации сотрудничества приедут в Карачи осенью.",
    "Госкорпорация «Ростех» готова участвовать в проекте, сообщил Лавров журналистам.",
]


def _doc():
    return dm.Document(dm.Metadata(title="Лавров в Исламабаде", language="ru"),
                       [dm.Division("article", "Лавров в Исламабаде", [dm.Paragraph([dm.Text(p)]) for p in PARAGRAPHS])])


def _by_kind(extraction, kind):
    return {e.name: e for e in extraction.by_kind(kind)}


def test_russian_people_organisations_and_places():
    from communique.research.extract import extract_document

    ex = extract_document(_doc())
    people, orgs, places = _by_kind(ex, "person"), _by_kind(ex, "organisation"), _by_kind(ex, "place")
    # inflected mentions are filed under the authority record's name
    assert {"Sergey Lavrov", "Shah Mahmood Qureshi"} <= set(people)
    assert {m.text for m in people["Sergey Lavrov"].mentions} == {"Сергей Лавров", "Лавров"}
    assert [m.text for m in people["Shah Mahmood Qureshi"].mentions] == ["Шахом Махмудом Куреши"]
    assert {m.text for m in orgs["Shanghai Cooperation Organization"].mentions} == {
        "ШОС", "Шанхайской организации сотрудничества"}
    assert "Rostec" in orgs
    assert "Pakistan Stream Gas Pipeline" in _by_kind(ex, "event")
    assert {"Исламабад", "Карачи"} <= set(places) and ("Россия" in places or "Пакистан" in places)
    # mentions point at the words in the passage
    for e in ex.entities:
        for m in e.mentions:
            assert ex.passages[m.passage].text[m.start:m.end] == m.text


def test_natasha_alone_misses_the_project_and_splits_the_organisation():
    from communique.research.extract import extract_document

    ex = extract_document(_doc(), use_starter=False)
    names = {e.name for e in ex.entities}
    assert not any("Пакистанский поток" in n for n in names)  # a project in quotes is not an entity
    # the acronym and the full name are two organisations, the full name with every word in the nominative
    assert {"ШОС", "Шанхайская организация сотрудничество"} <= names
    assert "Шах Махмуд Куреши" in names and "Сергей Лавров" in names


def test_english_text_still_goes_through_spacy():
    from communique.research import russian

    assert not russian.is_russian("en", ["Sergey Lavrov met Shah Mahmood Qureshi."])
    assert russian.is_russian("", PARAGRAPHS)
