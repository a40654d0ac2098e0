"""Confirmed names feed the translation glossary, with the renderings editors approved."""
import pytest

from communique.research import glossary, services
from communique.research.models import Entity, EntityName
from communique.translation.models import GlossaryTerm
from communique.translation.services import glossary_for

pytestmark = pytest.mark.django_db


def _terms(target, source=None):
    qs = GlossaryTerm.objects.filter(target_language=target, origin__startswith="research:")
    if source:
        qs = qs.filter(source=source)
    return {t.source: (list(t.renderings), t.keep) for t in qs}


def _lavrov(status="suggested"):
    e = Entity.objects.create(kind="person", name="Sergey Lavrov", status=status)
    EntityName.objects.create(entity=e, name="Lavrov")
    EntityName.objects.create(entity=e, name="Сергей Лавров", name_kind="translation", language="ru")
    EntityName.objects.create(entity=e, name="سرگئی لاوروف", name_kind="translation", language="ur")
    return e


def test_a_suggestion_feeds_nothing_until_confirmed():
    e = _lavrov()
    assert not GlossaryTerm.objects.filter(origin__startswith="research:").exists()
    services.confirm([e])
    assert _terms("ru") == {"Sergey Lavrov": (["Сергей Лавров"], False), "Lavrov": (["Сергей Лавров"], False)}
    assert _terms("ur")["Sergey Lavrov"] == (["سرگئی لاوروف"], False)
    assert _terms("es")["Sergey Lavrov"] == ([], True)  # Latin script: the name stays as written
    assert _terms("ar") == {} and _terms("zh-Hans") == {}  # no approved transliteration: no guess
    # the translation engine's glossary now protects the name
    g = glossary_for("en", "ru")
    assert g.terms["Sergey Lavrov"].preferred == "Сергей Лавров"
    assert g.check("Sergey Lavrov arrived.", "Прибыл Лавров.") == ["'Sergey Lavrov' should be rendered as 'Сергей Лавров'"]


def test_new_renderings_rejecting_and_merging_keep_the_glossary_in_step():
    e = _lavrov("confirmed")
    EntityName.objects.create(entity=e, name="Sergueï Lavrov", name_kind="translation", language="fr")
    assert _terms("fr")["Sergey Lavrov"] == (["Sergueï Lavrov"], False)
    EntityName.objects.filter(entity=e, name="Lavrov").delete()
    assert "Lavrov" not in _terms("ru")
    services.reject([e])
    assert _terms("ru") == {} and _terms("fr") == {}
    # merging a duplicate into a confirmed record: the duplicate's spelling becomes a term of the record
    keep = Entity.objects.create(kind="person", name="Shah Mahmood Qureshi", status="confirmed")
    EntityName.objects.create(entity=keep, name="Шах Махмуд Куреши", name_kind="translation", language="ru")
    dup = Entity.objects.create(kind="person", name="S. M. Qureshi", status="suggested")
    services.merge(keep, [dup])
    assert _terms("ru", "S. M. Qureshi") == {"S. M. Qureshi": (["Шах Махмуд Куреши"], False)}
    assert GlossaryTerm.objects.filter(origin=f"research:{dup.pk}").count() == 0


def test_an_editors_own_term_wins_and_is_never_touched():
    GlossaryTerm.objects.create(source_language="en", target_language="ru", source="Sergey Lavrov",
                                renderings=["С. В. Лавров"], origin="editor")
    e = _lavrov("confirmed")
    services.confirm([e])
    assert GlossaryTerm.objects.get(target_language="ru", source="Sergey Lavrov").renderings == ["С. В. Лавров"]
    assert "Lavrov" in _terms("ru")
    services.reject([e])
    assert GlossaryTerm.objects.filter(target_language="ru", source="Sergey Lavrov", origin="editor").exists()


def test_split_takes_the_names_that_left_out_of_the_record():
    e = Entity.objects.create(kind="person", name="Mr. Khan", status="confirmed")
    EntityName.objects.create(entity=e, name="Imran Khan")
    EntityName.objects.create(entity=e, name="Asad Khan")
    assert {"Mr. Khan", "Imran Khan", "Asad Khan"} <= set(_terms("es"))
    services.split(e, ["Asad Khan"])
    assert "Asad Khan" not in _terms("es")  # the new record is a suggestion until confirmed
    assert glossary.sync_all() >= 2
