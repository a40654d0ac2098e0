from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "communique.demo"
    label = "demo"
