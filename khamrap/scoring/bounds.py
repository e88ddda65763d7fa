"""The numbers a KPI may hold, in one place.

The web form, the workbook, the API and the scoring rules all check a number against these bounds, and every
database column that stores one is wide enough for every value they accept (a test compares them). A value
outside them is refused where it is typed, with a message saying what is allowed, so no stored value can
ever break a page that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["MEASURE", "WEIGHT", "NumberBounds", "counted_weight_problem"]


@dataclass(frozen=True)
class NumberBounds:
    """A finite number with at most ``places`` decimals, within ``[minimum, maximum]`` when they are set,
    and smaller in magnitude than ``below``."""

    places: int
    below: Decimal
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    @property
    def integer_digits(self) -> int:
        """Digits left of the point that the largest accepted value needs (for the database column)."""
        largest = self.maximum if self.maximum is not None else self.below - 1
        return len(str(int(abs(largest))))

    def problem(self, value: Decimal) -> tuple[str, str] | None:
        """Why ``value`` is refused, as (Thai, English); ``None`` when it is accepted."""
        if not value.is_finite():
            return ("ต้องเป็นตัวเลข", "must be a number")
        if (
            self.minimum is not None
            and self.maximum is not None
            and not self.minimum <= value <= self.maximum
        ):
            low, high = _shown(self.minimum), _shown(self.maximum)
            return (
                f"ต้องอยู่ระหว่าง {low} ถึง {high} (พบ {_shown(value)})",
                f"must be between {low} and {high} (got {_shown(value)})",
            )
        if abs(value) >= self.below:
            limit = f"{self.below:,f}"
            return (
                f"ต้องน้อยกว่า {limit} (พบ {_shown(value)})",
                f"must be less than {limit} (got {_shown(value)})",
            )
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -self.places:
            return (
                f"มีทศนิยมได้ไม่เกิน {self.places} ตำแหน่ง (พบ {_shown(value)})",
                f"may have at most {self.places} decimal places (got {_shown(value)})",
            )
        return None


def _shown(value: Decimal) -> str:
    if value.is_finite() and abs(value) < Decimal("1e30"):
        return f"{value.normalize():,f}"
    return str(value)


# Baselines, targets, criteria and results.
MEASURE = NumberBounds(places=4, below=Decimal(10) ** 15)
# A weight in percent of its parent.
WEIGHT = NumberBounds(places=4, below=Decimal(10) ** 15, minimum=Decimal(0), maximum=Decimal(100))


def counted_weight_problem(weight: Decimal) -> tuple[str, str] | None:
    """Why ``weight`` cannot count in a score or a submitted plan: it must be above 0 and within WEIGHT (a
    draft may hold 0 while it is being filled in)."""
    if weight.is_finite() and weight <= 0:
        return ("ต้องมากกว่า 0", "must be greater than 0")
    return WEIGHT.problem(weight)
