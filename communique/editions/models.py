from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import slugify

CONTENT_TYPES = {"epub": "application/epub+zip", "pdf": "application/pdf"}


class Edition(models.Model):
    """The current built file of one page (a print issue or an article) in one format.

    The file lives under PRIVATE_ROOT and is served only by the permission-checked download views.
    A failed rebuild keeps the previous file and fills `error`, so readers keep the last good file
    and the admin can say why the new one is missing."""

    EPUB, PDF = "epub", "pdf"
    FORMATS = [(EPUB, "EPUB"), (PDF, "PDF")]

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="editions")
    format = models.CharField(max_length=10, choices=FORMATS)
    file = models.CharField(max_length=500, blank=True, help_text="Path relative to PRIVATE_ROOT.")
    size = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    # When the content the file was built from last changed (publish or draft revision).
    source_changed_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, help_text="Why the last build failed; empty after a good build.")
    failed_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="editions")
    # Set when content in the file was withdrawn (an article unpublished): the file is not served
    # until a build that started after this moment replaces it (issue 8, break 8).
    stale_at = models.DateTimeField(null=True, blank=True)
    stale_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "format"], name="one_edition_per_page_format")]
        ordering = ["page_id", "format"]

    def __str__(self):
        return f"{self.get_format_display()} of page {self.page_id}"

    @property
    def path(self):
        return Path(settings.PRIVATE_ROOT) / self.file if self.file else None

    @property
    def exists(self):
        return bool(self.file) and self.path.is_file()

    @property
    def content_type(self):
        return CONTENT_TYPES.get(self.format, "application/octet-stream")

    def download_filename(self, page=None):
        """A name safe in a Content-Disposition header and on every file system: the slugged
        title (Unicode letters kept, no quotes, slashes or dots) and our own extension."""
        page = (page or self.page).specific
        stem = slugify(page.title, allow_unicode=True)[:80].strip("-_") or f"edition-{page.pk}"
        if hasattr(page, "volume") and hasattr(page, "number"):
            # Issues are often titled alike ("Special issue"); the number tells the files apart.
            stem = f"{stem}-vol-{page.volume}-no-{page.number}"
        return f"{stem}.{self.format}"


@receiver(post_delete, sender=Edition)
def _remove_file(sender, instance, **kwargs):
    """A deleted page's editions must not stay on disk, where nothing would ever serve or clean them."""
    path = instance.path
    if path is not None:
        # Only once the deletion is committed: a rolled-back delete must find its file again.
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def mark_stale(pages, reason: str) -> int:
    """Mark the editions of `pages` as not to be served; returns how many were marked."""
    from django.utils import timezone

    ids = [getattr(p, "pk", p) for p in pages]
    return Edition.objects.filter(page_id__in=ids).update(stale_at=timezone.now(), stale_reason=reason[:300])
