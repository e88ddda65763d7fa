"""Thai dates, numerals and text for Khamrap — pure Python, no Django.

- :mod:`khamrap.thai.dates`: Buddhist-Era dates ("15 ต.ค. 2550"), date ranges, fiscal years, weekday names,
  with an English (Common Era) variant for the site's English switch; reading a typed BE date back.
- :mod:`khamrap.thai.numbers`: Thai ↔ Arabic digits, strict parsing of numbers typed into forms and
  formatting with thousands separators.
- :mod:`khamrap.thai.text`: normalisation of user input; SARA AM (ำ) written as one character.

Why not PyThaiNLP: ``pythainlp.util`` has ``thai_strftime`` and the digit conversions, imports in about
0.06 s and needs no other package, but its 5.4.0 wheel is 22 MB and installs as 67 MB (63 MB of that is
NLP corpora we would never load). The parts we need are a hundred lines of tables and ``str.translate``,
and fiscal years, smart date ranges, English dates and strict form-number parsing are not in it anyway.
Writing them here keeps the package small, ``mypy --strict`` clean and fully under our tests.

Nothing here imports Django (``tests/thai/test_thai_is_pure.py`` checks it), so the scoring engine, importers
and scripts can use it without settings.
"""

from khamrap.thai.dates import (
    DateStyle,
    Lang,
    ThaiDateError,
    be_year,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    format_date_range,
    format_datetime,
    parse_be_date,
    weekday_name,
)
from khamrap.thai.numbers import (
    ThaiNumberError,
    format_decimal,
    parse_decimal,
    to_arabic_digits,
    to_thai_digits,
)
from khamrap.thai.text import compose_sara_am, normalise

__all__ = [
    "DateStyle",
    "Lang",
    "ThaiDateError",
    "ThaiNumberError",
    "be_year",
    "compose_sara_am",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "format_date_range",
    "format_datetime",
    "format_decimal",
    "normalise",
    "parse_be_date",
    "parse_decimal",
    "to_arabic_digits",
    "to_thai_digits",
    "weekday_name",
]
