from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "communique.research"
    label = "research"
    verbose_name = "Research desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  extraction on publish
