"""PDFs from Django templates with WeasyPrint, in the project's own Thai font on every machine.

- The Sarabun files in ``khamrap/static/fonts`` are declared with ``@font-face`` and ``file:`` URLs, so
  the output never depends on the fonts installed on the machine, and WeasyPrint embeds (subsets) them.
  WeasyPrint is given them with a few glyphs added (:mod:`khamrap.documents.pdf_fonts`), so that the PDF's
  text reads back exactly as written — ำ included — in pdftotext, pypdf, copy-paste and a viewer's search.
- The text is rendered as written: ำ stays ำ, and Pango breaks Thai lines at word boundaries (libthai).
  Only a decomposed ำ (ํ + า, as pasted from some PDFs) is written as ำ first, so it draws and reads back
  the same.
- Every string of the context is cut at :data:`MAX_PRINTED_CHARS` with a visible note: one huge field must
  not cost minutes and gigabytes to lay out.
- WeasyPrint may read only files under ``khamrap/static``: no network, no other file, whatever a
  template or a user's text contains.

``docs/documents.md`` tells the whole story, with the measurements.
"""

import dataclasses
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from khamrap.documents.pdf_fonts import pdf_font
from khamrap.thai.text import compose_sara_am

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
_FONT_FILES = frozenset((FONT_DIR / name).resolve() for name, _weight, _style in FONT_FACES)
# What one string of a PDF's context may print at most. The forms' fields are far shorter (a KPI name is at
# most 500 characters); a string of 2.5 million characters took 91 s and 430 MB to print before this cut.
MAX_PRINTED_CHARS = 3000
MAX_PRINTED_LINES = 60
CUT_NOTE = "…(ตัดความยาว: พิมพ์ {shown:,} จาก {total:,} ตัวอักษร)"


def cut_for_print(text: str) -> str:
    """``text``, or its first :data:`MAX_PRINTED_CHARS` characters (and :data:`MAX_PRINTED_LINES` lines)
    followed by :data:`CUT_NOTE`. A cut never separates a Thai consonant from the marks above and below it.

    >>> cut_for_print("ก" * 3001) == "ก" * 3000 + "…(ตัดความยาว: พิมพ์ 3,000 จาก 3,001 ตัวอักษร)"
    True
    """
    end = min(len(text), MAX_PRINTED_CHARS)
    line_break = -1
    for _line in range(MAX_PRINTED_LINES):
        line_break = text.find("\n", line_break + 1, end)
        if line_break < 0:
            break
    else:
        end = line_break
    if end == len(text):
        return text
    while end > 0 and unicodedata.category(text[end]) == "Mn":  # a mark belongs to the letter before it
        end -= 1
    kept = text[:end].rstrip()
    return kept + CUT_NOTE.format(shown=len(kept), total=len(text))


def _cut_strings(value: Any) -> Any:
    """``value`` with :func:`cut_for_print` applied to every string in it, through dataclasses, tuples,
    lists and dicts."""
    if isinstance(value, str):
        return cut_for_print(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _cut_strings(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if type(value) in (tuple, list):
        return type(value)(_cut_strings(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _cut_strings(item) for key, item in value.items()}
    return value


def font_face_css() -> str:
    """``@font-face`` rules for the project's Sarabun files, by absolute ``file:`` URL."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{(FONT_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FONT_FACES
    )


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Lets WeasyPrint read files under ``khamrap/static`` and nothing else; the Sarabun files come with the
    glyphs of :mod:`khamrap.documents.pdf_fonts` added."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise ValueError(f"PDF rendering may not fetch {url!r}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR):
            raise ValueError(f"PDF rendering may not read {path}")
        content = pdf_font(path) if path in _FONT_FILES else path.read_bytes()
        return URLFetcherResponse(url, content)


def render_pdf(template_name: str, context: Mapping[str, Any], *, base_url: str | None = None) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    The template supplies its own page CSS (``@page`` size, margins, running headers) and may use
    ``font-family: Sarabun`` in any of the weights of :data:`FONT_FACES`. Relative URLs resolve against
    ``base_url``, by default the static folder (``fonts/…``, ``css/…``). The context should be plain data
    (dataclasses, tuples, strings); each of its strings is cut to what a page can sensibly hold
    (:func:`cut_for_print`).
    """
    html = compose_sara_am(render_to_string(template_name, _cut_strings(dict(context))))
    fonts = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    stylesheet = CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url or STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    return pdf
