"""Thai text as words: Thai is written without spaces, so names are searched and compared on words.

PyThaiNLP's dictionary tokenizer (``newmm``) cuts the text; whitespace and punctuation are dropped, and the
words keep their case (callers that match without case fold them). The dictionary loads on the first call
(about half a second), not on import, so importing this module stays cheap.
"""

import unicodedata
from functools import lru_cache

from khamrap.thai.text import normalise

__all__ = ["words"]


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def _trimmed(token: str) -> str:
    """The token without the punctuation and symbols around it ("(Tourists)," → "Tourists"); inside it they
    stay ("12.5", "per-year")."""
    start, end = 0, len(token)
    while start < end and unicodedata.category(token[start])[0] in "PSZ":
        start += 1
    while end > start and unicodedata.category(token[end - 1])[0] in "PSZ":
        end -= 1
    return token[start:end]


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` in order, after :func:`~khamrap.thai.text.normalise`.

    >>> words("ร้อยละของผู้ป่วยที่ได้รับยา")
    ('ร้อยละ', 'ของ', 'ผู้ป่วย', 'ที่', 'ได้รับ', 'ยา')
    """
    from pythainlp.tokenize import word_tokenize  # the dictionary loads here, once

    cleaned = normalise(text)
    if not cleaned:
        return ()
    tokens = word_tokenize(cleaned, engine="newmm", keep_whitespace=False)
    return tuple(_trimmed(token) for token in tokens if _is_word(token))
