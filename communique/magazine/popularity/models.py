"""View counts for Most Popular. Imported into communique.magazine.models so the tables belong to
the magazine app's migrations. Nothing here identifies a reader: rows hold a page, an hour and a
number."""
from django.db import models

__all__ = ["PageViewBucket", "PageViewTotal"]


class PageViewBucket(models.Model):
    """Views of one page during one clock hour (UTC, truncated). 24h and 7d rankings sum these."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "magazine"
        constraints = [models.UniqueConstraint(fields=["page", "hour"], name="magazine_pageview_bucket_uniq")]
        verbose_name = "page views (hour)"
        verbose_name_plural = "page views (hourly)"

    def __str__(self):
        return f"page {self.page_id} @ {self.hour:%Y-%m-%d %H}:00 — {self.count}"


class PageViewTotal(models.Model):
    """All-time views of one page, kept separately so the all-time ranking does not sum years of
    hourly rows (and so old buckets can be pruned without losing the total)."""

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    count = models.PositiveBigIntegerField(default=0, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "magazine"
        verbose_name = "page views (all time)"
        verbose_name_plural = "page views (all time)"

    def __str__(self):
        return f"page {self.page_id} — {self.count}"
