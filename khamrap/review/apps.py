from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The analysts' review of each plan before the negotiation: verdicts, comments and proposals per KPI,
    internal notes, the return for revision with the province's answers, and OPDC's overview."""

    name = "khamrap.review"
    label = "review"
