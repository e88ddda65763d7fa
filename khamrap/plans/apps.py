from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "khamrap.plans"
    label = "plans"
