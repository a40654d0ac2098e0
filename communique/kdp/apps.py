from django.apps import AppConfig


class KdpConfig(AppConfig):
    name = "communique.kdp"
    label = "kdp"
    default_auto_field = "django.db.models.BigAutoField"
