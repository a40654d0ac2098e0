"""Articles through the desk: found by id or URL path, pre-translated into wagtail-localize's own
translation objects and saved as draft pages, flagged when codes change, exchanged as XLIFF/PO,
and driven from `communique translate article …`."""
import re

import pytest

from communique.cli import main
from communique.translation import articles
from communique.translation.engines import MTResult
from communique.translation.segments import Tag
from communique.translation.xliff import xml_id

from .conftest import needs_apertium

pytestmark = pytest.mark.django_db

URDU = {
    "title": "علاقائی توانائی سفارت کاری کا نیا باب",
    "standfirst": "کیا بدلا اور خطے کے لیے اس کی اہمیت کیوں ہے۔",
    "lead_image_caption": "اسلام آباد میں وزرائے خارجہ۔",
}


@pytest.fixture
def mag():
    from communique.magazine.tests.factories import build_magazine

    return build_magazine(n_articles=2)


@pytest.fixture
def article(mag):
    return mag["articles"][0]


def _strings(locale_code):
    from wagtail_localize.models import StringTranslation

    return StringTranslation.objects.filter(locale__language_code=locale_code)


def test_pages_are_found_by_id_and_url_path(article):
    assert articles.find_page(str(article.pk)).pk == article.pk
    assert articles.find_page(article.url_path.replace("/home/", "/en/", 1)).pk == article.pk
    assert articles.find_page("/" + article.url_path.split("/", 2)[2]).pk == article.pk
    for ref, message in [("99999", "no page with id 99999"), ("/en/oped/no-such-article/", "no page at"),
                         ("oped/slug", "neither a page id nor a URL path")]:
        with pytest.raises(articles.ArticleError, match=message):
            articles.find_page(ref)


def test_strings_become_units_with_protected_codes(article):
    work = articles.start(article, "ur")
    by_id = {u.id: u for u in work.tr.units}
    assert "slug" not in by_id  # slugs stay as in the source
    body = next(u for u in work.tr.units if u.id.startswith("body.") and u.codes)
    assert any(c.type == "note" for c in body.codes.values())
    # Back to wagtail-localize's HTML unchanged.
    source = work.rows[body.id].string.data
    from communique.translation.segments import join_segments

    assert articles._html(join_segments(body.segments, "source"), body.codes) == source
    content, codes = articles._content('See <a id="a1">the <b>report</b></a>[^n2] &amp; more.<br/>')
    assert [c.type for c in codes.values()] == ["link", "strong", "note", "br"]
    assert articles._html(content, codes) == 'See <a id="a1">the <b>report</b></a>[^n2] &amp; more.<br/>'


@needs_apertium
def test_machine_draft_is_a_draft_page_in_wagtail_localize(article):
    from wagtail_localize.models import StringTranslation

    outcome = articles.translate(article, "es", "apertium")
    page = outcome.translated_page
    assert page.locale.language_code == "es" and page.translation_key == article.translation_key
    assert not page.live  # machine output waits for an editor
    assert page.slug == article.slug
    assert "Capítulo" in page.title and page.title != article.title
    paragraphs = [b.value.source for b in page.body if b.block_type == "paragraph"]
    assert any("[^1]" in p for p in paragraphs), paragraphs  # the footnote marker survived
    machine = _strings("es").filter(translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE)
    assert machine.count() == outcome.stored >= 10
    assert set(machine.values_list("tool_name", flat=True)) == {"apertium"}
    assert not outcome.flagged
    # A second run finds everything translated and asks the engine for nothing.
    again = articles.start(article, "es")
    assert all(s.target is not None for u in again.tr.units for s in u.segments)


class _DropsCodes:
    """An engine that loses every inline code: its output must never reach readers."""

    name = "drops-codes"

    def translate(self, items, source, target):
        return [MTResult(["ES " + "".join(x for x in it.content if not isinstance(x, Tag))]) for it in items]


