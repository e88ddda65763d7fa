"""Thai text: one normal form for what people type, and SARA AM (ำ) written back as one character.

SARA AM (U+0E33) has a compatibility decomposition, NIKHAHIT + SARA AA (U+0E4D U+0E32), that looks the
same; text extracted from PDFs (the OPDC letter of 21 Sep 2550 among them) and some input methods produce
the decomposed pair, which then fails to match the composed word in searches and comparisons. NFC does not
compose it, so :func:`compose_sara_am` does — in :func:`normalise` for what is typed, and on every document
just before it is rendered to PDF.
"""

import re
import unicodedata

__all__ = ["compose_sara_am", "normalise"]

SARA_AM = "\u0e33"
NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
_TONE_MARKS = "\u0e48-\u0e4b"  # ่ ้ ๊ ๋
_ABOVE_VOWELS = "\u0e31\u0e34-\u0e37"  # ั ิ ี ึ ื
_BELOW_VOWELS = "\u0e38-\u0e3a"  # ุ ู ฺ

# Thai spelling puts a tone mark between the consonant and ำ (น + ้ + ำ); extracted or mistyped text may
# hold it between the two halves of ำ instead (น + ํ + ้ + า). Both compose to น้ำ.
_DECOMPOSED_AM = re.compile(f"{NIKHAHIT}([{_TONE_MARKS}]?){SARA_AA}")
# Unicode gives the above vowels combining class 0, so NFC leaves a tone typed before them (ซ่ึง) in place.
# In each run of marks over and under one consonant, the above vowels go first, then the rest in NFC's
# order (below vowels, then tone marks): a stable sort, so normalising twice changes nothing more.
_MARKS_RUN = re.compile(f"[{_ABOVE_VOWELS}{_BELOW_VOWELS}{_TONE_MARKS}]{{2,}}")
_ABOVE_VOWEL = re.compile(f"[{_ABOVE_VOWELS}]")
# ZERO WIDTH SPACE, WORD JOINER, ZERO WIDTH NO-BREAK SPACE (BOM). Zero-width (non-)joiners are kept: they
# carry meaning in emoji and other scripts.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))


def compose_sara_am(text: str) -> str:
    """Write every NIKHAHIT + SARA AA (ํ + า) as SARA AM (ำ), moving a tone mark between them in front.

    >>> compose_sara_am("สํานักงาน") == "สำนักงาน"
    True
    """
    return _DECOMPOSED_AM.sub(lambda m: m[1] + SARA_AM, text)


def normalise(text: str, *, multiline: bool = False) -> str:
    """The one form in which typed or pasted Thai text is stored and compared.

    NFC; zero-width spaces removed; ำ composed (:func:`compose_sara_am`); a tone mark typed before an
    above vowel put after it ("ซ่ึง" → "ซึ่ง", the order every Thai font and search expects); runs of
    whitespace (including no-break spaces and, unless ``multiline``, line breaks) made one space; the ends
    stripped.

    With ``multiline`` (definitions, formulas, remarks) line breaks are kept, each line is normalised as
    above, consecutive blank lines become one and blank lines at the ends are dropped.
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = _MARKS_RUN.sub(_sort_marks, compose_sara_am(text))
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n")


def _sort_marks(run: re.Match[str]) -> str:
    return "".join(sorted(run[0], key=_mark_order))


def _mark_order(mark: str) -> int:
    return -1 if _ABOVE_VOWEL.match(mark) else unicodedata.combining(mark)
