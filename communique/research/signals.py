"""Extract an article when it is published. The job is queued once the publishing transaction has
committed, so the worker reads the revision that went live (and a rolled-back publish queues nothing)."""
from django.conf import settings
from django.db import transaction
from wagtail.signals import page_published


def _queue(sender, instance, **kwargs):
    from communique.magazine.models import ArticlePage

    if not isinstance(instance, ArticlePage) or not getattr(settings, "RESEARCH_EXTRACT_ON_PUBLISH", True):
        return
    page_id = instance.pk

    def enqueue():
        from communique.jobs import enqueue as enqueue_job

        enqueue_job("research.extract_page", page_id=page_id, message="Waiting to read the article")

    transaction.on_commit(enqueue)


page_published.connect(_queue, dispatch_uid="research-extract-on-publish")
