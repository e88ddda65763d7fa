import doctest
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import khamrap.thai.dates
from khamrap.thai import (
    be_year,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    format_date_range,
    format_datetime,
    weekday_name,
)

BRIEFING = date(2007, 9, 24)  # วันจันทร์ที่ 24 กันยายน 2550, from the OPDC letter
DEADLINE = date(2007, 10, 15)  # 15 ตุลาคม 2550


def test_be_year_adds_543() -> None:
    assert be_year(DEADLINE) == 2550
    assert be_year(date(2008, 1, 1)) == 2551


def test_short_thai_date_has_abbreviated_month_and_be_year() -> None:
    assert format_date(DEADLINE) == "15 ต.ค. 2550"


def test_long_thai_date_has_full_month() -> None:
    assert format_date(DEADLINE, style="long") == "15 ตุลาคม 2550"


def test_day_has_no_leading_zero() -> None:
    assert format_date(date(2007, 11, 1)) == "1 พ.ย. 2550"


def test_thai_digits() -> None:
    assert format_date(DEADLINE, thai_digits=True) == "๑๕ ต.ค. ๒๕๕๐"


@pytest.mark.parametrize(
    ("month", "short", "long"),
    [
        (1, "ม.ค.", "มกราคม"),
        (2, "ก.พ.", "กุมภาพันธ์"),
        (3, "มี.ค.", "มีนาคม"),
        (4, "เม.ย.", "เมษายน"),
        (5, "พ.ค.", "พฤษภาคม"),
        (6, "มิ.ย.", "มิถุนายน"),
        (7, "ก.ค.", "กรกฎาคม"),
        (8, "ส.ค.", "สิงหาคม"),
        (9, "ก.ย.", "กันยายน"),
        (10, "ต.ค.", "ตุลาคม"),
        (11, "พ.ย.", "พฤศจิกายน"),
        (12, "ธ.ค.", "ธันวาคม"),
    ],
)
def test_every_thai_month_name(month: int, short: str, long: str) -> None:
    d = date(2008, month, 3)
    assert format_date(d) == f"3 {short} 2551"
    assert format_date(d, style="long") == f"3 {long} 2551"


def test_english_date_uses_common_era() -> None:
    assert format_date(DEADLINE, lang="en") == "15 Oct 2007"
    assert format_date(DEADLINE, lang="en", style="long") == "15 October 2007"


def test_english_date_ignores_thai_digits() -> None:
    assert format_date(DEADLINE, lang="en", thai_digits=True) == "15 Oct 2007"


def test_date_with_weekday_reads_like_the_letter() -> None:
    assert format_date(BRIEFING, style="long", with_weekday=True) == "วันจันทร์ที่ 24 กันยายน 2550"
    assert format_date(BRIEFING, lang="en", style="long", with_weekday=True) == "Monday 24 September 2007"
    assert format_date(BRIEFING, with_weekday=True, thai_digits=True) == "วันจันทร์ที่ ๒๔ ก.ย. ๒๕๕๐"


def test_format_date_of_an_aware_datetime_uses_the_bangkok_day() -> None:
    # given 20:00 UTC on 14 October, which is 03:00 on 15 October in Bangkok
    late_utc = datetime(2007, 10, 14, 20, 0, tzinfo=UTC)

    # then
    assert format_date(late_utc) == "15 ต.ค. 2550"


@pytest.mark.parametrize("bad", [{"lang": "fr"}, {"style": "medium"}])
def test_format_date_refuses_unknown_options(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="must be"):
        format_date(DEADLINE, **bad)


def test_weekday_of_the_briefing_is_monday() -> None:
    assert weekday_name(BRIEFING) == "วันจันทร์"
    assert weekday_name(BRIEFING, lang="en") == "Monday"


def test_every_thai_weekday_name() -> None:
    week = [weekday_name(BRIEFING + timedelta(days=n)) for n in range(7)]

    assert week == ["วันจันทร์", "วันอังคาร", "วันพุธ", "วันพฤหัสบดี", "วันศุกร์", "วันเสาร์", "วันอาทิตย์"]


def test_format_datetime_thai() -> None:
    assert format_datetime(datetime(2007, 10, 15, 16, 30)) == "15 ต.ค. 2550 เวลา 16:30 น."


