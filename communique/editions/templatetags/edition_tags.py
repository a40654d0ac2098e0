from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def edition_downloads(page):
    """Download links for a page: an issue's built files (only those built), an article's formats
    (built on request). Nothing for other pages."""
    from communique.magazine.models import ArticlePage, PrintIssuePage

    from ..models import CONTENT_TYPES, Edition
    from ..services import available_formats

    if page is None:
        return []
    page = getattr(page, "specific", page)
    links = []
    if isinstance(page, PrintIssuePage):
        for edition in Edition.objects.filter(page=page).exclude(file="").order_by("format"):
            if edition.exists:
                links.append(
                    {
                        "label": edition.get_format_display(),
                        "url": reverse("editions:issue_download", args=[page.pk, edition.format]),
                        "size": edition.size,
                        "type": edition.content_type,
                    }
                )
    elif isinstance(page, ArticlePage):
        for fmt in ("pdf", "epub"):
            if fmt in available_formats():
                links.append(
                    {
                        "label": fmt.upper(),
                        "url": reverse("editions:article_download", args=[page.pk, fmt]),
                        "size": None,
                        "type": CONTENT_TYPES[fmt],
                    }
                )
    return links
