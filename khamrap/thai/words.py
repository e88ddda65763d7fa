"""Thai words: Thai is written without spaces, so names are compared on the words PyThaiNLP finds in them.

:func:`words` cuts a text into words with PyThaiNLP's ``newmm`` tokenizer (its dictionary ships inside the
package: nothing is downloaded at run time), after :func:`khamrap.thai.text.normalise`; spaces and
punctuation are dropped, Latin letters lowered. :func:`content_words` also drops :data:`FILLER_WORDS`, the
words nearly every KPI name carries ("ร้อยละ", "จำนวน", "ของ" …), which would make any two names look alike.
:func:`name_similarity` is the Sørensen–Dice coefficient of two names' content words.
"""

from decimal import Decimal
from functools import lru_cache

from khamrap.thai.text import normalise

__all__ = ["FILLER_WORDS", "content_words", "name_similarity", "words"]

# Words that say how a KPI is counted or join its parts, not what it measures (docs/appropriateness.md).
FILLER_WORDS: frozenset[str] = frozenset(
    {
        "ร้อยละ", "จำนวน", "ระดับ", "อัตรา", "สัดส่วน", "ความสำเร็จ", "ค่าเฉลี่ย", "เฉลี่ย", "ผล",
        "การ", "ความ", "ของ", "ที่", "และ", "หรือ", "ใน", "ให้", "ได้", "มี", "เป็น", "กับ", "แก่", "ต่อ",
        "จาก", "โดย", "เพื่อ", "ตาม", "ด้าน", "ทาง", "ซึ่ง", "นั้น", "นี้", "ทั้ง", "แต่", "ไป", "มา",
        "ขึ้น", "ลง", "เพิ่มขึ้น", "ลดลง", "จังหวัด", "ของจังหวัด", "ตัวชี้วัด", "ปี",
        "of", "the", "and", "or", "in", "to", "for", "a", "an", "percentage", "percent", "number", "rate",
    }
)  # fmt: skip


@lru_cache(maxsize=65_536)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` in order, normalised, without spaces or punctuation.

    >>> words("ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.")
    ('ร้อยละ', 'ของ', 'ครัวเรือน', 'ที่', 'ผ่าน', 'เกณฑ์', 'จปฐ')
    """
    from pythainlp.tokenize import word_tokenize  # the dictionary loads on the first call, not on import

    found: list[str] = []
    for token in word_tokenize(normalise(text), engine="newmm", keep_whitespace=False):
        word = "".join(ch for ch in token if ch.isalnum() or _is_thai_mark(ch)).lower()
        if word:
            found.append(word)
    return tuple(found)


def _is_thai_mark(ch: str) -> bool:
    return "\u0e30" <= ch <= "\u0e4e"  # vowels and tone marks, which str.isalnum() does not count


@lru_cache(maxsize=65_536)
def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that say what it is about: :func:`words` without :data:`FILLER_WORDS`."""
    return frozenset(word for word in words(text) if word not in FILLER_WORDS)


def name_similarity(a: str, b: str) -> Decimal:
    """How alike two names are, 0 to 1: twice the content words they share over the content words of both
    (Sørensen–Dice). Two names without content words are not alike (0)."""
    first, second = content_words(a), content_words(b)
    if not first or not second:
        return Decimal(0)
    return Decimal(2 * len(first & second)) / Decimal(len(first) + len(second))