def test_format_datetime_pads_hours_and_ignores_seconds() -> None:
    assert format_datetime(datetime(2007, 10, 15, 9, 5, 59)) == "15 ต.ค. 2550 เวลา 09:05 น."


def test_format_datetime_converts_aware_datetimes_to_bangkok() -> None:
    assert format_datetime(datetime(2007, 10, 15, 9, 30, tzinfo=UTC)) == "15 ต.ค. 2550 เวลา 16:30 น."
    tokyo = timezone(timedelta(hours=9))
    assert format_datetime(datetime(2007, 10, 16, 1, 0, tzinfo=tokyo)) == "15 ต.ค. 2550 เวลา 23:00 น."


def test_format_datetime_long_with_thai_digits() -> None:
    dt = datetime(2007, 10, 15, 16, 30)

    assert format_datetime(dt, style="long", thai_digits=True) == "๑๕ ตุลาคม ๒๕๕๐ เวลา ๑๖:๓๐ น."


def test_format_datetime_english() -> None:
    assert format_datetime(datetime(2007, 10, 15, 16, 30), lang="en") == "15 Oct 2007, 16:30"


def test_range_of_one_day_is_that_day() -> None:
    assert format_date_range(DEADLINE, DEADLINE) == "15 ต.ค. 2550"


def test_range_within_a_month() -> None:
    assert format_date_range(date(2007, 11, 1), date(2007, 11, 5)) == "1–5 พ.ย. 2550"


def test_range_across_months() -> None:
    assert format_date_range(date(2007, 10, 30), date(2007, 11, 2)) == "30 ต.ค. – 2 พ.ย. 2550"


def test_range_across_years() -> None:
    assert format_date_range(date(2007, 12, 30), date(2008, 1, 2)) == "30 ธ.ค. 2550 – 2 ม.ค. 2551"


def test_range_of_a_fiscal_year() -> None:
    assert format_date_range(*fiscal_year_bounds(2551)) == "1 ต.ค. 2550 – 30 ก.ย. 2551"


def test_range_long_style_and_thai_digits() -> None:
    start, end = date(2007, 11, 1), date(2007, 11, 5)

    assert format_date_range(start, end, style="long") == "1–5 พฤศจิกายน 2550"
    assert format_date_range(start, end, thai_digits=True) == "๑–๕ พ.ย. ๒๕๕๐"


def test_range_in_english() -> None:
    assert format_date_range(date(2007, 11, 1), date(2007, 11, 5), lang="en") == "1–5 Nov 2007"
    assert format_date_range(date(2007, 10, 30), date(2007, 11, 2), lang="en") == "30 Oct – 2 Nov 2007"
    assert format_date_range(date(2007, 12, 30), date(2008, 1, 2), lang="en") == "30 Dec 2007 – 2 Jan 2008"


def test_range_backwards_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        format_date_range(date(2007, 11, 5), date(2007, 11, 1))


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (date(2007, 9, 30), 2550),
        (date(2007, 10, 1), 2551),
        (date(2007, 12, 31), 2551),
        (date(2008, 1, 1), 2551),
        (date(2008, 9, 30), 2551),
        (date(2008, 10, 1), 2552),
    ],
)
def test_fiscal_year_of(day: date, fiscal_year: int) -> None:
    assert fiscal_year_of(day) == fiscal_year


def test_fiscal_year_of_an_aware_datetime_uses_the_bangkok_day() -> None:
    # 18:00 UTC on 30 September is 01:00 on 1 October in Bangkok: the next fiscal year
    assert fiscal_year_of(datetime(2007, 9, 30, 18, 0, tzinfo=UTC)) == 2551


def test_fiscal_year_bounds_of_2551() -> None:
    assert fiscal_year_bounds(2551) == (date(2007, 10, 1), date(2008, 9, 30))


def test_fiscal_year_bounds_out_of_range() -> None:
    with pytest.raises(ValueError, match="out of range"):
        fiscal_year_bounds(544)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_every_day_lies_within_its_fiscal_year(day: date) -> None:
    first, last = fiscal_year_bounds(fiscal_year_of(day))

    assert first <= day <= last
    assert fiscal_year_of(first) == fiscal_year_of(last) == fiscal_year_of(day)
    assert fiscal_year_of(first - timedelta(days=1)) == fiscal_year_of(day) - 1


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(khamrap.thai.dates).failed == 0
