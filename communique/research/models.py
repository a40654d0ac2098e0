"""Authority records (people, organisations, places, events/projects), their names, and what the
extractor found in each article or book: mentions, dates and figures.

One Entity table with a `kind` rather than four: merging, splitting, mentions and the
EntityRuler treat every kind the same way, and the kind-specific fields are few."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

KIND_CHOICES = [("person", "Person"), ("organisation", "Organisation"), ("place", "Place"),
                ("event", "Event or project")]
STATUS_CHOICES = [("suggested", "Suggested"), ("confirmed", "Confirmed"), ("rejected", "Rejected")]
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")


def validate_wikidata(value):
    if value and not WIKIDATA_RE.match(value):
        raise ValidationError(f"A Wikidata id looks like Q42, not {value!r}.")


class EntityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status="confirmed")


class Entity(models.Model):
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, db_index=True)
    name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="suggested", db_index=True)
    description = models.TextField(blank=True, help_text="Who or what this is, in a sentence, for the entity page.")
    wikidata_id = models.CharField("Wikidata id", max_length=20, blank=True, validators=[validate_wikidata],
                                   help_text="Typed in by an editor (e.g. Q42); Communiqué never looks it up.")
    # places
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 country code")
    geonames_id = models.CharField("GeoNames id", max_length=20, blank=True)
    iso_code = models.CharField("ISO 3166 code", max_length=10, blank=True)
    # the extractor's key (starter-list slug, geonames:…, iso:…) so the same thing found again is matched
    key = models.CharField(max_length=120, blank=True, db_index=True)
    mention_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["kind", "status", "name"])]
        permissions = [("export_research", "Can export research data (entities, dates, figures)")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()})"

    @property
    def slug(self):
        return slugify(self.name) or "entity"

    def get_absolute_url(self):
        return reverse("research:entity", kwargs={"pk": self.pk, "slug": self.slug})

    def all_names(self) -> list[str]:
        return [self.name, *[a.name for a in self.aliases.all() if a.name != self.name]]


class EntityName(models.Model):
    """Another name of an entity: an alias, an acronym, a former name (with when it changed), or a
    spelling in another language (which the translation glossary reads)."""

    NAME_KINDS = [("alias", "Alias"), ("acronym", "Acronym"), ("former", "Former name"), ("translation", "Translation")]
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=255)
    name_kind = models.CharField(max_length=20, choices=NAME_KINDS, default="alias")
    language = models.CharField(max_length=10, blank=True, help_text="for translations: a language code")
    until = models.DateField(null=True, blank=True, help_text="for former names: when the name changed")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["entity", "name", "language"], name="research_unique_entity_name")]

    def __str__(self):
        return self.name


class PersonTitle(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=255, help_text="e.g. Foreign Minister of the Russian Federation")
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start", "title"]

    def __str__(self):
        return self.title


class Source(models.Model):
    """An article (a Wagtail page) or a book the extractor has read, with when and how much."""

    page = models.OneToOneField("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="research_source")
    book = models.OneToOneField("books.Book", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="research_source")
    title = models.CharField(max_length=500)
    published = models.DateField(null=True, blank=True, db_index=True)
    words = models.PositiveIntegerField(default=0)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published", "title"]
        constraints = [models.CheckConstraint(condition=models.Q(page__isnull=False) | models.Q(book__isnull=False),
                                              name="research_source_has_page_or_book")]

    def __str__(self):
        return self.title

    def get_url(self):
        if self.page_id:
            return self.page.url
        return ""


class Mention(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="mentions")
    text = models.CharField(max_length=255)
    sentence = models.TextField(blank=True)
    passage = models.IntegerField(default=0)
    start = models.IntegerField(default=0)
    end = models.IntegerField(default=0)

    class Meta:
        ordering = ["source", "passage", "start"]
        indexes = [models.Index(fields=["entity", "source"])]


class DateFact(models.Model):
    PRECISIONS = [("day", "Day"), ("month", "Month"), ("year", "Year"), ("range", "Range")]
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="dates")
    date = models.CharField(max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD", db_index=True)
    end_date = models.CharField(max_length=10, blank=True)
    precision = models.CharField(max_length=10, choices=PRECISIONS)
    text = models.CharField(max_length=255)
    sentence = models.TextField(blank=True)
    relative = models.BooleanField(default=False, help_text="resolved against the publication date: check it")
    passage = models.IntegerField(default=0)
    start = models.IntegerField(default=0)
    # the entities named in the same sentence: what a timeline of an entity or a pair draws
    entities = models.ManyToManyField(Entity, blank=True, related_name="dates")

    class Meta:
        ordering = ["source", "passage", "start"]


class FigureFact(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="figures")
    value = models.FloatField()
    unit = models.CharField(max_length=100)
    symbol = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=255)
    sentence = models.TextField(blank=True)
    passage = models.IntegerField(default=0)
    start = models.IntegerField(default=0)

    class Meta:
        ordering = ["source", "passage", "start"]


@register_setting(icon="list-ul")
class IndexStyle(BaseSiteSetting):
    """The house style of the back-of-book index in print issues (documents/transforms/index.py)."""

    RANGES = [("join", "Join consecutive pages: 12–14"), ("ff", "f. and ff.: 12f. (two pages), 12ff. (more)")]
    print_issues = models.BooleanField("index in print issues", default=False,
                                       help_text="Print-issue PDF and EPUB editions end with an index of the confirmed "
                                                 "names and the terms below.")
    ranges = models.CharField("consecutive pages", max_length=10, choices=RANGES, default="join")
    terms = models.TextField("editor's terms", blank=True,
                             help_text="One a line: 'Term', 'Term > Sub-entry', 'Term = see Other', "
                                       "'Term + see also Other; Another'.")

    class Meta:
        verbose_name = "Research: index style"

    def clean(self):
        from .index import parse_terms

        try:
            parse_terms(self.terms or "")
        except ValueError as exc:
            raise ValidationError({"terms": str(exc)}) from None
