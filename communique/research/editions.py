"""The index in print-issue editions: the desk's confirmed names and the house style (IndexStyle
setting) applied to the issue's document before a writer sees it."""
from __future__ import annotations


def with_index(page, document):
    """`document` with an index when the site's IndexStyle asks for one in print issues."""
    from communique.documents import transforms
    from communique.magazine.models import PrintIssuePage

    from .models import IndexStyle
    from .services import authority_names

    if not isinstance(page, PrintIssuePage):
        return document
    site = page.get_site()
    if site is None:
        return document
    style = IndexStyle.for_site(site)
    if not style.print_issues:
        return document
    return transforms.run(document, ["index"], {"index": {
        "names": authority_names(), "terms": style.terms or "", "ranges": style.ranges,
        # the curated starter list counts as confirmed; a record an editor rejected stays out
        "use_starter": True}})
