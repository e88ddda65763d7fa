"""A realistic sample plan, used by the demo, the tests and the benchmarks."""

from decimal import Decimal

from khamrap.plans.models import Direction, KpiType
from khamrap.plans.schema import GoalData, IssueData, KpiData, LevelData, PlanData

D = Decimal
PLAN_WEIGHT = D(35)  # indicator 1 of the seeded FY2551 province framework


def _q(
    name: str, unit: str, weight: str, direction: str, baselines: tuple[str, str, str], criteria: list[str]
) -> KpiData:
    return KpiData(
        name=name,
        unit=unit,
        weight=D(weight),
        kpi_type=KpiType.QUANTITATIVE,
        direction=direction,
        baselines=(D(baselines[0]), D(baselines[1]), D(baselines[2])),
        target=D(criteria[2]),
        criteria=tuple(D(c) for c in criteria),
        definition=f"นิยาม: {name}",
        formula="(ผลการดำเนินงาน / ค่าเป้าหมาย) × 100",
        data_source="สำนักงานจังหวัด",
        supervisor_name="นายสมชาย ใจดี",
        supervisor_phone="0 5311 2345",
        collector_name="นางสาวสมหญิง ขยันยิ่ง",
        collector_phone="0 5311 2346",
    )


def _m(name: str, weight: str, steps: list[str]) -> KpiData:
    return KpiData(
        name=name,
        unit="ระดับ",
        weight=D(weight),
        kpi_type=KpiType.MILESTONE,
        direction=Direction.HIGHER,
        levels=tuple(
            LevelData(level=n, description=text, substeps=("จัดทำร่าง", "ผ่านความเห็นชอบ") if n == 3 else ())
            for n, text in enumerate(steps, start=1)
        ),
        definition=f"นิยาม: {name}",
        data_source="สำนักงานจังหวัด",
        supervisor_name="นายประยุทธ มั่นคง",
        supervisor_phone="0 5311 2000",
        collector_name="นายวิทยา รอบรู้",
        collector_phone="0 5311 2001",
    )


MILESTONE_STEPS = [
    "แต่งตั้งคณะทำงาน",
    "จัดทำแผนการดำเนินงาน",
    "ดำเนินการตามแผนครบถ้วน",
    "ติดตามและประเมินผล",
    "สรุปผลและเสนอผู้ว่าราชการจังหวัด",
]


def sample_plan(*, total_weight: Decimal = PLAN_WEIGHT) -> PlanData:
    """Three strategic issues, eight KPIs (quantitative in both directions and milestone), weights = total."""
    kpis = [
        _q(
            "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว",
            "ร้อยละ",
            "5",
            Direction.HIGHER,
            ("3.2", "4.1", "4.8"),
            ["3", "4", "5", "6", "7"],
        ),
        _q(
            "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น",
            "คน",
            "4",
            Direction.HIGHER,
            ("120000", "125000", "131000"),
            ["130000", "135000", "140000", "145000", "150000"],
        ),
        _m("ระดับความสำเร็จของการพัฒนาแหล่งท่องเที่ยวเชิงวัฒนธรรม", "4", MILESTONE_STEPS),
        _q(
            "ร้อยละที่ลดลงของพื้นที่เผาไหม้ป่า",
            "ร้อยละ",
            "5",
            Direction.HIGHER,
            ("5", "8", "10"),
            ["10", "12.5", "15", "17.5", "20"],
        ),
        _q(
            "จำนวนวันที่ค่าฝุ่นละอองเกินมาตรฐาน",
            "วัน",
            "4",
            Direction.LOWER,
            ("45", "40", "38"),
            ["40", "35", "30", "25", "20"],
        ),
        _q(
            "อัตราการเกิดอุบัติเหตุทางถนนต่อประชากรแสนคน",
            "ราย",
            "4",
            Direction.LOWER,
            ("32.5", "30.1", "29.8"),
            ["30", "28", "26", "24", "22"],
        ),
        _m("ระดับความสำเร็จของการจัดทำแผนพัฒนาคุณภาพชีวิต", "4", MILESTONE_STEPS),
        _q(
            "ร้อยละของครัวเรือนที่ผ่านเกณฑ์ จปฐ.",
            "ร้อยละ",
            "5",
            Direction.HIGHER,
            ("95.5", "96.2", "97.0"),
            ["96", "96.5", "97", "97.5", "98"],
        ),
    ]
    scale = total_weight / D(35)
    if scale != 1:
        kpis = [_reweight(k, k.weight * scale if k.weight else None) for k in kpis]
    return PlanData(
        issues=(
            IssueData(
                name="การพัฒนาเศรษฐกิจบนฐานการท่องเที่ยวเชิงวัฒนธรรม",
                goals=(GoalData(name="รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน", kpis=tuple(kpis[0:3])),),
            ),
            IssueData(
                name="การบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อม",
                goals=(GoalData(name="คุณภาพอากาศดีขึ้น", kpis=tuple(kpis[3:5])),),
            ),
            IssueData(
                name="การเสริมสร้างคุณภาพชีวิตและความปลอดภัย",
                goals=(
                    GoalData(name="ประชาชนปลอดภัยในชีวิตและทรัพย์สิน", kpis=(kpis[5],)),
                    GoalData(name="ประชาชนมีคุณภาพชีวิตที่ดี", kpis=tuple(kpis[6:8])),
                ),
            ),
        )
    )


def _reweight(kpi: KpiData, weight: Decimal | None) -> KpiData:
    from dataclasses import replace

    return replace(kpi, weight=weight)


def large_plan(*, kpi_count: int = 30, total_weight: Decimal = PLAN_WEIGHT) -> PlanData:
    """A plan with ``kpi_count`` quantitative KPIs across three issues (for benchmarks)."""
    weight = (total_weight / kpi_count).quantize(D("0.0001"))
    kpis = []
    for n in range(kpi_count):
        w = weight if n < kpi_count - 1 else total_weight - weight * (kpi_count - 1)
        kpis.append(
            _q(
                f"ตัวชี้วัดที่ทดสอบลำดับ {n + 1} ร้อยละของความสำเร็จ",
                "ร้อยละ",
                str(w),
                Direction.HIGHER,
                ("70", "72", "74"),
                ["75", "80", "85", "90", "95"],
            )
        )
    third = kpi_count // 3
    return PlanData(
        issues=tuple(
            IssueData(
                name=f"ประเด็นยุทธศาสตร์ที่ {i + 1}",
                goals=(GoalData(name=f"เป้าประสงค์ที่ {i + 1}", kpis=tuple(chunk)),),
            )
            for i, chunk in enumerate([kpis[:third], kpis[third : 2 * third], kpis[2 * third :]])
        )
    )
