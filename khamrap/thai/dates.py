"""Dates as Thai government documents write them, and the Thai fiscal year.

Thai dates use the Buddhist Era (พ.ศ.), BE = CE + 543, and the day without a leading zero:
"15 ต.ค. 2550" (short) or "15 ตุลาคม 2550" (long). The English site writes Common-Era dates the same way:
"15 Oct 2007" / "15 October 2007". Month and weekday names come from tables here, never from the process
locale, so the output is the same on every machine.

The fiscal year (ปีงบประมาณ) runs from 1 October to 30 September and is named by the BE year it ends in:
FY2551 is 1 Oct 2550 – 30 Sep 2551 (CE 2007-10-01 – 2008-09-30). Both rules hold since 1941 (B.E. 2484);
earlier dates are not this project's business and are not treated specially.

A ``datetime`` is shown in Thailand's time: an aware one is converted to Asia/Bangkok first, a naive one is
taken to be Bangkok time already. ``format_date`` and ``format_date_range`` also accept datetimes and do the
same, so a deadline stored in UTC at 20:00 on 14 October shows as 15 October.

:func:`parse_be_date` reads a Buddhist-Era date as Thai people type it: "20/10/2550", "20-10-2550",
"20 ต.ค. 2550", "20 ตค 2550", "20 ตุลาคม พ.ศ. 2550", in Arabic or Thai digits ("๒๐/๑๐/๒๕๕๐"). The year must
be written in full and in the Buddhist Era: "20/10/50" and "20/10/2007" are refused with a message that says
so, rather than guessed.

See the package docstring for why this is written here rather than taken from PyThaiNLP.
"""

import re
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from khamrap.thai.numbers import to_arabic_digits, to_thai_digits

__all__ = [
    "BANGKOK",
    "BE_OFFSET",
    "DateStyle",
    "Lang",
    "ThaiDateError",
    "be_year",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "format_date_range",
    "format_datetime",
    "parse_be_date",
    "weekday_name",
]

DateStyle = Literal["short", "long"]
Lang = Literal["th", "en"]

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
_FISCAL_YEAR_FIRST_MONTH = 10

