"""The one error type services raise when a rule forbids an action."""


class DomainError(Exception):
    """A business rule said no. ``message_th`` is shown to people; ``message_en`` for logs and English pages."""

    def __init__(self, message_th: str, message_en: str = "") -> None:
        super().__init__(message_th)
        self.message_th = message_th
        self.message_en = message_en or message_th

    def message(self, language: str | None = "th") -> str:
        return self.message_en if (language or "th").startswith("en") else self.message_th
