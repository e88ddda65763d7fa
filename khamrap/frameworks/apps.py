from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "khamrap.frameworks"
    label = "frameworks"
