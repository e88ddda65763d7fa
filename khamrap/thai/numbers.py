"""Thai numerals, and numbers typed into forms.

:func:`parse_decimal` is deliberately strict: a KPI target or result that is silently misread is worse than
one the user must retype. It accepts, after removing surrounding whitespace and invisible zero-width
characters:

- Arabic (``0-9``), Thai (``๐-๙``) and full-width (``０-９``) digits, mixed freely;
- one optional leading sign: ``+``, ``-`` or the minus sign ``−`` (U+2212), with no space after it;
- an integer part, either plain (``1234``) or grouped by commas in threes (``1,234``, ``12,345,678``);
- an optional fraction: a point followed by at least one digit (``1,234.5``).

It rejects everything else, among them ``""``, ``"abc"``, ``"1,2,3.4.5"``, ``"12,34"``, ``".5"``,
``"5."``, ``"1 234"``, ``"12.5%"``, ``"1e5"`` (exponents are never typed into these forms and would hide
typos), ``"NaN"`` and ``"Infinity"``. Python's ``Decimal()`` alone would accept several of those.

The trailing zeros typed are kept (``"1.50"`` → ``Decimal("1.50")``); ``"-0"`` gives ``Decimal("0")``.
Floats (python-calamine returns whole numbers as ``1.0``) are not text: convert them where they are read.

See the package docstring for why this is written here rather than taken from PyThaiNLP.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["ThaiNumberError", "format_decimal", "parse_decimal", "to_arabic_digits", "to_thai_digits"]

_ARABIC_DIGITS = "0123456789"
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans(_ARABIC_DIGITS, _THAI_DIGITS)
_TO_ARABIC = str.maketrans(_THAI_DIGITS, _ARABIC_DIGITS)
# Full-width forms (typed with an East-Asian input method) and the minus sign, mapped one by one: NFKC
# would also turn "5²" into "52" and "①" into "1".
_FORM_INPUT = str.maketrans("０１２３４５６７８９，．＋－\u2212", "0123456789,.+--")

# ZERO WIDTH SPACE, WORD JOINER, ZERO WIDTH NO-BREAK SPACE (BOM): invisible, so the user cannot be blamed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<frac>\.[0-9]+)?")


class ThaiNumberError(ValueError):
    """Text that is not a number :func:`parse_decimal` accepts.

    ``message_th`` is for the user ("ไม่ใช่ตัวเลข: "abc""), ``message_en`` for the English site and logs;
    ``str(error)`` is ``message_en``. ``text`` is the input exactly as given.
    """

    def __init__(self, text: str) -> None:
        blank = not text.translate(_INVISIBLE).strip()
        shown = "(ว่าง)" if blank else f'"{text}"'
        shown_en = "(empty)" if blank else shown
        self.text = text
        self.message_th = f"ไม่ใช่ตัวเลข: {shown}"
        self.message_en = f"not a number: {shown_en}"
        super().__init__(self.message_en)


def to_thai_digits(text: str) -> str:
    """Replace the Arabic digits 0-9 in ``text`` by Thai digits ๐-๙; everything else is kept."""
    return text.translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    """Replace the Thai digits ๐-๙ in ``text`` by Arabic digits 0-9; everything else is kept."""
    return text.translate(_TO_ARABIC)


def parse_decimal(text: str) -> Decimal:
    """Read a number typed by a person, exactly; see the module docstring for what is accepted.

    >>> parse_decimal(" ๑,๒๓๔.๕ ")
    Decimal('1234.5')

    Raises :class:`ThaiNumberError` for anything else.
    """
    cleaned = to_arabic_digits(text.translate(_INVISIBLE).translate(_FORM_INPUT)).strip()
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        raise ThaiNumberError(text)
    value = Decimal(match["sign"] + match["int"].replace(",", "") + (match["frac"] or ""))
    return value.copy_abs() if value.is_zero() else value


def format_decimal(value: Decimal | int, places: int = 2, *, thai_digits: bool = False) -> str:
    """Format ``value`` with ``places`` decimals (rounded half-up) and commas between thousands.

    >>> format_decimal(Decimal("1234567.125"))
    '1,234,567.13'
    >>> format_decimal(-1234, 0, thai_digits=True)
    '-๑,๒๓๔'

    Floats are refused (``TypeError``): they are not exact, convert them with ``Decimal(str(x))`` first.
    A value that rounds to zero is shown without a sign.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"format_decimal takes a Decimal or an int, not {type(value).__name__}")
    if places < 0:
        raise ValueError(f"places must be 0 or more, not {places}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {number}")
    try:
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"{number} has too many digits to show with {places} decimals") from None
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    formatted = f"{rounded:,f}"
    return to_thai_digits(formatted) if thai_digits else formatted
