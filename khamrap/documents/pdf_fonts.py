"""The Sarabun that PDFs embed: the project's font with a few glyphs added, so the text layer is exact.

A PDF keeps its text as glyphs and maps each glyph back to text on its own (the font's ToUnicode map).
WeasyPrint fills that map with the text of the glyph's cluster the first time it draws the glyph, so a glyph
drawn for two different texts reads back as whichever came first. Two places in Thai need more than the
font's own glyphs to read back exactly (``docs/documents.md`` has the measurements):

- **SARA AM (ำ).** HarfBuzz always draws ำ as two glyphs, NIKHAHIT + SARA AA (ํ + า) — with a tone mark
  the NIKHAHIT and the tone become one ligature glyph — and the SARA AA glyph is shared with า. So one of
  the two glyphs reads back as nothing and the other as "า" or "ำ", whichever came first: "สำนักงาน" read
  back as "สำนักงำน" or "สานักงาน". Here the two are joined into one glyph (one per tone mark and per
  place the consonant before gives the NIKHAHIT), which only ever stands for "ำ" (or "่ำ", "้ำ" …).
  No glyph is left that stands for nothing, which PDFium (Chrome's viewer) would read as a stray letter.
- **A tone mark over the narrowed upper vowel of a tall consonant (ฟื้น, ปั้น, ฝั่ง).** Sarabun narrows the
  vowel by drawing it further left and then moves the tone mark left onto it (about 0.2 em), which the
  PDF can only write as pen moves around the mark; extractors read those moves as word gaps ("ฟื ้ นฟู").
  Here the tone mark gets a copy drawn that much further left, with its attachment point moved with it, so
  it lands on the very same spot with almost no pen move.

Nothing else changes: every other glyph, metric and positioning rule is the font's own, the page looks the
same (``tests/documents/test_pdf.py`` compares the pixels), and the web pages keep serving the unchanged
files. The glyph names are Sarabun's; a font without them fails loudly.
"""

import copy
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from statistics import mean
from typing import Any

from fontTools.otlLib.builder import (
    buildCoverage,
    buildLigatureSubstSubtable,
    buildLookup,
    buildSingleSubstSubtable,
)
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

NIKHAHIT = "uni0E4D"
SARA_AA = "uni0E32"
SARA_AM = "uni0E33"
TONE_MARKS = ("uni0E48", "uni0E49", "uni0E4A", "uni0E4B")  # ่ ้ ๊ ๋
# The tone marks (and THANTHAKHAT ์) as Sarabun draws them over an upper vowel.
SMALL_TONE_MARKS = tuple(f"{mark}.small" for mark in (*TONE_MARKS, "uni0E4C"))
# The upper vowels a tone mark can stand on (ั ิ ี ึ ื), and their narrowed forms after ป ฝ ฟ ฬ.
UPPER_VOWELS = ("uni0E31", "uni0E34", "uni0E35", "uni0E36", "uni0E37")
NARROW_UPPER_VOWELS = tuple(f"{vowel}.narrow" for vowel in UPPER_VOWELS)
TALL = ".tall"  # the suffix of the moved tone marks


@cache
def pdf_font(path: Path) -> bytes:
    """The font file at ``path`` with the glyphs above added, as TrueType bytes (built once per process)."""
    font = TTFont(path)
    join_sara_am(font)
    shift_tones_over_narrow_vowels(font)
    if "DSIG" in font:  # the signature of the original file no longer holds
        del font["DSIG"]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def join_sara_am(font: TTFont) -> None:
    """Draw every ำ as one glyph: NIKHAHIT (or its ligature with the tone mark) and SARA AA together.

    HarfBuzz has put the NIKHAHIT where the consonant before it wants it (a mark-to-base attachment), and
    consonants want it at slightly different places; so there is one joined glyph per place, chosen by the
    consonant before it, and the NIKHAHIT lands where it did to within a thousandth of an em.
    """
    gsub = font["GSUB"].table
    # NIKHAHIT, plain or narrowed (after ป ฝ ฟ ฬ), alone or joined with a tone mark: uni0E4D0E49.narrow …
    nikhahits = [f"{NIKHAHIT}{tone[3:]}{form}" for tone in ("", *TONE_MARKS) for form in ("", ".narrow")]
    consonants = [font.getBestCmap()[code] for code in range(0x0E01, 0x0E2F)]
    # Where each consonant puts each NIKHAHIT, relative to the pen (= where SARA AA starts).
    places: dict[tuple[tuple[int, int], ...], list[str]] = {}
    for consonant in consonants:
        place = tuple(_mark_offset(font, consonant, nikhahit) for nikhahit in nikhahits)
        places.setdefault(place, []).append(consonant)
    joined: dict[tuple[str, tuple[int, int]], str] = {}

    def joined_glyph(nikhahit: str, offset: tuple[int, int]) -> str:
        if (nikhahit, offset) not in joined:
            name = f"{SARA_AM}.{nikhahit.removeprefix(NIKHAHIT).lstrip('.') or 'plain'}.{len(joined)}"
            joined[nikhahit, offset] = _draw_glyph(
                font, name, [(SARA_AA, (0, 0)), (nikhahit, offset)], SARA_AA
            )
        return joined[nikhahit, offset]

    rules = []
    # The most common place also serves ำ after anything that is not a consonant.
    for n, (place, after) in enumerate(sorted(places.items(), key=lambda item: -len(item[1]))):
        mapping = {
            nikhahit: joined_glyph(nikhahit, offset)
            for nikhahit, offset in zip(nikhahits, place, strict=True)
        }
        lookup = _add_ligature_lookup(
            gsub, {(nikhahit, SARA_AA): glyph for nikhahit, glyph in mapping.items()}
        )
        rules.append(_chain_rule(font, backtrack=after, input_=[nikhahits, [SARA_AA]], lookup=lookup))
        if n == 0:
            fallback = _chain_rule(font, input_=[nikhahits, [SARA_AA]], lookup=lookup)
    _apply_last_in_thai_ccmp(gsub, [buildLookup([*rules, fallback])])


