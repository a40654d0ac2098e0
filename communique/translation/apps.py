from django.apps import AppConfig


class TranslationConfig(AppConfig):
    name = "communique.translation"
    label = "translation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from .page_work import on_page_published

        page_published.connect(on_page_published, dispatch_uid="communique.translation.remember_on_publish")
