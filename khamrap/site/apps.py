from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top floor: the home page, the layout's context, the reference-data and demo commands."""

    name = "khamrap.site"
    label = "site"
