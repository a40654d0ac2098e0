"""A translated book's editions: EPUB, print PDF and the KDP kit of a `TranslatedEdition`.

The translation is a new edition of the same book: the book's own settings (trim, paper, prices,
publisher, series, matter) carry over; its title, subtitle and description come from the translated
manuscript (they are segments like any other); its ISBNs never carry over (KDP forbids reusing
one); the translator is a KDP "Translator" contributor after the book's own; the KDP metadata names
the original language (ONIX LanguageRole 02) and answers KDP's AI question for translations from
the segments' history. Only approved work goes in unless an editor overrides, by name."""
from __future__ import annotations

from pathlib import Path

from . import services
from .adapter import read_manuscript, write
from .models import TranslatedEdition

# Book settings that are in the source language and so do not describe the translation.
_NOT_CARRIED = ("title", "subtitle", "description_html", "keywords", "isbn_ebook", "isbn_paperback", "language")


class EditionError(ValueError):
    pass


def document(edition: TranslatedEdition, *, override: bool = False, who: str = ""):
    """The translated Document, after matching the stored segments with the current manuscript (a
    changed source makes its segments stale, and stale work is not published)."""
    if edition.manuscript is None:
        raise EditionError(f"{edition}: has no source manuscript")
    source = read_manuscript(edition.manuscript.path)
    services.sync(edition, source)
    return services.publishable_document(edition, source, override=override, who=who)


def ai_translation(edition: TranslatedEdition) -> tuple[str, str]:
    """KDP's AI answer for the translation ("none" | "some" | "entire") and what it rests on."""
    d = services.ai_disclosure(edition)
    if not d["ai_translated"]:
        return "none", f"all {d['total']} segments written by people, none machine drafted"
    review = ("every machine-drafted segment reviewed and approved by a person"
              if d["reviewed_segments"] == d["machine_segments"] else
              f"{d['reviewed_segments']} of {d['machine_segments']} machine-drafted segments approved by a person")
    editing = (f"{d['edited_segments']} rewritten by a person ({d['editing']} editing)" if d["edited_segments"]
               else "none rewritten (minimal editing)")
    return d["kdp"], (f"machine translated with {', '.join(d['engines'])}: {d['machine_segments']} of {d['total']} "
                      f"segments; {review}; {editing}")


def kit_overrides(edition: TranslatedEdition) -> dict:
    from communique.books.services import book_overrides

    book = edition.book
    data = {k: v for k, v in book_overrides(book).items() if k not in _NOT_CARRIED}
    contributors = [c for c in data.get("contributors", []) if c.get("role") != "translator"]
    if edition.translator_name:
        contributors.append({"name": edition.translator_name, "role": "translator"})
    answer, detail = ai_translation(edition)
    data.update(contributors=contributors, language=edition.language, original_language=book.language or "en",
                ai_translation=answer, ai_translation_detail=detail)
    for key in ("isbn_ebook", "isbn_paperback"):
        if getattr(edition, key):
            data[key] = getattr(edition, key)
    return data


def build_kit(edition: TranslatedEdition, out_dir, progress=None, *, override: bool = False, who: str = ""):
    """The KDP kit of the translated edition (engine code: kdp.kit.build_kit)."""
    from communique.kdp import kit

    # The book's own matter fields (dedication, foreword …) are in the source language, so they are
    # not added: the translated manuscript's matter, translated with it, is what the edition prints.
    doc = document(edition, override=override, who=who)
    return kit.build_kit(doc, None, Path(out_dir), progress, overrides=kit_overrides(edition),
                         rights=edition.book.rights)


def write_edition(edition: TranslatedEdition, fmt: str, path, options: dict | None = None, *,
                  override: bool = False, who: str = ""):
    """The translated EPUB ("epub") or print PDF ("pdf") through the editions registry."""
    doc = document(edition, override=override, who=who)
    return write(fmt, doc, Path(path), options or {})


# ---- a print issue in another language -----------------------------------------------------------


def issue_document(issue, language: str, *, override: bool = False, who: str = ""):
    """A print issue in another language, for its EPUB and PDF: the issue's articles in print order,
    each as its published translation (published = approved by an editor). An article with no
    published translation stops the edition, naming it, unless an editor overrides: it is then left
    out (never printed in the source language inside a translated issue), with a warning."""
    # The reader's own article walk (with per-article note ids), as the source issue uses it.
    from communique.documents.readers.wagtail import _article_division, _ImageFiles, read_issue

    from .articles import _locale
    from .pipeline import NotPublishable

    code, locale = _locale(language)
    issue = issue.specific
    translated_issue = issue.get_translation_or_none(locale)
    doc = read_issue(issue)
    doc.meta.language = code
    if translated_issue is not None and translated_issue.live:
        doc.meta.title = translated_issue.title
    # The reader's "Volume n, Number m" and "Editorial" are English: the label tables give them in
    # the issue's language, and the editorial is the translated issue's own (when it is published).
    from communique.documents.labels import labels_for
    from communique.documents.model import Division
    from communique.documents.readers.wagtail import HtmlContext, _plain, _rich

    labels = labels_for(code)
    doc.meta.subtitle = labels.format("issue_volume_number", volume=issue.volume, number=issue.number)
    doc.divisions, doc.notes = [], {}
    missing, images = [], _ImageFiles(doc)
    if translated_issue is not None and translated_issue.live:
        editorial = translated_issue.specific.editorial
        if editorial and _plain(editorial):
            ctx = HtmlContext(lambda m: doc.warn(f"issue {translated_issue.pk} editorial", m), heading_offset=1)
            doc.divisions.append(Division(kind="preface", title=labels["editorial"], blocks=_rich(editorial, ctx)))
    for article in issue.articles():
        translated = article.get_translation_or_none(locale)
        if translated is None or not translated.live:
            missing.append(f"“{article.title}” (page {article.pk})")
            continue
        translated = translated.specific
        doc.divisions.append(_article_division(translated, doc, images, note_prefix=f"a{translated.pk}-"))
    if missing and not override:
        raise NotPublishable(f"{code} edition of “{issue.title}”: {len(missing)} article(s) have no published "
                             f"{code} translation: " + ", ".join(missing))
    if missing:
        doc.warn("translation", f"published by override ({who or 'editor'}): left out " + ", ".join(missing))
    if not any(d.kind != "preface" for d in doc.divisions):
        raise NotPublishable(f"{code} edition of “{issue.title}”: no article is translated yet")
    return doc


def write_issue(issue, language: str, fmt: str, path, options: dict | None = None, *, override: bool = False,
                who: str = ""):
    """The translated issue's EPUB or PDF through the editions registry."""
    return write(fmt, issue_document(issue, language, override=override, who=who), Path(path), options or {})
