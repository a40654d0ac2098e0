"""The demo translator's desk holds real work: a Spanish article with Apertium's machine draft (or,
without Apertium, the same work undrafted and the reason in the demo output) and an Urdu article
waiting to be translated."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from communique.translation.page_work import kept
from communique.translation.tests.conftest import HAVE_APERTIUM

pytestmark = pytest.mark.django_db


def _works():
    from communique.translation.page_models import PageTranslationWork

    return {w.translation.target_locale.language_code: w
            for w in PageTranslationWork.objects.select_related("translation__target_locale", "translator")}


def _desk(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="translator"))
    r = client.get(reverse("translation_desk"))
    assert r.status_code == 200
    return r.content.decode()


def test_demo_translator_finds_a_spanish_draft_and_an_urdu_assignment(client, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    works = _works()
    assert set(works) == {"es", "ur"} and all(w.translator.username == "translator" for w in works.values())
    es, ur = works["es"], works["ur"]
    assert es.segments.exists() and ur.segments.exists()
    # Urdu waits for a person: nothing drafted (only the footnote labels the desk keeps as they are).
    assert ur.segments.filter(state="new").exists()
    assert all(kept(s.context) for s in ur.segments.exclude(state="new"))
    assert "Urdu translation of" in out and "waiting to be translated" in out
    machine = es.segments.filter(state="machine")
    if HAVE_APERTIUM:
        assert machine.count() > 0 and all(s.origin == "apertium" for s in machine)
        assert f"{machine.count()} segment(s) drafted by Apertium" in out
    else:
        assert not machine.exists() and "without a machine draft" in out
    page = _desk(client)
    for w in (es, ur):
        assert reverse("translation_page_work", args=[w.pk]) in page

    # A second build finds the work and leaves it (and its drafts) as they are.
    states = sorted(es.segments.values_list("state", flat=True))
    call_command("demo")
    capsys.readouterr()
    again = _works()
    assert {k: w.pk for k, w in again.items()} == {"es": es.pk, "ur": ur.pk}
    assert sorted(again["es"].segments.values_list("state", flat=True)) == states


def test_without_apertium_the_spanish_work_is_assigned_undrafted_and_the_output_says_why(monkeypatch, capsys):
    from communique.translation.engines import apertium

    monkeypatch.setattr(apertium.shutil, "which", lambda name: None)
    call_command("demo")
    out = capsys.readouterr().out
    es = _works()["es"]
    assert es.segments.exists() and not es.segments.filter(state="machine").exists()
    assert "without a machine draft (Apertium is not installed" in out
