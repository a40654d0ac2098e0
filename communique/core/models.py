from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, TranslatableMixin
from wagtail.snippets.models import register_snippet


class LabelKeyBlock(blocks.CharBlock):
    """A label as editors wrote it in the settings: the key its translation is found by, so
    wagtail-localize keeps it as it is (no segments) rather than translating it."""

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class LabelBlock(blocks.StructBlock):
    key = LabelKeyBlock(help_text="The label in the settings (Follow us links, menu items).")
    text = blocks.CharBlock(max_length=120)


@register_snippet
class PublicationText(TranslatableMixin, models.Model):
    """The publisher's prose that readers see (tagline, About text, the labels of the Follow-us links
    and of menu items), one row per language. Editors keep writing it in the site's settings; the
    original row is refreshed from them (`prepare_for_translation`) so that wagtail-localize and the
    translator's desk can translate it. A site setting is one row per site and cannot have
    translations itself (see docs/translation.md)."""

    tagline = models.CharField(max_length=200, blank=True)
    about = models.TextField(blank=True)
    labels = StreamField([("label", LabelBlock())], blank=True)

    panels = [FieldPanel("tagline"), FieldPanel("about"), FieldPanel("labels")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = "publication text"

    def __str__(self):
        settings = self.settings_row()
        name = settings.name if settings else ""
        return f"Publication text{f' of {name}' if name else ''} ({self.locale.language_code})"

    def settings_row(self):
        original = self.get_translation_or_none(TranslatableMixin.get_default_locale(self)) or self
        return PublicationSettings.objects.filter(text_id=original.pk).select_related("site").first()

    def prepare_for_translation(self):
        """The original, refreshed from its site's settings (saved only when something changed)."""
        settings = self.settings_row()
        return settings.translatable_text() if settings else self

    def label(self, key: str) -> str:
        for block in self.labels:
            if block.value["key"] == key:
                return block.value["text"] or key
        return key


@register_setting(icon="site")
class PublicationSettings(ClusterableModel, BaseSiteSetting):
    """Who publishes the magazine: shown in the footer, feeds, JSON-LD and editions."""

    name = models.CharField(max_length=120, default="The Diplomatic Insight")
    tagline = models.CharField(max_length=200, blank=True, default="Peace Through Informed Dialogue")
    about = models.TextField(blank=True, help_text="The publisher's description of itself (footer, About).")
    founded = models.PositiveIntegerField(null=True, blank=True)
    email = models.EmailField(blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The tagline, About text and labels in every language (kept up to date by save()).
    text = models.ForeignKey(PublicationText, null=True, blank=True, editable=False, on_delete=models.SET_NULL,
                             related_name="+")

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("about"),
        FieldPanel("founded"),
        FieldPanel("email"),
        FieldPanel("logo"),
        InlinePanel("follow_links", label="Follow us"),
    ]

    class Meta:
        verbose_name = "publication"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)  # the Follow-us links are committed inside this call
        if self.text_id is not None:
            self.translatable_text()

    def labels(self) -> list[str]:
        """Every label readers see that comes from the settings: Follow-us links, then custom menu items."""
        from communique.magazine.models import Navigation

        out = [link.label for link in self.follow_links.all() if link.label]
        nav = Navigation.objects.filter(site_id=self.site_id).first()
        if nav is not None:
            out += [item.label for item in nav.menu_items.all() if item.label]
        return list(dict.fromkeys(out))

    def translatable_text(self) -> "PublicationText":
        """The original-language PublicationText, created on first use and refreshed from these
        settings; translations keep their own words for every label they already have."""
        from wagtail.models import Locale

        text = self.text
        if text is None:
            text = PublicationText.objects.create(locale=Locale.get_default())
            PublicationSettings.objects.filter(pk=self.pk).update(text=text)
            self.text = text
        wanted = {"tagline": self.tagline, "about": self.about,
                  "labels": [("label", {"key": k, "text": k}) for k in self.labels()]}
        current = [(b.value["key"], b.value["text"]) for b in text.labels]
        if (text.tagline, text.about, current) != (self.tagline, self.about, [(k, k) for k in self.labels()]):
            text.tagline, text.about, text.labels = wanted["tagline"], wanted["about"], wanted["labels"]
            text.save()
        return text


class FollowLink(Orderable):
    NETWORKS = [
        ("x", "X (Twitter)"),
        ("facebook", "Facebook"),
        ("linkedin", "LinkedIn"),
        ("youtube", "YouTube"),
        ("instagram", "Instagram"),
        ("telegram", "Telegram"),
        ("rss", "RSS"),
        ("other", "Other"),
    ]
    settings = ParentalKey(PublicationSettings, related_name="follow_links", on_delete=models.CASCADE)
    network = models.CharField(max_length=20, choices=NETWORKS)
    url = models.URLField()
    label = models.CharField(max_length=60, blank=True)

    panels = [FieldPanel("network"), FieldPanel("url"), FieldPanel("label")]

    @property
    def display_label(self):
        return self.label or self.get_network_display()


class ReaderSighting(models.Model):
    """A reader already counted for a page, so other workers do not count them again within the
    de-duplication window (magazine/popularity/shared_seen.py). `key` is an opaque salted hash of
    the client address and the page; no address is stored, and rows are pruned once expired."""

    key = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "reader sighting (view de-duplication)"
