"""End-to-end import of the year's data disks against the bare read of the same files.

Run: ``.venv/bin/python bench/bench_import.py [KPIS]`` (KPIS per workbook defaults to 30).

A fresh SQLite database in a temporary folder gets the reference data and FY2551; every province and
cluster of the year (75 + 18 = 93) gets a plan of KPIS quantitative KPIs (``demo.large_plan``), exported
as its workbook, then emptied again — so the import really writes every KPI. Then, timed:

1. the bare read of all workbooks with python-calamine (every sheet, every row) — the floor;
2. ``workbook_read`` alone (guard + parse + validate, no database);
3. the end-to-end import through the service (read + validate + diff + write + the kept file), calamine;
4. the same with ``engine="openpyxl"`` (the plans emptied again first);
5. the import of workbooks exported after step 3, so unchanged (nothing written).

Times are reported as seconds and as ratios to the bare read. No assertion on time: this only reports.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from collections.abc import Callable

from common import best, django_setup


def main() -> None:
    kpi_count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    data_dir = tempfile.mkdtemp(prefix="khamrap-bench-")
    try:
        django_setup(data_dir)
        _run(kpi_count)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(kpi_count: int) -> None:
    from python_calamine import CalamineWorkbook

    from khamrap.frameworks.services import fiscal_year_seed
    from khamrap.orgs.selectors import participating_organisations
    from khamrap.orgs.services import reference_data_load
    from khamrap.plans.editing import plan_get_or_create, plan_tree_replace
    from khamrap.plans.models import Kpi, Plan
    from khamrap.plans.schema import PlanData
    from khamrap.site.samples import large_plan
    from khamrap.workbook.importer import workbook_import
    from khamrap.workbook.reader import workbook_read
    from khamrap.workbook.writer import workbook_export

    reference_data_load()
    fiscal_year = fiscal_year_seed()
    organisations = list(participating_organisations(on=fiscal_year.structure_on))
    plans: list[Plan] = []
    files: list[bytes] = []
    for organisation in organisations:
        plan = plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
        plan_tree_replace(plan=plan, data=large_plan(kpi_count=kpi_count), actor=None)
        files.append(workbook_export(plan=Plan.objects.get(pk=plan.pk)))
        plans.append(plan)

    def empty_all() -> None:
        for plan in plans:
            plan_tree_replace(plan=plan, data=PlanData(), actor=None)

    def bare_read() -> None:
        for data in files:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
            book.close()

    def read_only() -> None:
        for data in files:
            assert workbook_read(data).ok

    def import_all(engine: str, expected: str) -> Callable[[], None]:
        def run() -> None:
            for plan, data in zip(plans, files, strict=True):
                upload = workbook_import(
                    plan=Plan.objects.get(pk=plan.pk),
                    data=data,
                    filename="disk.xlsx",
                    actor=None,
                    engine=engine,
                )
                assert upload.status == expected, (upload.status, upload.problems[:3])

        return run

    empty_all()
    total_kpis = len(files) * kpi_count
    megabytes = sum(len(data) for data in files) / 1024 / 1024
    bare = best(5, bare_read)
    read = best(3, read_only)
    with_calamine = best(1, import_all("calamine", "accepted"))
    assert Kpi.objects.count() == total_kpis
    # the disks as they now are (their meta sheets name the KPIs just created): importing changes nothing
    files[:] = [workbook_export(plan=Plan.objects.get(pk=plan.pk)) for plan in plans]
    unchanged = best(1, import_all("calamine", "unchanged"))
    empty_all()
    with_openpyxl = best(1, import_all("openpyxl", "accepted"))
    assert Kpi.objects.count() == total_kpis

    print(
        f"{len(files)} workbooks ({len(organisations)} organisations), {kpi_count} KPIs each, {megabytes:.2f} MB"
    )
    rows = [
        ("bare read, python-calamine (all sheets, all rows)", bare),
        ("workbook_read: guard + parse + validate (calamine)", read),
        ("import end to end, calamine (read+validate+write)", with_calamine),
        ("import end to end, openpyxl engine", with_openpyxl),
        ("import of the unchanged workbooks (nothing written)", unchanged),
    ]
    for label, seconds in rows:
        print(
            f"  {label:<54} {seconds:8.3f} s  {seconds / bare:7.1f}× bare read  {1000 * seconds / len(files):7.1f} ms/file"
        )
    print(f"  openpyxl import ÷ calamine import: {with_openpyxl / with_calamine:.2f}×")


if __name__ == "__main__":
    main()
