"""System checks for the reader site's address.

Every absolute URL (canonical, share links, sitemap, feeds, JSON-LD) starts with the default
Wagtail Site's hostname and port. Wagtail's migration creates that Site as localhost:80, which
is right for nobody in production, and nothing else would notice."""
from django.conf import settings
from django.core.checks import Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "testserver", ""}


@register("communique", deploy=True)
def site_address_is_public(app_configs=None, **kwargs):
    from django.db import DatabaseError
    from wagtail.models import Site

    messages = []
    try:
        sites = list(Site.objects.filter(is_default_site=True))
    except DatabaseError:  # not migrated yet: `migrate` comes first, the check runs again later
        return []
    for site in sites:
        if site.hostname in LOCAL_HOSTS:
            messages.append(Warning(
                f"The default Wagtail Site's address is {site.root_url}: canonical links, feeds, the "
                "sitemap and JSON-LD will point readers and search engines there.",
                hint="Set the Site's hostname and port (Settings > Sites in the admin) to the public address.",
                obj=site,
                id="communique.W001",
            ))
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    from urllib.parse import urlsplit

    if (urlsplit(base).hostname or "") in LOCAL_HOSTS:
        messages.append(Warning(
            f"WAGTAILADMIN_BASE_URL is {base!r}: links in notification emails will point there.",
            hint="Set the WAGTAILADMIN_BASE_URL environment variable to the public address.",
            id="communique.W002",
        ))
    return messages
