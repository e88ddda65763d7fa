from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "khamrap.orgs"
    label = "orgs"
