"""Background jobs of the translation desk (found by communique.jobs' autodiscovery): a book's
edition, or a set of articles (a section, a print issue), pre-translated into one language per job,
memory first and then the engine, with progress per segment batch or per article."""
from communique.jobs import job


@job("translation.translate_edition")
def translate_edition(progress, *, edition_id, engine=None):
    """Pre-translate a book's edition: sync with the manuscript, memory first, then the engine."""
    from . import pipeline, services
    from .adapter import read_manuscript
    from .models import TranslatedEdition

    edition = TranslatedEdition.objects.select_related("book", "manuscript").get(public_id=edition_id)
    if edition.manuscript is None:
        raise ValueError(f"{edition}: has no source manuscript")
    progress(5, "Reading the manuscript")
    document = read_manuscript(edition.manuscript.path)
    progress(15, "Matching segments with the source")
    counts = services.sync(edition, document)
    tr = services.translation(edition, document)
    source = (edition.book.language or "en")
    progress(30, "Looking up the translation memory")
    memory = services.memory_for(source, edition.language)
    glossary = services.glossary_for(source, edition.language)
    progress(45, f"Machine translation into {edition.language}")
    pipeline.machine_translate(tr, engine, glossary=glossary, memory=memory)
    progress(85, "Saving the drafts")
    changed = services.save(edition, tr)
    progress(100, "Done")
    return {"edition": str(edition.public_id), "language": edition.language, "segments": counts, "changed": changed}


def translate_book(book, languages, *, owner=None, engine=None, manuscript=None):
    """One job per language (created editions as needed); returns the jobs."""
    from communique.jobs import enqueue

    from .languages import canonical
    from .models import TranslatedEdition

    manuscript = manuscript or book.manuscripts.first()
    jobs = []
    for lang in languages:
        edition, _ = TranslatedEdition.objects.get_or_create(book=book, language=canonical(lang),
                                                             defaults={"manuscript": manuscript})
        jobs.append(enqueue("translation.translate_edition", owner=owner, target=edition,
                            edition_id=str(edition.public_id), engine=engine,
                            message=f"Waiting to translate into {edition.language}"))
    return jobs


@job("translation.translate_pages")
def translate_pages(progress, *, page_ids, language, engine=None):
    """Pre-translate articles into one language, one page at a time (each all or nothing). The
    engine is checked before the first page, so an unusable pair fails at once; a page that cannot
    be translated is named at the end, after the others are stored."""
    from wagtail.models import Page

    from . import articles
    from .engines import get_engine

    pages = {p.pk: p.specific for p in Page.objects.filter(pk__in=page_ids)}
    missing = [pk for pk in page_ids if pk not in pages]
    if not pages:
        raise ValueError(f"none of the pages {page_ids} exists any more")
    first = pages[page_ids[0]] if page_ids[0] in pages else next(iter(pages.values()))
    eng = get_engine(engine, first.locale.language_code, language)
    check = getattr(eng, "check", None)
    if check:
        check(first.locale.language_code, language)
    done, failed = [], [f"page {pk}: no longer exists" for pk in missing]
    total = len(page_ids)
    for n, pk in enumerate(pk for pk in page_ids if pk in pages):
        page = pages[pk]
        progress(int(100 * n / total), f"{language}: {n + 1} of {total}: {page.title[:80]}")
        try:
            outcome = articles.translate(page, language, eng)
        except (articles.ArticleError, ValueError) as exc:
            failed.append(f"page {pk} ({page.title[:60]}): {exc}")
            continue
        done.append({"page": pk, "translation": outcome.translated_page.pk, "stored": outcome.stored,
                     "flagged": len(outcome.flagged)})
    if failed:
        raise ValueError(f"{len(failed)} of {total} page(s) not translated into {language}: " + "; ".join(failed))
    progress(100, f"{language}: {len(done)} page(s) saved as drafts")
    return {"language": language, "pages": done}


def translate_collection(container, languages, *, owner=None, engine=None):
    """A section's or a print issue's articles (or one page) into N languages: one job per
    language; returns the jobs."""
    from communique.jobs import enqueue

    from . import articles
    from .languages import canonical

    page_ids = [p.pk for p in articles.pages_of(container)]
    if not page_ids:
        raise ValueError(f"“{container.title}” has no articles to translate")
    jobs = []
    for lang in dict.fromkeys(canonical(x) for x in languages):
        jobs.append(enqueue("translation.translate_pages", owner=owner, target=container, page_ids=page_ids,
                            language=lang, engine=engine,
                            message=f"Waiting to translate {len(page_ids)} article(s) into {lang}"))
    return jobs
