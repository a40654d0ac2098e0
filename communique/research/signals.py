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


# ---- confirmed names feed the translation glossary (research/glossary.py) --------------------

from django.db.models.signals import post_delete, post_save  # noqa: E402


def _sync_entity(sender, instance, created=False, **kwargs):
    from . import glossary

    if created and instance.status != "confirmed":
        return  # a new suggestion has no terms; extraction creates many
    glossary.sync([instance.pk])


def _sync_name(sender, instance, **kwargs):
    from . import glossary
    from .models import Entity

    status = Entity.objects.filter(pk=instance.entity_id).values_list("status", flat=True).first()
    if status is not None and (status == "confirmed" or kwargs.get("signal") is post_delete):
        glossary.sync([instance.entity_id])


def _connect():
    from .models import Entity, EntityName

    post_save.connect(_sync_entity, sender=Entity, dispatch_uid="research-glossary-entity")
    post_delete.connect(_sync_entity, sender=Entity, dispatch_uid="research-glossary-entity-delete")
    post_save.connect(_sync_name, sender=EntityName, dispatch_uid="research-glossary-name")
    post_delete.connect(_sync_name, sender=EntityName, dispatch_uid="research-glossary-name-delete")


_connect()
