"""The one error the scoring package raises for bad input, in English and Thai."""

from __future__ import annotations


class ScoringInputError(ValueError):
    """Input the scoring rules cannot accept.

    ``code`` is the indicator's code (``None`` for the rules or the scenario as a whole), ``field`` the
    offending field (``criteria``, ``deductions[0].points`` …). ``str()`` gives the English text,
    ``text_th`` the same in Thai, e.g.::

        indicator 1.3: criteria: must be strictly decreasing for direction "lower"
    """

    def __init__(self, field: str, message: str, message_th: str, *, code: str | None = None) -> None:
        self.code = code
        self.field = field
        self.message = message
        self.message_th = message_th
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        if self.code is None:
            return f"{where}{self.message}"
        return f"indicator {self.code}: {where}{self.message}"

    @property
    def text_th(self) -> str:
        where = f"{self.field}: " if self.field else ""
        if self.code is None:
            return f"{where}{self.message_th}"
        return f"ตัวชี้วัด {self.code}: {where}{self.message_th}"

    def for_indicator(self, code: str) -> ScoringInputError:
        """The same error, naming ``code`` unless it already names an indicator."""
        if self.code is not None:
            return self
        return ScoringInputError(self.field, self.message, self.message_th, code=code)
