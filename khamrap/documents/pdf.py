"""PDFs from Django templates with WeasyPrint, in the project's own Thai font on every machine.

- The Sarabun files in ``khamrap/static/fonts`` are declared with ``@font-face`` and ``file:`` URLs, so
  the output never depends on the fonts installed on the machine, and WeasyPrint embeds (subsets) them.
- WeasyPrint may read only files under ``khamrap/static``: no network, no other file, whatever a
  template or a user's text contains.
- SARA AM (ำ) is written as its compatibility decomposition NIKHAHIT + SARA AA (ํ + า) before rendering.
  HarfBuzz draws ำ as those two glyphs anyway, and WeasyPrint maps each glyph back to text on its own: the
  NIKHAHIT glyph to nothing and the SARA AA glyph to า, so "สำนักงาน" would be extracted, copied and
  searched as "สานักงาน". Decomposed, the page looks the same and the text reads back as "สํานักงาน",
  which :func:`khamrap.thai.text.compose_sara_am` (or NFKC-aware search) turns back into the original.
  DESIGN.md §10 and ``docs/documents.md`` tell the whole story.
- Decomposing ำ alone would spoil line breaking: Pango finds Thai word boundaries with libthai's
  dictionary, which does not know "ดําเนินงาน" spelt with ํ + า, and would leave such a phrase unbroken
  (overflowing a narrow cell) or break it inside a word. So the word boundaries are found first, on the
  text as written, by the same Pango breaker WeasyPrint uses, and marked with ZERO WIDTH SPACE (U+200B);
  then ำ is decomposed. The marks draw nothing and leave nothing in the extracted text.
"""

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

# Not public API, but the very breaker WeasyPrint lays lines out with (pyproject pins WeasyPrint < 71; the
# test that Thai words are not broken across lines fails if this ever changes meaning).
from weasyprint.text.line_break import get_log_attrs
from weasyprint.urls import URLFetcher, URLFetcherResponse

from khamrap.thai.text import decompose_sara_am

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FONT_DIR = STATIC_DIR / "fonts"
FONT_FAMILY = "Sarabun"
# (file, weight, style): the faces a template may ask for with font-weight / font-style.
FONT_FACES = (
    ("Sarabun-Regular.ttf", 400, "normal"),
    ("Sarabun-SemiBold.ttf", 600, "normal"),
    ("Sarabun-Bold.ttf", 700, "normal"),
    ("Sarabun-Italic.ttf", 400, "italic"),
)
ZERO_WIDTH_SPACE = "\u200b"
_THAI_RUN = re.compile("[\u0e01-\u0e5b]+")
# The <title> becomes the PDF's metadata, shown by viewers in their own fonts: it keeps the text as written.
_TITLE = re.compile(r"(<title\b.*?</title>)", re.IGNORECASE | re.DOTALL)


def prepare_thai_text(text: str) -> str:
    r"""Thai text made ready for WeasyPrint: word boundaries marked, then ำ decomposed (see above).

    >>> prepare_thai_text("จัดทำแผน") == "จัด\u200bท\u0e4d\u0e32\u200bแผน"
    True
    """
    return _THAI_RUN.sub(lambda run: decompose_sara_am(_mark_word_boundaries(run[0])), text)


@lru_cache(maxsize=8192)
def _mark_word_boundaries(run: str) -> str:
    if len(run) < 2:
        return run
    # One entry per position before each character (and one after the last): where a line may break.
    attrs = get_log_attrs(run, "th")
    return "".join(
        (ZERO_WIDTH_SPACE if i and attrs[i].is_line_break else "") + char for i, char in enumerate(run)
    )


def font_face_css() -> str:
    """``@font-face`` rules for the project's Sarabun files, by absolute ``file:`` URL."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{(FONT_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FONT_FACES
    )


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Lets WeasyPrint read files under ``khamrap/static`` and nothing else."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"PDF rendering may not fetch {url!r}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR):
            raise ValueError(f"PDF rendering may not read {path}")
        return URLFetcherResponse(url, path.read_bytes())


def render_pdf(template_name: str, context: Mapping[str, Any], *, base_url: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    The template supplies its own page CSS (``@page`` size, margins, running headers) and may use
    ``font-family: Sarabun`` in any of the weights of :data:`FONT_FACES`. Relative URLs resolve against
    ``base_url``, by default the static folder (``fonts/…``, ``css/…``).
    """
    parts = _TITLE.split(render_to_string(template_name, dict(context)))
    # split() puts the titles it matched at the odd positions.
    html = "".join(part if n % 2 else prepare_thai_text(part) for n, part in enumerate(parts))
    fonts = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    stylesheet = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url or STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    return pdf
