"""The one error type services raise when a rule forbids an action, and the one way a Thai and English
message pair is shown in the page's language."""

from collections.abc import Mapping
from typing import Any


def in_language(message_th: str, message_en: str, language: str | None = "th") -> str:
    """``message_en`` on English pages, ``message_th`` everywhere else (Thai is the default)."""
    return message_en if (language or "th").startswith("en") else message_th


def stored_in_language(
    stored: Mapping[str, Any], language: str | None = "th", *, name: str = "message"
) -> str:
    """A Thai/English pair stored as ``{name}_th`` and ``{name}_en`` (a workbook problem, a bulk import's
    line, a warning) in ``language``; one stored before it carried English shows its Thai."""
    thai = str(stored.get(f"{name}_th") or "")
    return in_language(thai, str(stored.get(f"{name}_en") or thai), language)


class DomainError(Exception):
    """A business rule said no. ``message_th`` is shown to people; ``message_en`` for logs and English pages."""

    def __init__(self, message_th: str, message_en: str = "") -> None:
        super().__init__(message_th)
        self.message_th = message_th
        self.message_en = message_en or message_th

    def message(self, language: str | None = "th") -> str:
        return in_language(self.message_th, self.message_en, language)
