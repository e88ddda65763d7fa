from django.apps import AppConfig


class NegotiationsConfig(AppConfig):
    """The negotiation sessions between OPDC's committees and the provinces and clusters of a year."""

    name = "khamrap.negotiations"
    label = "negotiations"
