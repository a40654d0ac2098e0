"""Issue 9 items 3 and 6: table cells in an article body are segments on the desk and come back
translated into their own cells; publishing a translation puts people's strings into the shared
translation memory, so the next page's work gets them as matches (machine drafts are not kept)."""
import pytest
from django.contrib.auth.models import Group
from wagtail.models import Locale

from communique.translation import page_work
from communique.translation.models import MemoryEntry

pytestmark = pytest.mark.django_db

TABLE = {"data": [["Country", "People"], ["Pakistan", "240 million"], ["", None]],
         "first_row_is_table_header": True, "first_col_is_header": False, "table_caption": "Population by country"}
SPANISH = {"Country": "País", "People": "Habitantes", "Pakistan": "Pakistán", "240 million": "240 millones",
           "Population by country": "Población por país"}


def _user(django_user_model, name, group):
    u = django_user_model.objects.create_user(name, password=f"pw-{name}-123")
    u.groups.add(Group.objects.get(name=group))
    return u


@pytest.fixture
def people(django_user_model):
    return {"editor": _user(django_user_model, "edna", "Editors"),
            "translator": _user(django_user_model, "tina", "Translators")}


@pytest.fixture
def mag(db):
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=2, with_images=False)


def _publish_revision(page, user):
    page.save_revision(user=user).publish()
    return type(page).objects.get(pk=page.pk)


def _source_text(work, context):
    from communique.translation.segments import text_of

    return text_of(page_work.parse_string(page_work._segment(work, work.segments.get(context=context)).string.data)[0])


def test_table_cells_are_segments_and_come_back_translated(client, people, mag, django_capture_on_commit_callbacks):
    article = mag["articles"][0].specific
    article.body = [("paragraph", "<p>Before the table.</p>"), ("table", TABLE)]
    article = _publish_revision(article, people["editor"])
    work = page_work.start(article, Locale.objects.get(language_code="es"), people["editor"], people["translator"])
    cells = {c: _source_text(work, c) for c in work.segments.values_list("context", flat=True)
             if ".data." in c or c.endswith(".table_caption")}
    assert sorted(cells.values()) == sorted(SPANISH)  # every non-empty cell and the caption, nothing else
    for context, english in cells.items():
        rec = work.segments.get(context=context)
        page_work.set_target(work, rec, [SPANISH[english]], people["translator"])
        page_work.approve(work, rec, people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        page_work.publish(work, people["editor"], override=True)

    translated = page_work.translated_page(work).specific
    table = next(b.value for b in translated.body if b.block_type == "table")
    assert table["data"][0] == ["País", "Habitantes"]
    assert table["data"][1] == ["Pakistán", "240 millones"]
    assert table["data"][2] == ["", None]  # empty cells stay as they were
    assert table["table_caption"] == "Población por país" and table["first_row_is_table_header"]
    html = client.get(translated.url).content.decode()
    assert "<th scope=\"col\">País</th>" in html and "<td>240 millones</td>" in html
    # The original keeps its table.
    original = type(article).objects.get(pk=article.pk)
    assert next(b.value for b in original.body if b.block_type == "table")["data"][0] == ["Country", "People"]


def test_publishing_a_translation_remembers_peoples_strings(people, mag, django_capture_on_commit_callbacks):
    es = Locale.objects.get(language_code="es")
    first, second = (a.specific for a in mag["articles"][:2])
    work = page_work.start(first, es, people["editor"], people["translator"])
    title = work.segments.get(context="title")
    standfirst = work.segments.get(context="standfirst")
    page_work.set_target(work, title, ["Un titular traducido por una persona"], people["translator"])
    # A machine draft is not a person's work: published by override, but not remembered.
    page_work._write(work, standfirst, ["borrador automático"], None, machine="apertium")
    standfirst.state = "machine"
    standfirst.save()
    assert not MemoryEntry.objects.filter(target_language="es").exists()
    with django_capture_on_commit_callbacks(execute=True):
        page_work.publish(work, people["editor"], override=True)
    assert page_work.translated_page(work).live
    entries = MemoryEntry.objects.filter(source_language="en", target_language="es")
    assert [e.source_text for e in entries] == [first.title]

    # The next page with the same headline gets it from memory, as a 100% match.
    second.title = first.title
    second = _publish_revision(second, people["editor"])
    next_work = page_work.start(second, es, people["editor"], people["translator"])
    rec = next_work.segments.get(context="title")
    counts = page_work.draft(next_work, [rec], people["translator"], engine="none")
    rec.refresh_from_db()
    assert counts["memory"] == 1 and rec.state == "memory" and rec.origin == "memory 100%"
    assert page_work._target_of(next_work, rec) == ["Un titular traducido por una persona"]


def test_publishing_outside_the_desk_remembers_manual_strings(people, mag, django_capture_on_commit_callbacks):
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
    from wagtail_localize.operations import translate_object

    article = mag["articles"][0].specific
    fr = Locale.objects.get(language_code="fr")
    translate_object(article, [fr], user=people["editor"])
    source = TranslationSource.objects.get_for_instance(article)
    translation = Translation.objects.get(source=source, target_locale=fr)
    for path, data, kind in (("title", "Un titre humain", "manual"), ("standfirst", "Une ébauche", "machine")):
        seg = StringSegment.objects.get(source=source, context__path=path)
        StringTranslation.objects.create(translation_of=seg.string, locale=fr, context=seg.context, data=data,
                                         translation_type=kind)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=people["editor"], publish=True)
    assert translation.get_target_instance().live
    entries = {e.source_text: e.target for e in MemoryEntry.objects.filter(target_language="fr")}
    assert list(entries) == [article.title]
