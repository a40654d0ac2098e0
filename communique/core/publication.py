"""The publication's identity (PublicationSettings) for code that has a page or nothing at all:
editions, the author portal's defaults. The software's name is never the publisher's."""
from __future__ import annotations


def publication_settings(page=None):
    """PublicationSettings of the page's site, else of the default site (None without any site)."""
    from wagtail.models import Site

    from communique.core.models import PublicationSettings

    site = None
    if page is not None:
        try:
            site = page.get_site()
        except Exception:  # a page outside any site's tree
            site = None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return None
    return PublicationSettings.for_site(site)


def publication_name(page=None) -> str:
    settings = publication_settings(page)
    if settings is not None and settings.name:
        return settings.name
    from communique.core.models import PublicationSettings

    return PublicationSettings._meta.get_field("name").default