_MONTHS: dict[tuple[Lang, DateStyle], tuple[str, ...]] = {
    ("th", "short"): (
        "ม.ค.",
        "ก.พ.",
        "มี.ค.",
        "เม.ย.",
        "พ.ค.",
        "มิ.ย.",
        "ก.ค.",
        "ส.ค.",
        "ก.ย.",
        "ต.ค.",
        "พ.ย.",
        "ธ.ค.",
    ),
    ("th", "long"): (
        "มกราคม",
        "กุมภาพันธ์",
        "มีนาคม",
        "เมษายน",
        "พฤษภาคม",
        "มิถุนายน",
        "กรกฎาคม",
        "สิงหาคม",
        "กันยายน",
        "ตุลาคม",
        "พฤศจิกายน",
        "ธันวาคม",
    ),
    ("en", "short"): ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    ("en", "long"): (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# Monday first, as date.weekday() counts.
_WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "th": ("วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี", "วันศุกร์", "วันเสาร์", "วันอาทิตย์"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_EN_DASH = "\u2013"


def be_year(d: date) -> int:
    """The Buddhist-Era year of ``d``: ``be_year(date(2007, 10, 15)) == 2550``."""
    return d.year + BE_OFFSET


def fiscal_year_of(d: date) -> int:
    """The fiscal year (BE) that ``d`` falls in: 1 Oct 2550 – 30 Sep 2551 is FY2551.

    >>> fiscal_year_of(date(2007, 10, 1)), fiscal_year_of(date(2007, 9, 30))
    (2551, 2550)
    """
    d = _bangkok_date(d)
    return be_year(d) + (1 if d.month >= _FISCAL_YEAR_FIRST_MONTH else 0)


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of the fiscal year ``fiscal_year`` (BE), both inclusive.

    >>> fiscal_year_bounds(2551)
    (datetime.date(2007, 10, 1), datetime.date(2008, 9, 30))
    """
    ce_year = fiscal_year - BE_OFFSET
    if not date.min.year < ce_year <= date.max.year:
        raise ValueError(f"fiscal year {fiscal_year} (B.E.) is out of range")
    return date(ce_year - 1, _FISCAL_YEAR_FIRST_MONTH, 1), date(ce_year, _FISCAL_YEAR_FIRST_MONTH - 1, 30)


def weekday_name(d: date, *, lang: Lang = "th") -> str:
    """The day of the week: "วันจันทร์" (Thai, with its "วัน") or "Monday"."""
    return _WEEKDAYS[_check_lang(lang)][_bangkok_date(d).weekday()]


def format_date(
    d: date,
    *,
    style: DateStyle = "short",
    lang: Lang = "th",
    thai_digits: bool = False,
    with_weekday: bool = False,
) -> str:
    """``d`` as "15 ต.ค. 2550" (short), "15 ตุลาคม 2550" (long), or in English "15 Oct 2007".

    ``with_weekday`` gives the form of official letters: "วันจันทร์ที่ 24 กันยายน 2550" /
    "Monday 24 September 2007". ``thai_digits`` writes ๐-๙ in Thai text; it is ignored for English,
    so a site-wide preference can be passed through unchanged.
    """
    d = _bangkok_date(d)
    text = _day_month(d, style, lang) + " " + _year(d, lang)
    if with_weekday:
        text = weekday_name(d, lang=lang) + ("ที่ " if lang == "th" else " ") + text
    return _digits(text, lang, thai_digits)


def format_datetime(
    dt: datetime,
    *,
    style: DateStyle = "short",
    lang: Lang = "th",
    thai_digits: bool = False,
) -> str:
    """``dt`` in Bangkok time as "15 ต.ค. 2550 เวลา 16:30 น." or, in English, "15 Oct 2007, 16:30"."""
    local = _bangkok(dt)
    day = format_date(local.date(), style=style, lang=lang)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    text = f"{day} เวลา {clock} น." if lang == "th" else f"{day}, {clock}"
    return _digits(text, lang, thai_digits)


def format_date_range(
    start: date,
    end: date,
    *,
    style: DateStyle = "short",
    lang: Lang = "th",
    thai_digits: bool = False,
) -> str:
    """Both days inclusive, saying the month and year only once where they are shared.

    - same day: "15 ต.ค. 2550"
    - same month: "1–5 พ.ย. 2550"
    - same year: "30 ต.ค. – 2 พ.ย. 2550"
    - otherwise: "30 ธ.ค. 2550 – 2 ม.ค. 2551"

    English follows the same pattern ("1–5 Nov 2007"). Raises ``ValueError`` if ``end`` is before ``start``.
    """
    start, end = _bangkok_date(start), _bangkok_date(end)
    if end < start:
        raise ValueError(f"date range ends ({end}) before it starts ({start})")
    if start == end:
        return format_date(start, style=style, lang=lang, thai_digits=thai_digits)
    last_day = f"{_day_month(end, style, lang)} {_year(end, lang)}"
    if (start.year, start.month) == (end.year, end.month):
        text = f"{start.day}{_EN_DASH}{last_day}"
    elif start.year == end.year:
        text = f"{_day_month(start, style, lang)} {_EN_DASH} {last_day}"
    else:
        text = f"{_day_month(start, style, lang)} {_year(start, lang)} {_EN_DASH} {last_day}"
    return _digits(text, lang, thai_digits)


class ThaiDateError(ValueError):
    """Text that :func:`parse_be_date` does not accept as a date.

    ``message_th`` is for the user, ``message_en`` for the English site and logs; ``str(error)`` is
    ``message_en``. ``text`` is the input exactly as given.
    """

    def __init__(self, text: str, message_th: str, message_en: str) -> None:
        self.text = text
        self.message_th = message_th
        self.message_en = message_en
        super().__init__(message_en)


# Years this side of 1941 (B.E. 2484) are not this project's business (see above); a four-digit year in this
# range is a Common-Era year typed by mistake.
_FIRST_BE_YEAR = 2484
_LAST_BE_YEAR = 2999
_CE_YEARS = range(1900, 2200)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_NUMERIC = re.compile(r"(?P<day>[0-9]{1,2})\s*[/.-]\s*(?P<month>[0-9]{1,2})\s*[/.-]\s*(?P<year>[0-9]+)")
_WORDS = re.compile(
    r"(?P<day>[0-9]{1,2})\s*(?P<month>[^\W\d_][^\d\s]*)\s*(?:พ\.?\s*ศ\.?\s*)?(?P<year>[0-9]+)"
)


def _month_key(name: str) -> str:
    return name.replace(".", "").replace(" ", "")


_THAI_MONTHS = {
    _month_key(name): number
    for months in (_MONTHS[("th", "short")], _MONTHS[("th", "long")])
    for number, name in enumerate(months, start=1)
}


def parse_be_date(text: str) -> date:
    """A Buddhist-Era date typed by a person, as a ``date``; see the module docstring for what is accepted.

    >>> parse_be_date("๒๐ ต.ค. ๒๕๕๐")
    datetime.date(2007, 10, 20)

    Raises :class:`ThaiDateError` with a Thai and an English message for anything else.
    """
    typed = " ".join(text.translate(_INVISIBLE).split())
    cleaned = to_arabic_digits(typed)
    shown = f'"{typed}"' if typed else "(ว่าง)"
    shown_en = shown if typed else "(empty)"

    def refuse(reason_th: str = "", reason_en: str = "") -> ThaiDateError:
        return ThaiDateError(
            text,
            f"ไม่ใช่วันที่ที่ถูกต้อง: {shown}" + (f" ({reason_th})" if reason_th else ""),
            f"not a valid date: {shown_en}" + (f" ({reason_en})" if reason_en else ""),
        )

    numeric = _NUMERIC.fullmatch(cleaned)
    words = None if numeric else _WORDS.fullmatch(cleaned)
    if numeric:
        month = int(numeric["month"])
        day, year_text = int(numeric["day"]), numeric["year"]
    elif words:
        found = _THAI_MONTHS.get(_month_key(words["month"]))
        if found is None:
            raise refuse(f"ไม่รู้จักเดือน {words['month']}", f"unknown month {words['month']}")
        month, day, year_text = found, int(words["day"]), words["year"]
    else:
        raise refuse("เขียนเป็น วว/ดด/ปปปป เช่น 20/10/2550", "write it as dd/mm/yyyy, e.g. 20/10/2550")
    if len(year_text) != 4:
        raise refuse("ปี พ.ศ. ต้องมีสี่หลัก เช่น 2550", "the Buddhist-Era year needs four digits, e.g. 2550")
    year = int(year_text)
    if year in _CE_YEARS:
        raise ThaiDateError(
            text,
            f"ปีต้องเป็นพุทธศักราช (พ.ศ.) เช่น {year + BE_OFFSET} ไม่ใช่คริสต์ศักราช {year}: {shown}",
            f"the year must be Buddhist Era (B.E.), e.g. {year + BE_OFFSET}, not {year} C.E.: {shown_en}",
        )
    if not _FIRST_BE_YEAR <= year <= _LAST_BE_YEAR:
        raise refuse(f"ปี พ.ศ. {year} อยู่นอกช่วงที่รับได้", f"the year B.E. {year} is out of range")
    if not 1 <= month <= 12:
        raise refuse(f"ไม่มีเดือนที่ {month}", f"there is no month {month}")
    try:
        return date(year - BE_OFFSET, month, day)
    except ValueError:
        month_name = _MONTHS[("th", "long")][month - 1]
        raise refuse(
            f"{month_name} {year} ไม่มีวันที่ {day}",
            f"{_MONTHS[('en', 'long')][month - 1]} {year} B.E. has no day {day}",
        ) from None


def _bangkok(dt: datetime) -> datetime:
    return dt if dt.tzinfo is None else dt.astimezone(BANGKOK)


def _bangkok_date(d: date) -> date:
    return _bangkok(d).date() if isinstance(d, datetime) else d


def _check_lang(lang: Lang) -> Lang:
    # Templates and query strings are not type-checked: refuse a wrong value rather than guess.
    if lang not in ("th", "en"):
        raise ValueError(f'lang must be "th" or "en", not {lang!r}')
    return lang


def _day_month(d: date, style: DateStyle, lang: Lang) -> str:
    months = _MONTHS.get((_check_lang(lang), style))
    if months is None:
        raise ValueError(f'style must be "short" or "long", not {style!r}')
    return f"{d.day} {months[d.month - 1]}"


def _year(d: date, lang: Lang) -> str:
    return str(be_year(d) if lang == "th" else d.year)


def _digits(text: str, lang: Lang, thai_digits: bool) -> str:
    return to_thai_digits(text) if thai_digits and lang == "th" else text
