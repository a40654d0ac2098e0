"""The translator's desk: an editor sends an article for translation to a translator, the translator
drafts with Apertium and edits, the reviewer approves and publishes; only approved work reaches
readers unless an editor overrides (recorded); a changed original makes segments stale with a diff."""
import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

from communique.translation.models import State
from communique.translation.page_models import PageSegmentState
from communique.translation.tests.conftest import needs_apertium

pytestmark = pytest.mark.django_db


@pytest.fixture
def mag(db):
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=2)


def _assign(client, people, article, code="es"):
    client.force_login(people["editor"])
    r = client.post(reverse("translation_assign"), {"page": article.pk, "locale": Locale.objects.get(language_code=code).pk,
                                                   "translator": people["translator"].pk})
    assert r.status_code == 302, r.content[:500]
    from communique.translation.page_models import PageTranslationWork

    return PageTranslationWork.objects.get()


def _title_record(work):
    return work.segments.get(context="title")


def test_assigning_creates_a_draft_translation_with_synchronised_slug(client, people, mag):
    from communique.translation import page_work

    article = mag["articles"][0]
    work = _assign(client, people, article)
    assert work.translator == people["translator"]
    contexts = set(work.segments.values_list("context", flat=True))
    assert "title" in contexts and "standfirst" in contexts
    assert "slug" not in contexts  # synchronised, not translated
    # Footnotes (a list block) are translatable too, whatever format the list was stored in.
    notes = work.segments.filter(context__endswith=".text", context__contains="body.")
    sources = ["".join(x for x in r.source if isinstance(x, str)) for r in notes]
    assert "Official statement of the Foreign Office." in sources
    # Footnote labels stay as the original (paragraphs cite them); references are protected codes.
    labels = work.segments.filter(context__endswith=".label")
    assert labels.count() == 2 and all(r.state == State.APPROVED for r in labels)
    from communique.translation import page_work as pw

    rows = pw.rows(work, list(work.segments.filter(context__startswith="body.")))
    cited = [r for r in rows if any(c.type == "note" for c in r.codes.values())]
    assert cited and any(c.data == "[^1]" for r in cited for c in r.codes.values())
    target = page_work.translated_page(work)
    assert target is not None and not target.live  # readers see nothing yet
    assert target.slug == article.slug
    assert target.specific.date == article.date


def test_translator_sees_only_assigned_work(client, people, mag):
    work = _assign(client, people, mag["articles"][0])
    client.force_login(people["translator"])
    html = client.get(reverse("translation_desk")).content.decode()
    assert mag["articles"][0].title in html
    assert "Send an article for translation" not in html
    assert client.get(reverse("translation_page_work", args=[work.pk])).status_code == 200
    client.force_login(people["other"])
    html = client.get(reverse("translation_desk")).content.decode()
    assert mag["articles"][0].title not in html
    r = client.get(reverse("translation_page_work", args=[work.pk]))
    assert r.status_code == 404
    r = client.post(reverse("translation_page_work", args=[work.pk]),
                    {"action": "save", "segment": _title_record(work).pk, "target": "Hackeado"})
    assert r.status_code == 404
    assert _title_record(work).state == State.NEW


