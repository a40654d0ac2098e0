from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "communique.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Background jobs"

    def ready(self):
        from django.conf import settings
        from django.core.signals import request_started

        from . import registry

        registry.autodiscover()
        if settings.COMMUNIQUE_JOBS_BACKEND == "thread":
            # The web process is the thread backend's worker: on its first request (not in ready(),
            # which also runs for migrate), fail the jobs a previous process left "running".
            request_started.connect(_recover_on_first_request, dispatch_uid="communique.jobs.recover")


def _recover_on_first_request(**kwargs):
    from django.core.signals import request_started

    request_started.disconnect(dispatch_uid="communique.jobs.recover")
    import logging

    from .backends import get_backend

    try:
        marked = get_backend("thread").recover()
    except Exception:  # a missing table (before migrate) must not break the request
        logging.getLogger(__name__).exception("Could not recover interrupted jobs")
        return
    if marked:
        logging.getLogger(__name__).warning("Marked %s interrupted job(s) as failed", marked)
