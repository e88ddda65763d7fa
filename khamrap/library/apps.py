from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The KPI library: every province's and cluster's KPIs of every year, searched by Thai (and English) words."""

    name = "khamrap.library"
    label = "library"
