"""Stored translation work: a book's edition in another language, its segments with their states and
comments, the shared translation memory and the glossary."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class State(models.TextChoices):
    NEW = "new", "New"
    MACHINE = "machine", "Machine draft"
    MEMORY = "memory", "From memory"
    TRANSLATED = "translated", "Translated"
    REVIEWED = "reviewed", "Reviewed"
    APPROVED = "approved", "Approved"
    STALE = "stale", "Stale (source changed)"


class SegmentState(models.Model):
    """What the desk records of one segment, for a book's segments and a page's alike."""
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    origin = models.CharField(max_length=100, blank=True)
    # The engine that drafted it, kept when a person rewrites it: KDP asks whether AI translated the book.
    machine_origin = models.CharField(max_length=100, blank=True)
    flags = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Comment(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class TranslatedEdition(models.Model):
    """The same book in another language: translated from one of its manuscripts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    book = models.ForeignKey("books.Book", on_delete=models.CASCADE, related_name="translations")
    manuscript = models.ForeignKey("books.Manuscript", null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=12)
    source_version = models.CharField(max_length=32, blank=True)
    # Named on the edition's title page, in its metadata and as KDP's "Translator" contributor.
    translator_name = models.CharField(max_length=200, blank=True)
    translator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # A translation is its own book on KDP: an ISBN may not be reused across editions, so the
    # source book's ISBNs never carry over.
    isbn_ebook = models.CharField("eBook ISBN", max_length=17, blank=True)
    isbn_paperback = models.CharField("paperback ISBN", max_length=17, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "language"], name="one_translation_per_language")]
        ordering = ["book_id", "language"]

    def __str__(self):
        return f"{self.book} ({self.language})"


class SegmentRecord(SegmentState):
    edition = models.ForeignKey(TranslatedEdition, on_delete=models.CASCADE, related_name="segments")
    unit_id = models.CharField(max_length=200)
    segment_id = models.CharField(max_length=220)
    position = models.PositiveIntegerField()
    source = models.JSONField()
    previous_source = models.JSONField(null=True, blank=True)  # what it was before the source changed
    target = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "segment_id"], name="one_record_per_segment")]
        ordering = ["edition_id", "position"]
        indexes = [models.Index(fields=["edition", "state"])]


class SegmentComment(Comment):
    segment = models.ForeignKey(SegmentRecord, on_delete=models.CASCADE, related_name="comments")


class MemoryEntry(models.Model):
    source_language = models.CharField(max_length=12)
    target_language = models.CharField(max_length=12)
    key = models.CharField(max_length=64)  # sha256 of the normalised source
    source_text = models.TextField()  # normalised: codes as {1}…{/1}
    target = models.JSONField()  # content with the codes renumbered as in source_text
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_language", "target_language", "key"],
                                               name="one_memory_entry_per_source")]


class GlossaryTerm(models.Model):
    source_language = models.CharField(max_length=12, default="en")
    target_language = models.CharField(max_length=12)
    source = models.CharField(max_length=200)
    renderings = models.JSONField(default=list, blank=True)
    keep = models.BooleanField(default=False, help_text="Must not be translated (a name, a brand).")
    origin = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source_language", "target_language", "source"],
                                               name="one_term_per_pair")]
        ordering = ["target_language", "source"]


from .page_models import PageSegmentComment, PageSegmentState, PageTranslationWork  # noqa: E402,F401
