import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Job(models.Model):
    """One run of a registered job function. The row is the only state: progress written here is
    what the polling endpoint reads, so it survives the web process that started the job."""

    QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
    STATUSES = [(QUEUED, "Queued"), (RUNNING, "Running"), (SUCCEEDED, "Succeeded"), (FAILED, "Failed")]
    FINISHED = {SUCCEEDED, FAILED}

    # A random id, not a sequence: the progress URL must not be guessable from another job's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=100, db_index=True, help_text="Registered job name.")
    args = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    backend = models.CharField(max_length=20, blank=True)
    # host:pid of the process running the job, so a restarted process can tell its own dead jobs.
    worker = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Times a worker has started this job.")
    max_attempts = models.PositiveSmallIntegerField(default=3)
    # The django-tasks result id of the latest attempt, to find it in the backend's own records.
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def done(self):
        return self.status in self.FINISHED

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("jobs:status", args=[self.id])

    @property
    def public_error(self):
        """The plain reason a failed job gives its owner (never the traceback in `error`)."""
        if self.status != self.FAILED:
            return ""
        from .reasons import scrub

        reason = self.message.removeprefix("Failed: ").removeprefix("Failed") or "The job failed."
        return scrub(reason)

    def as_dict(self, full=False):
        """`full` adds the traceback: for the editors' admin only, never the polling endpoint."""
        data = {
            "id": str(self.id),
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "message": self.message,
            "error": self.public_error,
            "result": self.result,
            "done": self.done,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
        if full:
            data["traceback"] = self.error
        return data

    @classmethod
    def for_target(cls, obj):
        return cls.objects.filter(
            target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), target_id=str(obj.pk)
        )
