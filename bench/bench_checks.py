"""The automatic appropriateness checks of a whole year against the bare query that loads the same rows.

Run: ``.venv/bin/python bench/bench_checks.py [KPIS]`` (KPIS per plan defaults to 30); with ``DATABASE_URL``
(PostgreSQL) the same runs there too, in a database of its own created beside the one named and dropped after.

Every province and cluster of FY2551 (75 + 18 = 93) gets a plan of KPIS quantitative KPIs
(``samples.large_plan``: their names alike, so the name comparison does real work). Then, timed:

1. the bare query: ``list(Kpi.objects.filter(plan__fiscal_year=…).values())`` plus the milestone levels;
2. ``plans_findings``: the year's trees in seven queries, turned into facts, every rule checked;
3. the same with the word cache warm (the tokenizer's cache lives for the process);

and, to show where the time goes, the year's trees alone (``plans_trees``, no check).

Times are reported as seconds and as ratios to the bare query. No assertion on time: this only reports.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from common import best, django_setup, own_postgres_database


def main() -> None:
    kpi_count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    given = os.environ.get("DATABASE_URL")
    if given and "--child" not in sys.argv:
        # SQLite first, then PostgreSQL, each in a process of its own (Django is set up once per process)
        import subprocess

        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        subprocess.run([sys.executable, __file__, str(kpi_count), "--child"], env=env, check=True)
        url, drop = own_postgres_database(given, label="checks")
        try:
            env["DATABASE_URL"] = url
            subprocess.run([sys.executable, __file__, str(kpi_count), "--child"], env=env, check=True)
        finally:
            drop()
        return
    data_dir = tempfile.mkdtemp(prefix="khamrap-bench-")
    try:
        django_setup(data_dir, os.environ.get("DATABASE_URL"))
        _run(kpi_count)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _run(kpi_count: int) -> None:
    from django.db import connection

    from khamrap.frameworks.services import fiscal_year_seed
    from khamrap.orgs.selectors import participating_organisations
    from khamrap.orgs.services import reference_data_load
    from khamrap.plans.checks import plans_findings, plans_trees
    from khamrap.plans.editing import plan_get_or_create, plan_tree_replace
    from khamrap.plans.models import Kpi, MilestoneLevel
    from khamrap.site.samples import large_plan
    from khamrap.thai import words

    reference_data_load()
    fiscal_year = fiscal_year_seed()
    organisations = list(participating_organisations(on=fiscal_year.structure_on))
    for organisation in organisations:
        plan = plan_get_or_create(fiscal_year=fiscal_year, organisation=organisation)
        plan_tree_replace(plan=plan, data=large_plan(kpi_count=kpi_count), actor=None)

    def bare() -> None:
        list(Kpi.objects.filter(plan__fiscal_year=fiscal_year).values())
        list(MilestoneLevel.objects.filter(kpi__plan__fiscal_year=fiscal_year).values())

    def checks() -> None:
        found = plans_findings(fiscal_year=fiscal_year)
        assert len(found) == len(organisations)

    def cold_checks() -> None:
        words.words.cache_clear()
        words.content_words.cache_clear()
        checks()

    def trees() -> None:
        plans_trees(fiscal_year=fiscal_year)

    findings = sum(len(f) for f in plans_findings(fiscal_year=fiscal_year).values())
    floor = best(5, bare)
    tree_time = best(5, trees)
    cold = best(3, cold_checks)
    warm = best(5, checks)
    engine = connection.vendor
    print(
        f"{engine}: {len(organisations)} plans, {kpi_count} KPIs each "
        f"({len(organisations) * kpi_count:,} KPIs), {findings:,} findings"
    )
    for label, seconds in (
        ("bare query: the KPI rows and their levels (.values())", floor),
        ("the year's trees alone (seven queries into dataclasses)", tree_time),
        ("plans_findings, word cache cleared (tokenizer runs)", cold),
        ("plans_findings, word cache warm", warm),
    ):
        print(f"  {label:<58} {seconds:8.3f} s   ×{seconds / floor:6.1f}")


if __name__ == "__main__":
    main()
