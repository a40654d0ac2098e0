"""Read-side queries shared by the reader pages."""


def home_context(home):
    from .models import ArticlePage, SectionPage

    latest = (
        ArticlePage.objects.live()
        .public()
        .descendant_of(home)
        .order_by("-date", "-pk")
        .prefetch_related("article_authors__author")
    )
    sections = []
    for section in SectionPage.objects.child_of(home).live().order_by("path"):
        sections.append((section, list(section.articles()[:4])))
    return {"lead_story": latest.first(), "section_blocks": sections}


def related_articles(article, limit=4):
    from .models import ArticlePage

    # Same language only: an Urdu reader is not sent to the English original as "related".
    qs = (
        ArticlePage.objects.live()
        .public()
        .filter(locale_id=article.locale_id)
        .exclude(pk=article.pk)
        .prefetch_related("article_authors__author")
    )
    # .all() rather than values_list: in an admin preview the tags are an in-memory cluster
    # (modelcluster), which cannot resolve "pk" in values_list.
    tag_ids = [tag.pk for tag in article.tags.all() if tag.pk]
    if tag_ids:
        related = list(qs.filter(tags__in=tag_ids).distinct().order_by("-date")[:limit])
        if related:
            return related
    return list(qs.sibling_of(article, inclusive=False).order_by("-date")[:limit])
