from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "communique.editions"
    label = "editions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_unpublished

        page_unpublished.connect(_withdraw, dispatch_uid="communique.editions.withdraw")


def _withdraw(sender, instance, **kwargs):
    """Unpublishing a page withdraws it from the EPUB/PDF files built while it was live."""
    from .services import withdraw_from_editions

    withdraw_from_editions(instance)
