"""Background jobs: one article after it is published, or the whole archive."""
from communique.jobs import job


@job("research.extract_page")
def extract_page_job(progress, *, page_id):
    from wagtail.models import Page

    from . import services

    page = Page.objects.filter(pk=page_id).first()
    if page is None or not page.live:
        return {"skipped": "the page is gone or no longer published"}
    progress(10, "Reading the article")
    source = services.extract_page(page)
    return {"source": source.pk, "mentions": source.mentions.count(), "dates": source.dates.count(),
            "figures": source.figures.count()}


@job("research.extract_archive")
def extract_archive_job(progress, *, limit=None):
    from . import services
    from .archive import articles

    pages = list(articles(limit))
    failed = []
    for i, page in enumerate(pages, start=1):
        try:
            services.extract_page(page)
        except Exception as exc:  # one bad article must not stop the archive; it is reported
            failed.append({"page": page.pk, "error": str(exc)[:300]})
        progress(int(100 * i / max(1, len(pages))), f"{i} of {len(pages)} articles")
    return {"articles": len(pages), "failed": failed}
