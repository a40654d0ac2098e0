from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "communique.importers"
    label = "importers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from communique.jobs import schedule

        from .base import sweep_killed_imports

        # A killed import's image files are gone within a tick of any worker's clock.
        schedule.every(getattr(settings, "COMMUNIQUE_SCHEDULER_SECONDS", 15), "importers.sweep_killed_imports")(sweep_killed_imports)
