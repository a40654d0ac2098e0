from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "communique.books"
    label = "books"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communique.jobs.runner import jobs_recovered

        jobs_recovered.connect(_reconcile_builds, dispatch_uid="communique.books.reconcile")


def _reconcile_builds(**kwargs):
    """After a restart has failed the jobs a dead process left running, fail their kits too and
    remove what they left on disk (issue 8, break 6)."""
    import logging

    from .services import reconcile_stale_builds, reconcile_stale_manuscripts

    try:
        reconcile_stale_builds()
        reconcile_stale_manuscripts()
    except Exception:  # noqa: BLE001 - recovery must not break the worker's start
        logging.getLogger(__name__).exception("Could not reconcile interrupted kit builds")
