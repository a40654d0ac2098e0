from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "communique.jobs"
    label = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Background jobs"

    def ready(self):
        from . import registry, schedule

        registry.autodiscover()
        schedule.register_defaults()
