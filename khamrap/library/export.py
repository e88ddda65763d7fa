"""The library's results as an Excel file, in the reports' one look: one row per KPI, the registry's labels."""

from collections.abc import Iterable

from khamrap.documents.sheets import report_bytes, report_sheet, report_text_rows
from khamrap.plans.diff import shown_value
from khamrap.plans.models import Kpi, KpiType
from khamrap.plans.schema import FIELDS, LEVELS

_NUMBERS = ("baseline_1", "baseline_2", "baseline_3", "target")
HEADERS = (
    "ปีงบประมาณ",
    "จังหวัด / กลุ่มจังหวัด",
    "ตัวชี้วัดที่",
    *(FIELDS[name].label_th for name in ("name", "unit", "kpi_type")),
    *(FIELDS[name].label_th for name in _NUMBERS),
    *(f"เกณฑ์ / คำอธิบายระดับ {n}" for n in LEVELS),
)
WIDTHS = (11, 22, 10, 44, 12, 16, 12, 12, 12, 12, 18, 18, 18, 18, 18)


def level_cells(kpi: Kpi) -> list[str]:
    """The five criteria, or a milestone KPI's level descriptions (its levels prefetched)."""
    if kpi.kpi_type == KpiType.MILESTONE:
        described = {level.level: level.description for level in kpi.levels.all()}
        return [described.get(n, "") for n in LEVELS]
    return [shown_value(f"criteria_{n}", value) for n, value in zip(LEVELS, kpi.criteria, strict=True)]


def library_rows(kpis: Iterable[Kpi]) -> list[list[str]]:
    return [
        [
            str(kpi.plan.fiscal_year.year),
            kpi.plan.organisation.name_th,
            kpi.code,
            kpi.name,
            kpi.unit,
            str(KpiType(kpi.kpi_type).label) if kpi.kpi_type in KpiType.values else kpi.kpi_type,
            *(shown_value(name, getattr(kpi, name)) for name in _NUMBERS),
            *level_cells(kpi),
        ]
        for kpi in kpis
    ]


def library_workbook(*, kpis: Iterable[Kpi], title: str) -> bytes:
    book, sheet = report_sheet(name="คลังตัวชี้วัด", title=title, headers=HEADERS)
    report_text_rows(sheet, library_rows(kpis))
    return report_bytes(book, sheet, widths=WIDTHS)
