"""The articles of the archive, in a stable order, for the archive job and command."""


def articles(limit=None):
    from communique.magazine.models import ArticlePage

    qs = ArticlePage.objects.live().order_by("pk")
    if limit:
        qs = qs[: int(limit)]
    return qs.iterator(chunk_size=200)