def shift_tones_over_narrow_vowels(font: TTFont) -> None:
    """Draw a tone mark over a narrowed upper vowel as a copy moved left, instead of moving the mark."""
    gsub = font["GSUB"].table
    # The narrowed vowels are drawn this much further left (in font units) where a tone mark stands.
    shift = round(
        mean(
            _mark2_x(font, n) - _mark2_x(font, v)
            for n, v in zip(NARROW_UPPER_VOWELS, UPPER_VOWELS, strict=True)
        )
    )
    copies = {mark: _copy_glyph(font, mark, mark + TALL, shift=shift) for mark in SMALL_TONE_MARKS}
    rule = _chain_rule(
        font, backtrack=NARROW_UPPER_VOWELS, input_=[SMALL_TONE_MARKS], lookup=_add_lookup(gsub, copies)
    )
    _apply_last_in_thai_ccmp(gsub, [buildLookup([rule])])


def _draw_glyph(font: TTFont, name: str, parts: list[tuple[str, tuple[int, int]]], metrics_of: str) -> str:
    """Add glyph ``name``, drawn as the glyphs of ``parts`` each moved by its (x, y) offset, with the
    advance width and glyph class of ``metrics_of``."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    pen = TTGlyphPen(glyph_set)
    for part, (x, y) in parts:
        if part not in order:
            raise ValueError(f"{font['name'].getDebugName(4)} has no glyph {part}")
        glyph_set[part].draw(TransformPen(pen, (1, 0, 0, 1, x, y)))
    glyph = pen.glyph()
    glyf = font["glyf"]
    font.setGlyphOrder([*order, name])
    glyf.glyphOrder = font.getGlyphOrder()
    glyf[name] = glyph
    glyph.recalcBounds(glyf)
    advance, _lsb = font["hmtx"][metrics_of]
    font["hmtx"][name] = (advance, getattr(glyph, "xMin", 0))
    font["maxp"].numGlyphs = len(font.getGlyphOrder())
    class_def = font["GDEF"].table.GlyphClassDef
    if metrics_of in class_def.classDefs:
        class_def.classDefs[name] = class_def.classDefs[metrics_of]
    return name


def _copy_glyph(font: TTFont, source: str, name: str, *, shift: int = 0) -> str:
    """Add glyph ``name``: ``source`` drawn ``shift`` units to the right, with the same class and anchors
    (moved with it) in every positioning rule that mentions ``source``."""
    _draw_glyph(font, name, [(source, (shift, 0))], source)
    gdef = font["GDEF"].table
    if gdef.MarkAttachClassDef is not None and source in gdef.MarkAttachClassDef.classDefs:
        gdef.MarkAttachClassDef.classDefs[name] = gdef.MarkAttachClassDef.classDefs[source]
    for lookup in font["GPOS"].table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            _copy_positions(subtable, lookup.LookupType, source, name, shift)
    return name


# The positioning subtables that may mention a glyph, by lookup type: (coverage, records) attribute pairs.
_MARK_RECORDS = {
    4: (("MarkCoverage", "MarkArray.MarkRecord"), ("BaseCoverage", "BaseArray.BaseRecord")),
    6: (("Mark1Coverage", "Mark1Array.MarkRecord"), ("Mark2Coverage", "Mark2Array.Mark2Record")),
}


def _copy_positions(subtable: Any, lookup_type: int, source: str, name: str, shift: int) -> None:
    if lookup_type == 9:  # an extension wraps the real subtable
        subtable, lookup_type = subtable.ExtSubTable, subtable.ExtensionLookupType
    if lookup_type not in _MARK_RECORDS:
        if source in _glyphs_covered(subtable):
            raise ValueError(f"cannot copy {source}: GPOS lookup type {lookup_type} positions it")
        return
    for coverage_name, records_path in _MARK_RECORDS[lookup_type]:
        coverage = getattr(subtable, coverage_name)
        if source not in coverage.glyphs:
            continue
        array_name, list_name = records_path.split(".")
        array = getattr(subtable, array_name)
        records = getattr(array, list_name)
        record = copy.deepcopy(records[coverage.glyphs.index(source)])
        for anchor in _anchors(record):
            anchor.XCoordinate += shift
        # The copy has the highest glyph id yet, so appending keeps the coverage sorted.
        coverage.glyphs.append(name)
        records.append(record)
        setattr(array, list_name.replace("Record", "Count"), len(records))


def _anchors(record: Any) -> list[Any]:
    found = [getattr(record, "MarkAnchor", None)]
    for many in ("BaseAnchor", "Mark2Anchor"):
        found.extend(getattr(record, many, None) or ())
    return [anchor for anchor in found if anchor is not None]


def _glyphs_covered(subtable: Any) -> set[str]:
    covered: set[str] = set()
    for value in vars(subtable).values():
        if isinstance(value, otTables.Coverage):
            covered.update(value.glyphs)
    return covered


def _mark_offset(font: TTFont, base: str, mark: str) -> tuple[int, int]:
    """Where ``mark`` goes after ``base`` (its mark-to-base attachment), from the pen after ``base``."""
    for lookup in font["GPOS"].table.LookupList.Lookup:
        if lookup.LookupType != 4:
            continue
        for subtable in lookup.SubTable:
            marks, bases = subtable.MarkCoverage.glyphs, subtable.BaseCoverage.glyphs
            if mark not in marks or base not in bases:
                continue
            mark_record = subtable.MarkArray.MarkRecord[marks.index(mark)]
            anchor = subtable.BaseArray.BaseRecord[bases.index(base)].BaseAnchor[mark_record.Class]
            if anchor is None:
                continue
            advance = font["hmtx"][base][0]
            return (
                int(anchor.XCoordinate - advance - mark_record.MarkAnchor.XCoordinate),
                int(anchor.YCoordinate - mark_record.MarkAnchor.YCoordinate),
            )
    return (0, 0)


def _mark2_x(font: TTFont, glyph: str) -> int:
    """Where a mark attaches on top of ``glyph`` (its mark-to-mark anchor), horizontally."""
    for lookup in font["GPOS"].table.LookupList.Lookup:
        if lookup.LookupType != 6:
            continue
        for subtable in lookup.SubTable:
            if glyph in subtable.Mark2Coverage.glyphs:
                record = subtable.Mark2Array.Mark2Record[subtable.Mark2Coverage.glyphs.index(glyph)]
                return int(record.Mark2Anchor[0].XCoordinate)
    raise ValueError(f"no mark attaches on top of {glyph}")


def _add_lookup(gsub: Any, mapping: dict[str, str]) -> int:
    """A single substitution lookup, reachable only from a contextual rule; its index."""
    return _append(gsub, buildLookup([buildSingleSubstSubtable(mapping)]))


def _add_ligature_lookup(gsub: Any, mapping: dict[tuple[str, ...], str]) -> int:
    """A ligature substitution lookup, reachable only from a contextual rule; its index."""
    return _append(gsub, buildLookup([buildLigatureSubstSubtable(mapping)]))


def _append(gsub: Any, lookup: Any) -> int:
    gsub.LookupList.Lookup.append(lookup)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    return len(gsub.LookupList.Lookup) - 1


def _chain_rule(
    font: TTFont, *, input_: Sequence[Sequence[str]], lookup: int, backtrack: Sequence[str] = ()
) -> Any:
    """A run of glyphs, one of each group of ``input_``, after one of ``backtrack`` (if given), goes
    through ``lookup``."""
    glyph_ids = font.getReverseGlyphMap()
    rule = otTables.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackCoverage = [buildCoverage(backtrack, glyph_ids)] if backtrack else []
    rule.InputCoverage = [buildCoverage(group, glyph_ids) for group in input_]
    rule.LookAheadCoverage = []
    rule.BacktrackGlyphCount = len(rule.BacktrackCoverage)
    rule.InputGlyphCount = len(rule.InputCoverage)
    rule.LookAheadGlyphCount = 0
    record = otTables.SubstLookupRecord()
    record.SequenceIndex = 0
    record.LookupListIndex = lookup
    rule.SubstLookupRecord = [record]
    rule.SubstCount = 1
    return rule


def _apply_last_in_thai_ccmp(gsub: Any, lookups: list[Any]) -> None:
    """Append ``lookups`` to the Thai script's ``ccmp`` feature: after every substitution of the font."""
    first = len(gsub.LookupList.Lookup)
    gsub.LookupList.Lookup.extend(lookups)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    thai = next(record.Script for record in gsub.ScriptList.ScriptRecord if record.ScriptTag == "thai")
    feature_indices = {
        index
        for lang_sys in [thai.DefaultLangSys, *(r.LangSys for r in thai.LangSysRecord)]
        if lang_sys is not None
        for index in lang_sys.FeatureIndex
    }
    features = [
        gsub.FeatureList.FeatureRecord[index].Feature
        for index in sorted(feature_indices)
        if gsub.FeatureList.FeatureRecord[index].FeatureTag == "ccmp"
    ]
    if not features:
        raise ValueError("the font has no ccmp feature for Thai")
    for feature in features:
        feature.LookupListIndex.extend(range(first, first + len(lookups)))
        feature.LookupCount = len(feature.LookupListIndex)