@needs_apertium
def test_apertium_draft_edit_approve_publish(client, people, mag, django_capture_on_commit_callbacks):
    from communique.translation import page_work

    article = mag["articles"][0]
    work = _assign(client, people, article)
    url = reverse("translation_page_work", args=[work.pk])
    client.force_login(people["translator"])
    r = client.post(url, {"action": "draft", "page": 1})
    assert r.status_code == 302
    # The article's table cells are segments too: the draft button works one editor page at a time.
    from communique.translation.desk import SEGMENTS_PER_PAGE

    for page_no in range(2, -(-work.segments.count() // SEGMENTS_PER_PAGE) + 1):
        client.post(url, {"action": "draft", "page": page_no})
    title = _title_record(work)
    assert title.state == State.MACHINE and title.origin.startswith("apertium")
    html = client.get(url).content.decode()
    assert "Capítulo" in html  # Apertium's Spanish in the editor
    # The translator corrects the headline; it becomes "translated".
    r = client.post(url, {"action": "save", "segment": title.pk, "target": "Un nuevo capítulo en la diplomacia energética regional", "page": 1})
    title.refresh_from_db()
    assert title.state == State.TRANSLATED
    # A translator cannot approve or publish.
    client.post(url, {"action": "approve", "segment": title.pk})
    title.refresh_from_db()
    assert title.state == State.TRANSLATED
    client.post(url, {"action": "publish", "override": "1"})
    assert not page_work.translated_page(work).live
    # The reviewer approves the title; publishing still refuses: other segments are not approved.
    client.force_login(people["editor"])
    client.post(url, {"action": "approve", "segment": title.pk})
    title.refresh_from_db()
    assert title.state == State.APPROVED
    r = client.post(url, {"action": "publish"}, follow=True)
    assert "not every segment is approved" in r.content.decode()
    assert not page_work.translated_page(work).live
    # Approving everything (QA errors would need the override) then publishing works.
    for rec in work.segments.exclude(state=State.APPROVED):
        try:
            page_work.approve(work, rec, people["editor"])
        except page_work.TransitionError:
            page_work.approve(work, rec, people["editor"], override=True)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"action": "publish"}, follow=True)
    page = page_work.translated_page(work).specific
    assert page.live, [str(m) for m in r.context["messages"]]
    assert page.live and page.title == "Un nuevo capítulo en la diplomacia energética regional"
    assert page.slug == article.slug and page.locale.language_code == "es"
    assert page.date == article.date
    work.refresh_from_db()
    assert work.published_by == people["editor"] and work.override_note == ""
    reader = client.__class__()
    html = reader.get(page.url).content.decode()
    assert '<html lang="es" dir="ltr">' in html
    assert 'hreflang="en"' in html and 'hreflang="es"' in html
    # Approved segments went into the shared memory: the second article's identical strings prefill.
    from communique.translation.models import MemoryEntry

    assert MemoryEntry.objects.filter(target_language="es", source_text=article.title).exists()


def test_override_publish_is_recorded(client, people, mag, django_capture_on_commit_callbacks):
    from communique.translation import page_work

    work = _assign(client, people, mag["articles"][0])
    url = reverse("translation_page_work", args=[work.pk])
    client.post(url, {"action": "save", "segment": _title_record(work).pk, "target": "Título"})
    r = client.post(url, {"action": "publish"}, follow=True)
    assert not page_work.translated_page(work).live
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "publish", "override": "1"})
    work.refresh_from_db()
    assert page_work.translated_page(work).live
    assert "override by edna" in work.override_note and "not approved" in work.override_note


def test_page_editor_publish_refused_for_desk_translations(client, people, mag):
    from communique.translation import page_work

    work = _assign(client, people, mag["articles"][0])
    page = page_work.translated_page(work)
    r = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action-publish": "1", "title": "x"})
    assert r.status_code == 302 and r["Location"].endswith(reverse("translation_page_work", args=[work.pk]))
    page.refresh_from_db()
    assert not page.live


def test_changed_original_makes_segments_stale_with_a_diff(client, people, mag):
    from communique.translation import page_work

    article = mag["articles"][0]
    work = _assign(client, people, article)
    url = reverse("translation_page_work", args=[work.pk])
    std = work.segments.get(context="standfirst")
    client.post(url, {"action": "save", "segment": std.pk, "target": "Una entradilla."})
    article.standfirst = "A rewritten standfirst about energy."
    article.save_revision().publish()
    html = client.get(url).content.decode()
    std.refresh_from_db()
    assert std.state == State.STALE
    assert "Source changed" in html and "<ins>rewritten</ins>" in html
    # Stale segments cannot be approved until the translation is updated.
    client.post(url, {"action": "approve", "segment": std.pk})
    std.refresh_from_db()
    assert std.state == State.STALE
    client.post(url, {"action": "save", "segment": std.pk, "target": "Una entradilla reescrita sobre energía."})
    std.refresh_from_db()
    assert std.state == State.TRANSLATED
    assert std.previous_source is None


def test_codes_are_kept_and_bad_codes_refused(client, people, mag):
    from communique.translation import page_work

    article = mag["articles"][0]
    article.body = [{"type": "paragraph", "value": '<p>The <b>big</b> <a href="https://example.org/r">report</a> is out.</p>'}]
    article.save_revision().publish()
    work = _assign(client, people, article)
    url = reverse("translation_page_work", args=[work.pk])
    rec = next(r for r in page_work.rows(work, list(work.segments.all())) if r.codes)
    client.post(url, {"action": "save", "segment": rec.record.pk, "target": "texto {99}roto{/99}"}, follow=True)
    rec.record.refresh_from_db()
    assert rec.record.state == State.NEW
    r = client.post(url, {"action": "save", "segment": rec.record.pk, "target": "texto { suelto"}, follow=True)
    assert "single" in r.content.decode()
    first = next(iter(rec.codes))
    client.post(url, {"action": "save", "segment": rec.record.pk, "target": f"ver {{{first}}}esto{{/{first}}} <script>x</script>"})
    rec.record.refresh_from_db()
    assert rec.record.state == State.TRANSLATED
    row = page_work.rows(work, [rec.record])[0]
    assert row.target[0] == "ver " and any(not isinstance(x, str) for x in row.target)
    assert row.source[0] == "The " and len(rec.codes) == 2
    from wagtail_localize.models import StringTranslation

    data = StringTranslation.objects.filter(locale__language_code="es").order_by("-updated_at").first().data
    assert "<script>" not in data and "&lt;script&gt;" in data


