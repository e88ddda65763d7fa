"""Template filters that show dates and numbers the Thai way (built in to every template)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from khamrap.core.errors import stored_in_language
from khamrap.thai import dates, numbers

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "th").startswith("en") else "th"


@register.filter
def thai_date(value: date | datetime | None, style: str = "short") -> str:
    """``{{ d|thai_date }}`` → 15 ต.ค. 2550; ``{{ d|thai_date:"long" }}`` → 15 ตุลาคม 2550."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return dates.format_datetime(timezone.localtime(value), style=style, lang=_lang())  # type: ignore[arg-type]
    return dates.format_date(value, style=style, lang=_lang())  # type: ignore[arg-type]


@register.filter
def thai_digits(value: object) -> str:
    return numbers.to_thai_digits(str(value))


@register.filter
def decimal_places(value: Decimal | None, places: int = 2) -> str:
    if value is None or value == "":
        return ""
    return numbers.format_decimal(Decimal(value), places=int(places))


@register.filter
def in_page_language(pair: Any, name: str) -> str:
    """``{{ problem|in_page_language:"message" }}``: a stored Thai/English pair (``message_th`` and
    ``message_en``) in the page's language; a value stored with only its Thai shows the Thai."""
    return stored_in_language(pair, get_language(), name=name)


@register.filter
def plain_number(value: Decimal | None) -> str:
    """A stored number as it was typed: ``135000.0000`` → 135000, ``12.5000`` → 12.5."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ dict|get_item:key }}``: a dictionary look-up with a variable key."""
    if mapping is None:
        return None
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split(value: str, separator: str = " ") -> list[str]:
    return value.split(separator)


@register.filter
def field(form: Any, name: str) -> Any:
    """``{{ form|field:name }}``: a bound field by variable name."""
    return form[name]


@register.filter
def index(sequence: Any, position: int) -> Any:
    return sequence[int(position)]
