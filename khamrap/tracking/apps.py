from django.apps import AppConfig


class TrackingConfig(AppConfig):
    """OPDC's tracking of every submission, the submission window and extensions."""

    name = "khamrap.tracking"
    label = "tracking"
