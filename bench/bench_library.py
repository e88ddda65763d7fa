"""The KPI library's search over ten years of 93 plans of 30 KPIs (27,900 KPIs), against the bare query that
loads the same rows.

Run: ``.venv/bin/python bench/bench_library.py [YEARS]`` (YEARS defaults to 10). On a fresh SQLite file in a
temporary folder; with ``DATABASE_URL`` (PostgreSQL) also on a throwaway database created beside the one it
names, and dropped afterwards.

Every province and cluster (75 + 18 = 93) gets a plan in each year of 30 KPIs, their names and definitions drawn
from a vocabulary of Thai KPI phrases and written with the word columns the tree's writers keep
(``plans.indexing.kpi_index``). Then, timed (best of five):

1. a library page: the count and the first 20 results of a two-word Thai query, with their levels — against the
   bare query that loads those 20 rows by primary key with the same joins;
2. every result of the same query — against the bare load of all those rows by primary key;
3. a one-word query with the year and type filters — against the bare load of its rows.

No assertion on time: this only reports.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from common import best, django_setup, own_postgres_database

SUBJECTS = (
    "ผู้ป่วยที่ได้รับยาตามเกณฑ์",
    "นักท่องเที่ยวชาวต่างชาติ",
    "ครัวเรือนที่ผ่านเกณฑ์ จปฐ.",
    "พื้นที่ป่าที่ถูกเผาไหม้",
    "อุบัติเหตุทางถนน",
    "รายได้จากการท่องเที่ยว",
    "ผลผลิตข้าวหอมมะลิ",
    "ราคายางพาราที่เกษตรกรขายได้",
    "นักเรียนที่อ่านออกเขียนได้",
    "ผู้สูงอายุที่ได้รับการดูแล",
    "แหล่งน้ำที่ได้รับการฟื้นฟู",
    "วิสาหกิจชุมชนที่มีรายได้เพิ่มขึ้น",
    "คดียาเสพติดที่จับกุมได้",
    "ประชาชนที่พึงพอใจต่อการให้บริการ",
    "ขยะมูลฝอยที่ได้รับการกำจัดอย่างถูกต้อง",
    "ผลิตภัณฑ์ OTOP ที่ได้รับการรับรอง",
    "แรงงานที่ได้รับการพัฒนาฝีมือ",
    "เด็กแรกเกิดที่มีน้ำหนักตามเกณฑ์",
    "ค่าฝุ่นละอองที่เกินมาตรฐาน",
    "ผู้ประกอบการที่ได้รับการส่งเสริม",
)
MEASURES = ("ร้อยละของ", "จำนวน", "อัตราการเพิ่มขึ้นของ", "ระดับความสำเร็จของการพัฒนา", "ร้อยละที่ลดลงของ")
KPIS_PER_PLAN = 30


def _seed(years: int) -> None:
    from datetime import date

    from khamrap.frameworks.services import CalendarSeed, fiscal_year_seed
    from khamrap.orgs.selectors import participating_organisations
    from khamrap.orgs.services import reference_data_load
    from khamrap.plans.indexing import kpi_index
    from khamrap.plans.models import Goal, Kpi, Plan, PlanStatus, StrategicIssue

    reference_data_load()
    organisations = list(participating_organisations(on=date(2008, 1, 15)))
    plans = []
    for n in range(years):
        ce = 2007 + n
        year = fiscal_year_seed(
            seed=CalendarSeed(2551 + n, date(ce, 9, 24), date(ce, 10, 15), date(ce, 11, 1), date(ce, 11, 14))
        )
        plans += [Plan(fiscal_year=year, organisation=o, status=PlanStatus.SIGNED) for o in organisations]
    Plan.objects.bulk_create(plans)
    plans = list(Plan.objects.all())
    StrategicIssue.objects.bulk_create(StrategicIssue(plan=p, name="ประเด็นยุทธศาสตร์") for p in plans)
    issues = {i.plan_id: i for i in StrategicIssue.objects.all()}
    Goal.objects.bulk_create(Goal(issue=issues[p.pk], name="เป้าประสงค์") for p in plans)
    goals = {g.issue.plan_id: g for g in Goal.objects.select_related("issue")}
    batch: list[Kpi] = []
    for p_index, plan in enumerate(plans):
        for k in range(KPIS_PER_PLAN):
            subject = SUBJECTS[(p_index + k) % len(SUBJECTS)]
            measure = MEASURES[(p_index * 7 + k) % len(MEASURES)]
            kpi = Kpi(
                plan=plan,
                goal=goals[plan.pk],
                position=k + 1,
                code=f"1.{k + 1}",
                name=f"{measure}{subject}",
                unit="ร้อยละ"
                if measure.startswith("ร้อยละ")
                else "ระดับ"
                if measure.startswith("ระดับ")
                else "หน่วย",
                kpi_type="milestone" if measure.startswith("ระดับ") else "quantitative",
                definition=f"วัดผลการดำเนินงานด้าน{subject} ของจังหวัด เทียบกับปีที่ผ่านมา",
            )
            kpi_index(kpi)
            batch.append(kpi)
        if len(batch) >= 5_000:
            Kpi.objects.bulk_create(batch)
            batch = []
    Kpi.objects.bulk_create(batch)


def _run(years: int, label: str) -> None:
    from django.db import connection

    from khamrap.accounts.models import Role, User
    from khamrap.library.selectors import PAGE_SIZE, LibraryFilters, library_search, with_levels
    from khamrap.plans.models import Kpi

    started = time.perf_counter()
    _seed(years)
    total = Kpi.objects.count()
    print(f"[{label}] {total} KPIs in {years} years seeded in {time.perf_counter() - started:.1f} s")
    analyst = User.objects.create(username="bench-analyst", role=Role.ANALYST)

    def page(filters: LibraryFilters) -> list[Any]:
        found = with_levels(library_search(user=analyst, filters=filters))
        found.count()
        return list(found[:PAGE_SIZE])

    def bare(ids: list[int]) -> Callable[[], list[Any]]:
        return lambda: list(
            Kpi.objects.filter(pk__in=ids).select_related("plan__fiscal_year", "plan__organisation")
        )

    cases = (
        ("page of a two-word query", LibraryFilters(text="ผู้ป่วย ยา"), True),
        ("every result of it", LibraryFilters(text="ผู้ป่วย ยา"), False),
        (
            "one word, year and type",
            LibraryFilters(text="นักท่องเที่ยว", year=2553, kpi_type="quantitative"),
            False,
        ),
    )
    for name, filters, paged in cases:
        if paged:
            ids = [k.pk for k in page(filters)]
            searched = best(5, lambda f=filters: page(f))
        else:
            ids = [k.pk for k in library_search(user=analyst, filters=filters)]
            searched = best(5, lambda f=filters: list(library_search(user=analyst, filters=f)))
        floor = best(5, bare(ids))
        print(
            f"[{label}] {name}: {len(ids)} rows; search {searched * 1000:.1f} ms, bare load {floor * 1000:.1f} ms, "
            f"ratio {searched / floor:.1f}"
        )
    connection.close()


def main() -> None:
    years = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    database_url = os.environ.get("DATABASE_URL")
    data_dir = tempfile.mkdtemp(prefix="khamrap-bench-library-")
    drop: Callable[[], None] = lambda: None  # noqa: E731
    try:
        if database_url:
            database_url, drop = own_postgres_database(database_url, label="library")
            django_setup(data_dir, database_url)
            _run(years, "PostgreSQL")
        else:
            django_setup(data_dir, None)
            _run(years, "SQLite")
    finally:
        drop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