def test_changed_codes_are_stored_as_errors_and_the_source_stays(article):
    outcome = articles.translate(article, "ur", _DropsCodes(), memory=False, glossary=False)
    assert outcome.flagged
    errors = _strings("ur").filter(has_error=True)
    assert errors.count() == len(outcome.flagged)
    assert "missing" in errors.first().field_error
    page = outcome.translated_page
    paragraphs = [b.value.source for b in page.body if b.block_type == "paragraph"]
    # The flagged paragraphs kept the source (with their note markers), never the broken draft.
    assert all("ES " not in p for p in paragraphs if "[^" in p) and any("[^1]" in p for p in paragraphs)
    assert page.title.startswith("ES ")  # a plain string has no codes to lose


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_a_translators_file_comes_back_as_a_draft_translation(article, fmt):
    data = articles.export(article, "ur", fmt).decode("utf-8")
    if fmt == "xliff":
        for uid, text in URDU.items():
            data = re.sub(rf'(<unit id="{xml_id(uid)}".*?</source>)', lambda m, t=text: m.group(1) + f"<target>{t}</target>",
                          data, count=1, flags=re.S)
    else:
        for uid, text in URDU.items():
            data = re.sub(rf'(msgctxt "{uid}\|1"\nmsgid ".*?"\n)msgstr ""', lambda m, t=text: m.group(1) + f'msgstr "{t}"',
                          data, count=1)
    outcome = articles.import_file(article, data.encode("utf-8"), f"article.{fmt}")
    page = outcome.translated_page
    assert (page.title, page.standfirst, page.lead_image_caption) == tuple(URDU.values())
    assert page.locale.language_code == "ur" and not page.live
    # the slug is a synchronised field (magazine.models.SYNCHRONISED), not a string to translate
    assert outcome.stored == 3 and _strings("ur").filter(translation_type="manual").count() == 3
    assert page.slug == article.slug


def test_a_file_for_another_page_or_version_is_refused_and_nothing_changes(mag, article):
    from communique.translation.xliff import ExchangeError

    other = articles.export(mag["articles"][1], "ur", "xliff")
    with pytest.raises(ExchangeError, match="made for document"):
        articles.import_file(article, other, "other.xlf")
    old = articles.export(article, "ur", "po")
    article.title = "A changed headline"
    article.save_revision().publish()
    with pytest.raises(ExchangeError, match="source version"):
        articles.import_file(article, old, "old.po")
    assert not _strings("ur").exists()
    assert article.get_translation_or_none(articles._locale("ur")[1]) is None


def test_cli_translates_exports_and_imports_articles(article, tmp_path, capsys, monkeypatch):
    from django.db import connections

    # A management command closes every connection when it ends; in this process that would drop
    # the test database.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    main(["translate", "article", str(article.pk), "--to", "ur", "--engine", "none"])
    out = capsys.readouterr().out
    assert f"(page {article.pk})" in out and "(draft)" in out
    path = article.url_path.replace("/home/", "/en/", 1)
    xlf = tmp_path / "a.ur.xlf"
    main(["translate", "export", "--article", path, "--to", "ur", "--format", "xliff", "-o", str(xlf)])
    text = xlf.read_text(encoding="utf-8")
    text = re.sub(r'(<unit id="title".*?</source>)', lambda m: m.group(1) + f"<target>{URDU['title']}</target>",
                  text, count=1, flags=re.S)
    xlf.write_text(text, encoding="utf-8")
    main(["translate", "import", str(xlf), "--article", str(article.pk)])
    assert "1/" in capsys.readouterr().out
    translated = article.get_translation(articles._locale("ur")[1])
    assert translated.get_latest_revision_as_object().title == URDU["title"]
    with pytest.raises(SystemExit):
        main(["translate", "article", "/en/no/such/page/", "--to", "es", "--engine", "none"])
    assert "no page at /en/no/such/page/" in capsys.readouterr().err
