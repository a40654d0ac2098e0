"""Background jobs of the translation desk (found by communique.jobs' autodiscovery)."""
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
