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


class LocalizedPublication:
    """The site's settings as a reader of one language sees them: the tagline, About text and labels
    from that language's PublicationText when it has them, everything else (name, email, logo,
    links) from the settings."""

    def __init__(self, settings, words: dict | None = None):
        self._settings, self._words = settings, words or {}

    def __getattr__(self, name):
        return getattr(self._settings, name)

    @property
    def tagline(self):
        return self._words.get("tagline") or self._settings.tagline

    @property
    def about(self):
        return self._words.get("about") or self._settings.about

    def label(self, key: str) -> str:
        return self._words.get("labels", {}).get(key) or key

    @property
    def follow_list(self) -> list:
        from types import SimpleNamespace

        return [SimpleNamespace(url=link.url, network=link.network,
                                display_label=self.label(link.label) if link.label else link.display_label)
                for link in self._settings.follow_links.all()]


def localized_publication(settings, language: str) -> LocalizedPublication:
    """`settings` for readers of `language`; the translated words are cached until the next publish
    or settings change (the page cache's generation), so reader pages ask the database at most once."""
    from django.core.cache import cache

    from communique.translation.permissions import default_language

    text_id = getattr(settings, "text_id", None)
    if settings is None or text_id is None or not language or language.split("-")[0].lower() == default_language():
        return LocalizedPublication(settings)
    from communique.magazine import page_cache

    key = f"communique:pubtext:g{page_cache.generation()}:{text_id}:{language}"
    words = cache.get(key)
    if words is None:
        from communique.core.models import PublicationText

        originals = PublicationText.objects.filter(pk=text_id).values("translation_key")
        text = PublicationText.objects.filter(translation_key__in=originals, locale__language_code=language).first()
        words = {}
        if text is not None:
            words = {"tagline": text.tagline, "about": text.about,
                     "labels": {b.value["key"]: b.value["text"] for b in text.labels if b.value["text"]}}
        cache.set(key, words, 3600)
    return LocalizedPublication(settings, words)
