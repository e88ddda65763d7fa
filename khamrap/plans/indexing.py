"""The words a KPI is found by: kept on the row by the writers of the tree, read by the KPI library.

Thai is written without spaces, so the library searches words (:func:`khamrap.thai.words.words`), not
characters: "ยา" finds "ร้อยละของผู้ป่วยที่ได้รับยา" but not "จำนวนพยาบาล". Each column holds the words folded to
one case, each between spaces, so one word is one ``contains(" word ")`` whatever the database.
"""

from collections.abc import Iterable

from khamrap.plans.models import Kpi
from khamrap.thai.words import words

# The fields whose words find a KPI; the name's words also rank it first.
INDEXED_FIELDS = ("name", "unit", "definition")
INDEX_COLUMNS = ("name_words", "text_words")


def search_words(text: str) -> tuple[str, ...]:
    """The distinct words of ``text`` as they are stored and searched (one case), in order."""
    return tuple(dict.fromkeys(word.casefold() for word in words(text)))


def joined_words(texts: Iterable[str]) -> str:
    found = dict.fromkeys(word for text in texts for word in search_words(text))
    return f" {' '.join(found)} " if found else ""


def kpi_index(kpi: Kpi) -> None:
    """Set ``kpi``'s word columns from its name, unit and definition (the caller saves them)."""
    kpi.name_words = joined_words([kpi.name])
    kpi.text_words = joined_words(getattr(kpi, name) for name in INDEXED_FIELDS)
