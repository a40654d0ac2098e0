from django.db import models


class ImportRecord(models.Model):
    """Remembers where an imported object came from, so re-running an import updates it
    instead of creating a duplicate (e.g. source "wordpress", key "https://site.example#123")."""

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=500)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        "magazine.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="importers_unique_source_key")]

    def __str__(self):
        return f"{self.source}:{self.key}"
