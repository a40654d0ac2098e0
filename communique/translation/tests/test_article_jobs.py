"""Bulk translation of a section's or an issue's articles as background jobs, one per language, with
progress: memory first (people's earlier work), then the engine. Inline backend, and once through
the database queue and the worker command."""
import re

import pytest
from django.test import override_settings

from communique.jobs.models import Job
from communique.translation import articles
from communique.translation.jobs import translate_collection
from communique.translation.xliff import xml_id

from .conftest import needs_apertium

HUMAN_TITLE = "Un nuevo capítulo en la diplomacia energética regional"


@pytest.fixture
def mag(db):
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=4)


def _human_title(article):
    """A translator's Spanish headline, imported and remembered (an editor published it)."""
    data = articles.export(article, "es", "xliff").decode("utf-8")
    data = re.sub(rf'(<unit id="{xml_id("title")}".*?</source>)', lambda m: m.group(1) + f"<target>{HUMAN_TITLE}</target>",
                  data, count=1, flags=re.S)
    articles.import_file(article, data.encode("utf-8"), "title.xlf")
    assert articles.remember(article, "es") == 1


def _draft(page, code):
    from wagtail.models import Locale

    translated = page.get_translation_or_none(Locale.objects.get(language_code=code))
    return translated.specific.get_latest_revision_as_object() if translated else None


@needs_apertium
def test_an_issue_into_two_languages_memory_first_then_machine(mag):
    from communique.magazine.models import ArticlePage
    from wagtail_localize.models import StringTranslation

    issue = mag["issue"]
    first = mag["articles"][0]
    _human_title(first)
    # Another article of the issue with the same headline: its title must come from memory.
    twin = mag["articles"][1]
    twin.title = first.title
    twin.save_revision().publish()
    twin = ArticlePage.objects.get(pk=twin.pk)

    [es, fr] = translate_collection(issue, ["es", "fr"], engine="apertium")
    es.refresh_from_db()
    assert es.status == Job.SUCCEEDED, es.error
    assert es.progress == 100 and es.message == "Done" and len(es.result["pages"]) == 4
    assert [p["page"] for p in es.result["pages"]] == [link.article_id for link in issue.issue_articles.all()]
    assert _draft(twin, "es").title == HUMAN_TITLE
    titles = StringTranslation.objects.filter(locale__language_code="es", translation_of__data=first.title,
                                              context__path="title")
    # The person's translation, and the twin's pre-filled from memory (still a draft to review).
    assert sorted((t.data, t.translation_type, t.tool_name) for t in titles) == [
        (HUMAN_TITLE, "machine", "memory 100%"), (HUMAN_TITLE, "manual", "")]
    for page in mag["articles"][2:4]:
        draft = _draft(page, "es")
        assert draft is not None and draft.title != page.title and not draft.live
    # No engine for English → French: the job fails naming the pair, and no French page is made.
    fr.refresh_from_db()
    assert fr.status == Job.FAILED and "eng-fra" in fr.error
    assert _draft(mag["articles"][2], "fr") is None


def test_a_section_with_no_articles_is_refused(mag):
    from communique.magazine.models import SectionPage

    home = mag["home"]
    empty = home.add_child(instance=SectionPage(title="Empty", slug="empty"))
    with pytest.raises(ValueError, match="has no articles"):
        translate_collection(empty, ["es"])


@pytest.mark.django_db(transaction=True)
def test_a_section_through_the_database_queue_and_the_worker():
    from django.core.management import call_command

    from communique.magazine.tests.factories import build_magazine

    mag = build_magazine(n_articles=3, sections=["OpEd"])
    section = mag["sections"][0]
    _human_title(mag["articles"][0])
    with override_settings(COMMUNIQUE_JOBS_BACKEND="database",
                           TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        [job] = translate_collection(section, ["es"], engine="none")
        assert Job.objects.get(pk=job.pk).status == Job.QUEUED
        call_command("worker", "--burst", "--no-scheduler")
    job.refresh_from_db()
    assert job.status == Job.SUCCEEDED, job.error
    assert len(job.result["pages"]) == 3
    assert _draft(mag["articles"][0], "es").title == HUMAN_TITLE
    # No engine: the other articles have draft pages that still read in English until translated.
    assert _draft(mag["articles"][1], "es").title == mag["articles"][1].title