def test_comments_per_segment(client, people, mag):
    work = _assign(client, people, mag["articles"][0])
    url = reverse("translation_page_work", args=[work.pk])
    client.force_login(people["translator"])
    rec = _title_record(work)
    client.post(url, {"action": "comment", "segment": rec.pk, "comment": "Is ‘chapter’ right here?"})
    assert [c.text for c in rec.comments.all()] == ["Is ‘chapter’ right here?"]
    r = client.post(url, {"action": "comment", "segment": rec.pk, "comment": "   "}, follow=True)
    assert "needs some text" in r.content.decode()
    assert "Is ‘chapter’ right here?" in client.get(url).content.decode()


def test_editor_is_paginated_and_board_counts(client, people, mag):
    from communique.translation import desk

    work = _assign(client, people, mag["articles"][0])
    total = work.segments.count()
    url = reverse("translation_page_work", args=[work.pk])
    html = client.get(url).content.decode()
    assert len(re.findall(r'class="seg"', html)) == min(total, desk.SEGMENTS_PER_PAGE)
    rec = _title_record(work)
    client.post(url, {"action": "save", "segment": rec.pk, "target": "Título"})
    client.post(url, {"action": "approve", "segment": rec.pk})
    html = client.get(reverse("translation_status")).content.decode()
    row = re.search(r"Español.*?</tr>", html, re.S).group(0)
    cells = re.findall(r"<td>(\d+)</td>", row)
    labels = work.segments.filter(context__endswith=".label").count()  # kept, hence approved, from the start
    assert labels == 2 and cells == [str(1 + labels), "0", "0", str(total)]


def test_book_editions_on_the_desk(client, people, small_doc):
    from communique.books.models import Book
    from communique.translation import services
    from communique.translation.models import TranslatedEdition

    book = Book.objects.create(owner=people["editor"], title="A Small Test Book", language="en")
    edition = TranslatedEdition.objects.create(book=book, language="es", translator=people["translator"])
    services.sync(edition, small_doc)
    client.force_login(people["translator"])
    assert "A Small Test Book" in client.get(reverse("translation_desk")).content.decode()
    url = reverse("translation_edition_work", args=[edition.public_id])
    html = client.get(url).content.decode()
    assert "The Red Car" in html
    rec = edition.segments.order_by("position").first()
    client.post(url, {"action": "save", "segment": rec.pk, "target": "El coche rojo"})
    rec.refresh_from_db()
    assert rec.state == State.TRANSLATED and rec.target == ["El coche rojo"]
    client.force_login(people["other"])
    assert client.get(url).status_code == 404


@needs_apertium
def test_book_segments_drafted_by_apertium_on_the_desk(client, people, small_doc):
    from communique.books.models import Book
    from communique.translation import services
    from communique.translation.models import TranslatedEdition

    book = Book.objects.create(owner=people["editor"], title="A Small Test Book", language="en")
    edition = TranslatedEdition.objects.create(book=book, language="es", translator=people["translator"])
    services.sync(edition, small_doc)
    client.force_login(people["translator"])
    url = reverse("translation_edition_work", args=[edition.public_id])
    client.post(url, {"action": "draft", "page": 1})
    drafted = edition.segments.filter(state=State.MACHINE)
    assert drafted.exists() and all(r.machine_origin.startswith("apertium") for r in drafted)
    title = edition.segments.order_by("position").first()
    assert title.source == ["A Small Test Book"]
    assert "libro" in "".join(x for x in title.target if isinstance(x, str)).lower()
    # Only this editor page's segments were drafted: the work per request is bounded.
    from communique.translation.desk import SEGMENTS_PER_PAGE

    assert drafted.count() <= SEGMENTS_PER_PAGE
    html = client.get(url).content.decode()
    assert "Machine draft" in html and "apertium" in html
