"""The printed negotiation form: how long it takes, and whether its text reads back verbatim.

Run: ``.venv/bin/python bench/bench_pdf.py [--chromium]``.

A fresh SQLite database in a temporary folder gets the reference data, FY2551 and Chiang Mai's plan. Then:

1. building the PDF fonts (:func:`khamrap.documents.pdf_fonts.pdf_font`, once per process), cold;
2. ``plan_form_pdf`` of the sample plan (8 KPIs) and of 30 KPIs (``demo.large_plan``): first call, best of 5;
3. the text read back with pypdf, ``pdftotext -raw``, ``pdftotext`` (its reading-order mode, as
   poppler-based viewers search) and, when ``pypdfium2`` is installed, PDFium (Chrome's viewer): how many
   of the KPI names (in the details' title rows) and of the searched words are found verbatim — for the
   demo plans and for one KPI named with stacked marks (ฟื้นฟู, ปั้น, ฝั่ง …);
4. a KPI whose definition holds 2.5 million characters (cut to 3,000 when printed): time and peak memory;
5. with ``--chromium``, the same HTML printed by Debian's chromium through Playwright (option (b) of the
   issue): browser start, one PDF, and the same text checks.

No assertion on time: this only reports.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

PRINTED_ON = date(2007, 10, 15)
WORDS = ("สำนักงาน", "คำรับรอง", "ประจำปีงบประมาณ", "น้ำหนัก", "ตัวชี้วัดที่")
STACKED_MARKS_NAME = "ร้อยละของพื้นที่ป่าที่ได้รับการฟื้นฟู ปั้นฝั่งคลอง ค่ำ น้ำ ก๊ำ ขึ้นซึ่งปู่"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _setup(data_dir: str) -> None:
    os.environ["KHAMRAP_DATA_DIR"] = data_dir
    os.environ["KHAMRAP_MEDIA_ROOT"] = str(Path(data_dir) / "media")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khamrap.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(work: Callable[[], bytes]) -> tuple[float, bytes]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _texts(pdf: bytes) -> dict[str, str]:
    from pypdf import PdfReader

    def poppler(*options: str) -> str:
        command = ["pdftotext", *options, "-enc", "UTF-8", "-", "-"]
        return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()

    texts = {
        "pypdf": "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages),
        "pdftotext -raw": poppler("-raw"),
        "pdftotext": poppler(),
    }
    try:
        import pypdfium2
    except ImportError:
        return texts
    document = pypdfium2.PdfDocument(pdf)
    pages = [document[n].get_textpage().get_text_range() for n in range(len(document))]
    texts["PDFium"] = "\n".join(page.replace("\r\n", "\n") for page in pages)
    return texts


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _report_text(pdf: bytes, names: list[str]) -> None:
    for extractor, text in _texts(pdf).items():
        found = sum(name in text for name in names)
        words = [word for word in WORDS if word not in text]
        print(
            f"    {extractor:15} KPI names {found}/{len(names)}; words missing: {', '.join(words) or 'none'}"
        )


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="khamrap-bench-")
    try:
        _setup(data_dir)
        _run(chromium="--chromium" in sys.argv[1:])
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(*, chromium: bool) -> None:
    from khamrap.documents import pdf as pdf_module
    from khamrap.documents.pdf_fonts import pdf_font
    from khamrap.frameworks.services import fiscal_year_seed
    from khamrap.orgs.models import Organisation
    from khamrap.orgs.services import reference_data_load
    from khamrap.plans.editing import plan_get_or_create, plan_tree_replace
    from khamrap.plans.models import Plan
    from khamrap.plans.printable import plan_form, plan_form_pdf
    from khamrap.plans.schema import GoalData, IssueData, PlanData
    from khamrap.plans.selectors import plan_tree
    from khamrap.site.samples import large_plan, sample_plan

    reference_data_load()
    fiscal_year = fiscal_year_seed()
    chiang_mai = Organisation.objects.get(code="50")

    def plan_of(data: PlanData) -> Plan:
        plan = plan_get_or_create(fiscal_year=fiscal_year, organisation=chiang_mai)
        plan_tree_replace(plan=plan, data=data, actor=None)
        return Plan.objects.get(pk=plan.pk)

    started = time.perf_counter()
    for name, _weight, _style in pdf_module.FONT_FACES:
        pdf_font(pdf_module.FONT_DIR / name)
    print(f"PDF fonts built (4 faces, once per process): {time.perf_counter() - started:.2f} s")

    stacked = replace(sample_plan().kpis()[0], name=STACKED_MARKS_NAME)
    one_kpi = PlanData(issues=(IssueData(name="ป่า", goals=(GoalData(name="ป่า", kpis=(stacked,)),)),))
    plans = (
        ("sample plan, 8 KPIs", sample_plan()),
        ("large plan, 30 KPIs", large_plan(kpi_count=30)),
        ("one KPI named with stacked marks", one_kpi),
    )
    for label, data in plans:
        plan = plan_of(data)
        first, pdf = _timed(lambda plan=plan: plan_form_pdf(plan=plan, today=PRINTED_ON))
        best = min(_timed(lambda plan=plan: plan_form_pdf(plan=plan, today=PRINTED_ON))[0] for _ in range(5))
        print(f"{label}: first {first * 1000:.0f} ms, best of 5 {best * 1000:.0f} ms ({_pages(pdf)} pages)")
        names = [f"ตัวชี้วัดที่ {kpi.code} {kpi.name}\n" for kpi in plan_tree(plan).kpis()]
        _report_text(pdf, names)
        if chromium:
            _chromium(plan_form(plan=plan, today=PRINTED_ON), names)

    kpi = replace(sample_plan().kpis()[0], definition="ประเมินผล " * 250_000)
    plan = plan_of(PlanData(issues=(IssueData(name="ป่าไม้", goals=(GoalData(name="ป่า", kpis=(kpi,)),)),)))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, pdf = _timed(lambda: plan_form_pdf(plan=plan, today=PRINTED_ON))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"a 2.5-million-character definition: {seconds:.2f} s, {len(pdf) / 1024:.0f} kB, "
        f"peak memory of the process {after / 1024:.0f} MB (grew {(after - before) / 1024:.0f} MB)"
    )


def _chromium(form: object, names: list[str]) -> None:
    """Option (b): the same template and fonts printed by chromium (unchanged Sarabun, ำ as written)."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from playwright.sync_api import sync_playwright

    from khamrap.documents.pdf import font_face_css

    with translation.override("th"):
        html = render_to_string("documents/plan_form.html", {"form": form})
    html = html.replace("<style>", f"<style>{font_face_css()}\n", 1)
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "form.html"
        page_file.write_text(html, encoding="utf-8")
        started = time.perf_counter()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            launched = time.perf_counter()
            page = browser.new_page()
            page.goto(page_file.as_uri())
            pdf = page.pdf(prefer_css_page_size=True)
            printed = time.perf_counter()
            browser.close()
    print(
        f"  chromium: browser start {(launched - started) * 1000:.0f} ms, "
        f"one PDF {(printed - launched) * 1000:.0f} ms ({_pages(pdf)} pages)"
    )
    _report_text(pdf, names)


if __name__ == "__main__":
    main()
