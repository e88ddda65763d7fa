import doctest
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

import khamrap.thai.text
from khamrap.thai import compose_sara_am, normalise

AM = "\u0e33"  # ำ
NIKHAHIT_AA = "\u0e4d\u0e32"  # ํ + า


def test_sara_am_has_a_compatibility_decomposition_that_compose_undoes() -> None:
    word = "น้ำคำรับรองประจำปี"

    assert unicodedata.normalize("NFKD", word) == "น้\u0e4d\u0e32ค\u0e4d\u0e32รับรองประจ\u0e4d\u0e32ปี"
    assert compose_sara_am(unicodedata.normalize("NFKD", word)) == word


def test_compose_sara_am() -> None:
    # as the OPDC letter's text came out of its PDF
    assert compose_sara_am("สํานักงาน ก.พ.ร. ประจําป") == "สำนักงาน ก.พ.ร. ประจำป"


def test_compose_sara_am_moves_a_tone_mark_typed_inside_it() -> None:
    assert compose_sara_am("น\u0e4d\u0e49\u0e32") == "น\u0e49" + AM  # น้ำ


def test_compose_sara_am_keeps_a_tone_mark_already_in_front() -> None:
    assert compose_sara_am("น\u0e49\u0e4d\u0e32") == "น\u0e49" + AM


def test_compose_leaves_a_lone_nikhahit_or_sara_aa() -> None:
    assert compose_sara_am("\u0e4dก\u0e32") == "\u0e4dก\u0e32"


@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)))
def test_composing_undoes_decomposing(text: str) -> None:
    composed = compose_sara_am(text)

    # NFKD writes ำ as ํ + า and also puts stacked marks in canonical order, as NFC does.
    assert compose_sara_am(unicodedata.normalize("NFKD", composed)) == unicodedata.normalize("NFC", composed)
    assert NIKHAHIT_AA not in composed


def test_normalise_strips_and_collapses_whitespace() -> None:
    assert normalise("  จังหวัด \t เชียงใหม่\u00a0\u00a0 \n") == "จังหวัด เชียงใหม่"


def test_normalise_removes_zero_width_spaces() -> None:
    assert normalise("ตัว\u200bชี้\ufeffวัด\u2060") == "ตัวชี้วัด"


def test_normalise_composes_sara_am() -> None:
    assert normalise("คํารับรองการปฏิบัติราชการ") == "คำรับรองการปฏิบัติราชการ"


def test_normalise_puts_tone_marks_after_above_vowels() -> None:
    # "ซ่ึง" and "น้ี" as extracted from the OPDC letter
    assert normalise("ซ\u0e48\u0e36ง น\u0e49\u0e35") == "ซึ่ง นี้"


def test_normalise_applies_nfc() -> None:
    assert normalise("Cafe\u0301") == "Café"


def test_normalise_keeps_zero_width_joiners() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"

    assert normalise(family) == family


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "\n\n"])
def test_normalise_of_blank_is_empty(text: str) -> None:
    assert normalise(text) == ""
    assert normalise(text, multiline=True) == ""


def test_normalise_multiline_keeps_lines_and_one_blank_line_between_paragraphs() -> None:
    text = "\r\n  ร้อยละของ   ผู้รับบริการ \r\n\r\n\r\n สูตร:  A / B × 100  \n \n"

    assert normalise(text, multiline=True) == "ร้อยละของ ผู้รับบริการ\n\nสูตร: A / B × 100"


@given(st.text() | st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B) | st.just(" ")))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)

    assert normalise(once) == once
    assert normalise(normalise(text, multiline=True), multiline=True) == normalise(text, multiline=True)


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(khamrap.thai.text).failed == 0
