"""Stored translations of a book: sync with the source, states and review, comments, status board,
memory from approved work, kits only from approved translations, bulk translation as jobs."""
import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from communique.translation import services
from communique.translation.adapter import read_manuscript
from communique.translation.models import MemoryEntry, SegmentRecord, State, TranslatedEdition
from communique.translation.pipeline import NotPublishable
from communique.translation.segments import content_from_json

from .conftest import SMALL, needs_apertium

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    editor = django_user_model.objects.create_user("edna", password="pw-edna-123")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    translator = django_user_model.objects.create_user("tara", password="pw-tara-123")
    translator.groups.add(Group.objects.get_or_create(name="Translators")[0])
    author = django_user_model.objects.create_user("amina", password="pw-amina-123")
    return {"editor": editor, "translator": translator, "author": author}


@pytest.fixture
def edition(people):
    from communique.books.models import Book, Manuscript

    book = Book.objects.create(owner=people["author"], title="A Small Test Book")
    ms = Manuscript(book=book, original_name="small.md", kind="markdown", size=len(SMALL))
    ms.file.save("small.md", ContentFile(SMALL.encode("utf-8")), save=True)
    return TranslatedEdition.objects.create(book=book, manuscript=ms, language="es", translator_name="Lucía Ortega",
                                            translator=people["translator"])


def _doc(edition):
    return read_manuscript(edition.manuscript.path)


def test_sync_creates_segments_and_marks_changed_ones_stale_with_a_diff(edition):
    doc = _doc(edition)
    counts = services.sync(edition, doc)
    assert counts["new"] == edition.segments.count() > 10
    rec = edition.segments.get(segment_id="d0.b0/s2")
    services.set_target(rec, ["Cuesta 12,4 mil millones de dólares en Islamabad."], edition.translator)
    doc.divisions[0].blocks[0].children[-1].text = doc.divisions[0].blocks[0].children[-1].text.replace(
        "12.4 billion", "13 billion")
    counts = services.sync(edition, doc)
    assert counts["stale"] == 1 and counts["new"] == 0
    rec.refresh_from_db()
    assert rec.state == State.STALE
    assert services.stale_diff(rec) == ["- 12.4", "+ 13"]


def test_review_and_approval_rules(edition, people):
    services.sync(edition, _doc(edition))
    rec = edition.segments.get(segment_id="d0.b0/s2")
    with pytest.raises(services.TransitionError, match="nothing to review"):
        services.review(rec, people["translator"])
    services.set_target(rec, ["Cuesta 12 mil millones de dólares en Islamabad."], people["translator"])
    services.review(rec, people["translator"])
    with pytest.raises(services.TransitionError, match="only an editor"):
        services.approve(rec, people["translator"])
    with pytest.raises(services.TransitionError, match="12,400,000,000"):
        services.approve(rec, people["editor"])  # the number is wrong
    services.approve(rec, people["editor"], override=True)
    rec.refresh_from_db()
    assert rec.state == State.APPROVED and rec.flags and "approved over QA error" in rec.flags[0]
    assert MemoryEntry.objects.filter(target_language="es").count() == 1
    services.comment(rec, people["editor"], "Check this figure with the author.")
    assert [c.text for c in rec.comments.all()] == ["Check this figure with the author."]


def test_status_board_and_kits_only_from_approved_work(edition, people):
    doc = _doc(edition)
    services.sync(edition, doc)
    board = services.status_board(edition.book)
    assert board[0]["language"] == "es" and board[0]["done"] == 0 and not board[0]["complete"]
    with pytest.raises(NotPublishable, match="not approved"):
        services.publishable_document(edition, doc)
    for rec in edition.segments.all():
        source = rec.source
        rec.target = ["ES "] + source  # a stand-in translation that keeps every code
        text = "".join(x for x in source if isinstance(x, str))
        if "billion" in text or "million" in text:  # English scale words are not Spanish ones
            rec.target = [text.replace("12.4 billion", "12,4 mil millones").replace("240 million", "240 millones")]
        rec.state = State.APPROVED
        rec.save()
    board = services.status_board(edition.book)
    assert board[0]["complete"] and board[0]["done"] == board[0]["total"]
    out = services.publishable_document(edition, doc)
    assert out.meta.language == "es"
    assert [(c.name, c.role) for c in out.meta.contributors if c.role == "translator"] == [("Lucía Ortega", "translator")]
    # One segment edited after approval: the kit is refused again unless the editor overrides.
    rec = edition.segments.first()
    services.set_target(rec, ["Otro título"], people["translator"])
    with pytest.raises(NotPublishable):
        services.publishable_document(edition, doc)
    assert services.publishable_document(edition, doc, override=True, who="edna").warnings


def test_memory_from_the_database_prefills_another_book(edition, people):
    services.sync(edition, _doc(edition))
    rec = edition.segments.get(segment_id="meta.title/s1")
    services.set_target(rec, ["Un libro pequeño de prueba"], people["translator"])
    services.approve(rec, people["editor"])
    memory = services.memory_for("en", "es")
    assert memory.exact(["A Small Test Book"]) == ["Un libro pequeño de prueba"]


def test_glossary_seed_is_stored_and_editable(edition):
    from communique.translation.models import GlossaryTerm

    assert services.ai_disclosure(edition)["answer"] == "human translated"
    assert services.seed_glossary("en", "es") > 200
    term = GlossaryTerm.objects.get(target_language="es", source="Pakistan")
    term.renderings = ["Paquistán"]
    term.save()
    assert services.seed_glossary("en", "es") == 0
    assert services.glossary_for("en", "es").terms["Pakistan"].renderings == ["Paquistán"]


@needs_apertium
def test_bulk_translation_runs_as_jobs_with_progress(edition, people):
    from communique.translation.jobs import translate_book

    [job_es, job_fr] = translate_book(edition.book, ["es", "fr"], owner=people["editor"], engine="apertium")
    job_es.refresh_from_db()
    assert job_es.status == "succeeded", job_es.error
    assert job_es.result["changed"] == edition.segments.count()
    assert set(edition.segments.values_list("state", flat=True)) == {"machine"}
    job_fr.refresh_from_db()
    assert job_fr.status == "failed" and "eng-fra" in (job_fr.error + job_fr.message)
    assert not SegmentRecord.objects.filter(edition__language="fr").exclude(state="new").exists()
    # KDP's AI question: machine translated; reviewed only once every machine segment is approved.
    assert services.ai_disclosure(edition)["answer"] == "machine translated, not all reviewed"
    for rec in edition.segments.all():
        services.set_target(rec, ["ES "] + content_from_json(rec.source), people["translator"])
    edition.segments.update(state=State.APPROVED)
    disclosure = services.ai_disclosure(edition)
    assert disclosure["answer"] == "machine translated and human reviewed" and disclosure["engines"] == ["apertium"]
