from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


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
