"""parse_be_date: a Buddhist-Era date as Thai people type it, or a message that says what is wrong."""

from datetime import date

import pytest

from khamrap.thai import ThaiDateError, parse_be_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/10/2550", date(2007, 10, 20)),
        ("20/10/2550 ", date(2007, 10, 20)),
        ("1/1/2551", date(2008, 1, 1)),
        ("01/01/2551", date(2008, 1, 1)),
        ("20-10-2550", date(2007, 10, 20)),
        ("20.10.2550", date(2007, 10, 20)),
        ("๒๐/๑๐/๒๕๕๐", date(2007, 10, 20)),
        ("20 ต.ค. 2550", date(2007, 10, 20)),
        ("20 ต.ค.2550", date(2007, 10, 20)),
        ("20ต.ค.2550", date(2007, 10, 20)),
        ("20 ตค 2550", date(2007, 10, 20)),
        ("20 ตุลาคม 2550", date(2007, 10, 20)),
        ("20 ตุลาคม พ.ศ. 2550", date(2007, 10, 20)),
        ("๒๐ ต.ค. ๒๕๕๐", date(2007, 10, 20)),
        ("\u200b20 ต.ค.  2550", date(2007, 10, 20)),
        ("29/2/2551", date(2008, 2, 29)),
        ("30 ก.ย. 2551", date(2008, 9, 30)),
    ],
)
def test_it_reads_a_buddhist_era_date(text: str, expected: date) -> None:
    assert parse_be_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message_th", "message_en"),
    [
        (
            "",
            "ไม่ใช่วันที่ที่ถูกต้อง: (ว่าง) (เขียนเป็น วว/ดด/ปปปป เช่น 20/10/2550)",
            "not a valid date: (empty) (write it as dd/mm/yyyy, e.g. 20/10/2550)",
        ),
        (
            "abc",
            'ไม่ใช่วันที่ที่ถูกต้อง: "abc" (เขียนเป็น วว/ดด/ปปปป เช่น 20/10/2550)',
            'not a valid date: "abc" (write it as dd/mm/yyyy, e.g. 20/10/2550)',
        ),
        (
            "2550-10-20",
            'ไม่ใช่วันที่ที่ถูกต้อง: "2550-10-20" (เขียนเป็น วว/ดด/ปปปป เช่น 20/10/2550)',
            'not a valid date: "2550-10-20" (write it as dd/mm/yyyy, e.g. 20/10/2550)',
        ),
        (
            "20/10/2007",
            'ปีต้องเป็นพุทธศักราช (พ.ศ.) เช่น 2550 ไม่ใช่คริสต์ศักราช 2007: "20/10/2007"',
            'the year must be Buddhist Era (B.E.), e.g. 2550, not 2007 C.E.: "20/10/2007"',
        ),
        (
            "20 ต.ค. 2007",
            'ปีต้องเป็นพุทธศักราช (พ.ศ.) เช่น 2550 ไม่ใช่คริสต์ศักราช 2007: "20 ต.ค. 2007"',
            'the year must be Buddhist Era (B.E.), e.g. 2550, not 2007 C.E.: "20 ต.ค. 2007"',
        ),
        (
            "20/10/50",
            'ไม่ใช่วันที่ที่ถูกต้อง: "20/10/50" (ปี พ.ศ. ต้องมีสี่หลัก เช่น 2550)',
            'not a valid date: "20/10/50" (the Buddhist-Era year needs four digits, e.g. 2550)',
        ),
        (
            "20/10/3112",
            'ไม่ใช่วันที่ที่ถูกต้อง: "20/10/3112" (ปี พ.ศ. 3112 อยู่นอกช่วงที่รับได้)',
            'not a valid date: "20/10/3112" (the year B.E. 3112 is out of range)',
        ),
        (
            "1/13/2550",
            'ไม่ใช่วันที่ที่ถูกต้อง: "1/13/2550" (ไม่มีเดือนที่ 13)',
            'not a valid date: "1/13/2550" (there is no month 13)',
        ),
        (
            "31/02/2551",
            'ไม่ใช่วันที่ที่ถูกต้อง: "31/02/2551" (กุมภาพันธ์ 2551 ไม่มีวันที่ 31)',
            'not a valid date: "31/02/2551" (February 2551 B.E. has no day 31)',
        ),
        (
            "๓๑/๐๒/๒๕๕๑",
            'ไม่ใช่วันที่ที่ถูกต้อง: "๓๑/๐๒/๒๕๕๑" (กุมภาพันธ์ 2551 ไม่มีวันที่ 31)',
            'not a valid date: "๓๑/๐๒/๒๕๕๑" (February 2551 B.E. has no day 31)',
        ),
        (
            "0/10/2550",
            'ไม่ใช่วันที่ที่ถูกต้อง: "0/10/2550" (ตุลาคม 2550 ไม่มีวันที่ 0)',
            'not a valid date: "0/10/2550" (October 2550 B.E. has no day 0)',
        ),
        (
            "20 ตุลา 2550",
            'ไม่ใช่วันที่ที่ถูกต้อง: "20 ตุลา 2550" (ไม่รู้จักเดือน ตุลา)',
            'not a valid date: "20 ตุลา 2550" (unknown month ตุลา)',
        ),
    ],
)
def test_it_refuses_what_is_not_a_buddhist_era_date(text: str, message_th: str, message_en: str) -> None:
    with pytest.raises(ThaiDateError) as caught:
        parse_be_date(text)
    assert (caught.value.message_th, caught.value.message_en, caught.value.text) == (
        message_th,
        message_en,
        text,
    )
    assert str(caught.value) == message_en
