from django.apps import AppConfig


class MagazineConfig(AppConfig):
    name = "communique.magazine"
    label = "magazine"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import page_cache

        page_cache.connect_signals()

        from . import listings

        listings.connect_signals()

        from . import checks  # noqa: F401  (registers the system checks)
