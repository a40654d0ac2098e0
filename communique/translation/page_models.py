"""Translation work on magazine pages (articles, sections, print issues), on top of wagtail-localize.

wagtail-localize keeps the page's strings (`StringSegment`) and their translations
(`StringTranslation`) and writes the translated page, with slugs and dates synchronised. It has no
review: these models add, per segment, the desk's state (machine, memory, translated, reviewed,
approved, stale), where the draft came from, QA flags and comments, and per page who translates it and
whether it was published by an editor's override."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from .models import Comment, SegmentState


class PageTranslationWork(models.Model):
    translation = models.OneToOneField("wagtail_localize.Translation", on_delete=models.CASCADE,
                                       related_name="communique_work")
    translator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    # Set when an editor published with segments not approved: who, and what they were told.
    override_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class PageSegmentState(SegmentState):
    work = models.ForeignKey(PageTranslationWork, on_delete=models.CASCADE, related_name="segments")
    context = models.CharField(max_length=255)  # wagtail-localize's context path (field / block id)
    position = models.PositiveIntegerField()
    source = models.JSONField()  # the content (text and codes) this state was recorded against
    previous_source = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "context"], name="one_state_per_page_segment")]
        ordering = ["work_id", "position"]
        indexes = [models.Index(fields=["work", "state"])]


class PageSegmentComment(Comment):
    segment = models.ForeignKey(PageSegmentState, on_delete=models.CASCADE, related_name="comments")
