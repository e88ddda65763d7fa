"""The PDF builder without the database: the cut of huge strings, and the Sarabun that PDFs embed.

The fonts are compared with the project's originals glyph by glyph, and a page of every consonant with ำ
and with stacked marks is rendered with both and compared pixel by pixel (``docs/documents.md``).
"""

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from khamrap.documents.pdf import (
    FONT_DIR,
    FONT_FACES,
    MAX_PRINTED_CHARS,
    StaticOnlyFetcher,
    _cut_strings,
    cut_for_print,
    font_face_css,
)
from khamrap.documents.pdf_fonts import pdf_font

FACES = [name for name, _weight, _style in FONT_FACES]


def test_a_short_text_is_printed_whole() -> None:
    text = "ร้อยละของสำนักงาน\n" * 50

    assert cut_for_print(text) == text


def test_a_long_text_is_cut_with_a_note_saying_how_long_it_was() -> None:
    text = "ประเมินผล " * 250_000

    assert cut_for_print(text) == "ประเมินผล " * 299 + "ประเมินผล…(ตัดความยาว: พิมพ์ 2,999 จาก 2,500,000 ตัวอักษร)"


def test_a_text_of_many_lines_is_cut_after_sixty() -> None:
    text = "บรรทัด\n" * 100

    assert cut_for_print(text) == "บรรทัด\n" * 59 + "บรรทัด…(ตัดความยาว: พิมพ์ 419 จาก 700 ตัวอักษร)"


def test_a_cut_keeps_a_letter_with_its_marks() -> None:
    # the cut falls between ท and the vowel and tone mark over it
    text = "ก" * (MAX_PRINTED_CHARS - 1) + "ที่นา"

    assert cut_for_print(text) == "ก" * (MAX_PRINTED_CHARS - 1) + "…(ตัดความยาว: พิมพ์ 2,999 จาก 3,004 ตัวอักษร)"


@dataclass(frozen=True)
class _Row:
    name: str
    lines: tuple[str, ...]
    count: int


def test_every_string_of_the_context_is_cut() -> None:
    long = "ก" * (MAX_PRINTED_CHARS + 1)
    context = {"rows": [_Row(name=long, lines=("สั้น", long), count=3)], "title": "แบบฟอร์ม"}

    cut = _cut_strings(context)

    short = cut_for_print(long)
    assert cut == {"rows": [_Row(name=short, lines=("สั้น", short), count=3)], "title": "แบบฟอร์ม"}


@pytest.mark.parametrize("face", FACES)
def test_the_pdf_fonts_keep_every_glyph_metric_and_character_of_the_originals(face: str) -> None:
    original = TTFont(FONT_DIR / face)
    built = TTFont(io.BytesIO(pdf_font(FONT_DIR / face)))

    order = original.getGlyphOrder()
    assert built.getGlyphOrder()[: len(order)] == order
    assert built.getBestCmap() == original.getBestCmap()
    assert built["name"].getDebugName(4) == original["name"].getDebugName(4)
    for name in order:
        assert built["hmtx"][name] == original["hmtx"][name]
        assert built["glyf"][name].getCoordinates(built["glyf"]) == original["glyf"][name].getCoordinates(
            original["glyf"]
        ), name


class _OriginalFontFetcher(StaticOnlyFetcher):
    def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
        response = super().fetch(url, headers)
        for face in FACES:
            if url.endswith(face):
                return URLFetcherResponse(url, (FONT_DIR / face).read_bytes())
        return response


def _page_image(fetcher: StaticOnlyFetcher, words: str, tmp_path: Path) -> Image.Image:
    fonts = FontConfiguration()
    css = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    html = f'<html lang="th"><body style="font: 12pt Sarabun">{words}</body></html>'
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css], font_config=fonts)
    command = ["pdftoppm", "-r", "150", "-gray", "-singlefile", "-", str(tmp_path / "page")]
    subprocess.run(command, input=pdf, check=True)
    return Image.open(tmp_path / "page.pgm").copy()


def test_the_pdf_fonts_draw_the_page_as_the_originals_do(tmp_path: Path) -> None:
    consonants = [chr(code) for code in range(0x0E01, 0x0E2F)]
    words = [c + tone + "ำ" for c in consonants for tone in ("", "่", "้", "๊", "๋")]
    words += ["การฟื้นฟู", "ปั้น", "ฝั่ง", "ฟื้น", "ปี่", "ขึ้น", "ที่", "ซึ่ง", "ปู่", "ญาติ", "ฐาน"]
    # One box per word, so that the rounding of one word's positions does not move the next.
    paragraphs = "".join(
        f'<span style="display: inline-block; width: 11mm; {style}">{word}</span>'
        for style in ("", "font-weight: 700", "font-style: italic")
        for word in words
    )

    drawn = _page_image(StaticOnlyFetcher(), paragraphs, tmp_path)
    original = _page_image(_OriginalFontFetcher(), paragraphs, tmp_path)

    # The joined ำ puts its NIKHAHIT where HarfBuzz put it to within a thousandth of an em (measured at
    # 1200 dpi: 1 unit at most). At 150 dpi that is an edge pixel a shade lighter or darker here and
    # there (84 of 255 at most on this page); no pixel turns from ink to paper or back.
    difference = ImageChops.difference(drawn, original)
    assert max(level for level, count in enumerate(difference.histogram()) if count) < 128
