import doctest
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import khamrap.thai.numbers
from khamrap.thai import ThaiNumberError, format_decimal, parse_decimal, to_arabic_digits, to_thai_digits


def test_to_thai_digits_changes_only_digits() -> None:
    assert to_thai_digits("FY2551: 1,234.50 บาท") == "FY๒๕๕๑: ๑,๒๓๔.๕๐ บาท"


def test_to_arabic_digits_changes_only_digits() -> None:
    assert to_arabic_digits("ปีงบประมาณ พ.ศ. ๒๕๕๑ ข้อ ๑.๑") == "ปีงบประมาณ พ.ศ. 2551 ข้อ 1.1"


@given(st.text())
def test_thai_digits_round_trip(text: str) -> None:
    assert to_arabic_digits(to_thai_digits(to_arabic_digits(text))) == to_arabic_digits(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", Decimal("1234")),
        ("1,234.5", Decimal("1234.5")),
        ("๑,๒๓๔.๕", Decimal("1234.5")),
        ("1,๒34.5", Decimal("1234.5")),
        ("  12,345,678.90 ", Decimal("12345678.90")),
        ("\u00a01.5\t\n", Decimal("1.5")),
        ("\u200b42\u200b", Decimal("42")),
        ("+3", Decimal("3")),
        ("-3.25", Decimal("-3.25")),
        ("\u22123.25", Decimal("-3.25")),
        ("１，２３４．５", Decimal("1234.5")),
        ("－７", Decimal("-7")),
        ("0", Decimal("0")),
        ("0.0001", Decimal("0.0001")),
        ("1234567", Decimal("1234567")),
        ("999,999", Decimal("999999")),
    ],
)
def test_parse_decimal_accepts(text: str, value: Decimal) -> None:
    assert parse_decimal(text) == value


def test_parse_decimal_keeps_the_decimals_typed() -> None:
    assert str(parse_decimal("1.50")) == "1.50"


def test_parse_decimal_drops_the_sign_of_zero() -> None:
    assert str(parse_decimal("-0.00")) == "0.00"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1,2,3.4.5",
        "12,34",
        "1234,567",
        ",123",
        "1,234,",
        "1,234.567,8",
        "1.2.3",
        ".5",
        "5.",
        "1 234",
        "- 5",
        "--5",
        "+-5",
        "5-",
        "12.5%",
        "1e5",
        "1E5",
        "NaN",
        "Infinity",
        "1_000",
        "0x10",
        "5²",
        "①",
        "๑๒ บาท",
    ],
)
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(ThaiNumberError):
        parse_decimal(text)


def test_error_carries_thai_and_english_messages() -> None:
    with pytest.raises(ThaiNumberError) as caught:
        parse_decimal("1,2,3.4.5")

    assert caught.value.message_th == 'ไม่ใช่ตัวเลข: "1,2,3.4.5"'
    assert caught.value.message_en == 'not a number: "1,2,3.4.5"'
    assert str(caught.value) == 'not a number: "1,2,3.4.5"'
    assert caught.value.text == "1,2,3.4.5"


@pytest.mark.parametrize("text", ["", " ", "\u200b"])
def test_error_for_empty_input_says_it_is_empty(text: str) -> None:
    with pytest.raises(ThaiNumberError) as caught:
        parse_decimal(text)

    assert caught.value.message_th == "ไม่ใช่ตัวเลข: (ว่าง)"
    assert caught.value.message_en == "not a number: (empty)"


def test_thai_number_error_is_a_value_error() -> None:
    assert issubclass(ThaiNumberError, ValueError)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("1234567.125"), 2, "1,234,567.13"),
        (Decimal("1234.5"), 2, "1,234.50"),
        (Decimal("2.46666"), 4, "2.4667"),
        (Decimal("0.00005"), 4, "0.0001"),
        (Decimal("-0.00005"), 4, "-0.0001"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("999.995"), 2, "1,000.00"),
        (Decimal("1E+3"), 2, "1,000.00"),
        (Decimal("-1234.5"), 1, "-1,234.5"),
        (Decimal("-0.001"), 2, "0.00"),
        (1234, 0, "1,234"),
        (0, 2, "0.00"),
    ],
)
def test_format_decimal(value: Decimal | int, places: int, text: str) -> None:
    assert format_decimal(value, places) == text


def test_format_decimal_defaults_to_two_places() -> None:
    assert format_decimal(Decimal("3")) == "3.00"


def test_format_decimal_with_thai_digits() -> None:
    assert format_decimal(Decimal("1234.5"), thai_digits=True) == "๑,๒๓๔.๕๐"


@pytest.mark.parametrize("value", [1.5, True, "1.5"])
def test_format_decimal_refuses_non_decimals(value: object) -> None:
    with pytest.raises(TypeError):
        format_decimal(value, 2)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_format_decimal_refuses_non_finite(value: Decimal) -> None:
    with pytest.raises(ValueError, match="cannot format"):
        format_decimal(value)


def test_format_decimal_refuses_negative_places() -> None:
    with pytest.raises(ValueError, match="places"):
        format_decimal(Decimal(1), -1)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4), st.booleans())
def test_formatted_numbers_parse_back(value: Decimal, thai_digits: bool) -> None:
    assert parse_decimal(format_decimal(value, 4, thai_digits=thai_digits)) == value


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(khamrap.thai.numbers).failed == 0
