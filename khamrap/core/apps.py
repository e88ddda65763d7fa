from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khamrap.core"
    label = "core"
    verbose_name = "Khamrap"
