"""The KPI library: search by words, filters, who sees what, the Excel export, "how others measure this"."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from khamrap.accounts.models import Role
from khamrap.frameworks.services import CalendarSeed, fiscal_year_seed
from khamrap.library.selectors import similar_kpis
from khamrap.plans.models import Kpi, Plan, PlanStatus
from khamrap.plans.schema import GoalData, IssueData, KpiData, LevelData, PlanData
from khamrap.thai.words import words
from tests.conftest import login
from tests.factories import PlanFactory, UserFactory

URL = "/library/"
FY2552 = CalendarSeed(2552, date(2008, 9, 24), date(2008, 10, 15), date(2008, 11, 3), date(2008, 11, 14))


def _kpi(name: str, **more: object) -> KpiData:
    values: dict[str, object] = {
        "unit": "ร้อยละ",
        "weight": Decimal(5),
        "baselines": (Decimal(70), Decimal(72), Decimal(75)),
        "target": Decimal(80),
        "criteria": (Decimal(70), Decimal(75), Decimal(80), Decimal(85), Decimal(90)),
    }
    values.update(more)
    return KpiData(name=name, **values)  # type: ignore[arg-type]


def _tree(*kpis: KpiData) -> PlanData:
    return PlanData(issues=(IssueData("ประเด็น", (GoalData("เป้าประสงค์", kpis),)),))


@pytest.fixture
def library(fy2551):  # type: ignore[no-untyped-def]
    """Chiang Mai (50) 2551, a draft: medicine, nurses, rubber; Lamphun (51) 2551, signed: tourists (with an
    English unit and definition); Lampang (52) 2551, under review: medicine again; Chiang Mai 2552, signed:
    medicine for the elderly, a milestone KPI."""
    from khamrap.orgs.models import Organisation

    fy2552 = fiscal_year_seed(seed=FY2552)
    org = Organisation.objects.get
    PlanFactory(
        fiscal_year=fy2551,
        organisation=org(code="50"),
        tree=_tree(
            _kpi("ร้อยละของผู้ป่วยที่ได้รับยา"),
            _kpi("จำนวนพยาบาลต่อประชากร", unit="คน"),
            _kpi("ราคายางพาราที่เกษตรกรขายได้", unit="บาท"),
        ),
    )
    lamphun = PlanFactory(
        fiscal_year=fy2551,
        organisation=org(code="51"),
        tree=_tree(_kpi("จำนวนนักท่องเที่ยวที่เพิ่มขึ้น", unit="Tourists", definition="Foreign tourists per year")),
    )
    lampang = PlanFactory(
        fiscal_year=fy2551, organisation=org(code="52"), tree=_tree(_kpi("ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา"))
    )
    levels = tuple(LevelData(n, f"ขั้นที่ {n}") for n in range(1, 6))
    later = PlanFactory(
        fiscal_year=fy2552,
        organisation=org(code="50"),
        tree=_tree(
            _kpi(
                "ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ",
                kpi_type="milestone",
                unit="ระดับ",
                levels=levels,
                target=None,
                criteria=(None,) * 5,
            )
        ),
    )
    Plan.objects.filter(pk__in=[lamphun.pk, later.pk]).update(status=PlanStatus.SIGNED)
    Plan.objects.filter(pk=lampang.pk).update(status=PlanStatus.UNDER_REVIEW)


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [result.kpi.name for result in response.context["results"]]


def test_the_tokenizer_cuts_thai_into_words_and_drops_punctuation() -> None:
    assert words("ร้อยละของผู้ป่วยที่ได้รับยา") == ("ร้อยละ", "ของ", "ผู้ป่วย", "ที่", "ได้รับ", "ยา")
    assert words("จำนวน (Tourists), ต่อปี!") == ("จำนวน", "tourists", "ต่อ", "ปี")
    assert words("  ") == ()


def test_a_thai_query_finds_a_name_written_without_spaces(library, analyst) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get(URL, {"q": "นักท่องเที่ยว"})
    assert _names(response) == ["จำนวนนักท่องเที่ยวที่เพิ่มขึ้น"]
    assert "พบ 1 ตัวชี้วัด" in response.content.decode()


def test_a_word_found_only_inside_another_word_does_not_match(library, analyst) -> None:  # type: ignore[no-untyped-def]
    # "ยา" (medicine) is written inside "พยาบาล" (nurse) and "ยางพารา" (rubber), which are words of their own
    response = login(analyst).get(URL, {"q": "ยา"})
    assert _names(response) == [
        "ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ",
        "ร้อยละของผู้ป่วยที่ได้รับยา",
        "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา",
    ]


def test_every_query_word_must_match_and_name_matches_rank_first(library, analyst) -> None:  # type: ignore[no-untyped-def]
    # "ผู้ป่วย ยา": both words; "ยา ผู้สูงอายุ": only the 2552 milestone KPI holds both
    client = login(analyst)
    assert _names(client.get(URL, {"q": "ผู้ป่วยยา"})) == ["ร้อยละของผู้ป่วยที่ได้รับยา", "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา"]
    assert _names(client.get(URL, {"q": "ยา ผู้สูงอายุ"})) == ["ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ"]


def test_an_english_query_matches_english_words_whatever_their_case(library, analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    assert _names(client.get(URL, {"q": "TOURISTS"})) == ["จำนวนนักท่องเที่ยวที่เพิ่มขึ้น"]
    assert _names(client.get(URL, {"q": "foreign tourists"})) == ["จำนวนนักท่องเที่ยวที่เพิ่มขึ้น"]
    assert _names(client.get(URL, {"q": "tour"})) == []
    assert _names(client.get(URL, {"q": "%_' OR 1=1 --"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2552"}, ["ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ"]),
        ({"org": "51"}, ["จำนวนนักท่องเที่ยวที่เพิ่มขึ้น"]),
        ({"unit": "บาท"}, ["ราคายางพาราที่เกษตรกรขายได้"]),
        ({"type": "milestone"}, ["ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ"]),
        (
            {"cluster": "NU1", "q": "ยา"},
            ["ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ", "ร้อยละของผู้ป่วยที่ได้รับยา", "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา"],
        ),
        ({"cluster": "NU2"}, []),
        ({"year": "2551", "q": "ยา", "org": "52"}, ["ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา"]),
    ],
)
def test_the_filters(library, analyst, params, expected) -> None:  # type: ignore[no-untyped-def]
    assert _names(login(analyst).get(URL, params)) == expected


def test_a_filter_naming_nothing_is_refused_in_words(library, analyst) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    response = client.get(URL, {"year": "abc"})
    assert response.status_code == 400
    assert (
        '<ul class="errorlist" role="alert" data-testid="library-error"><li>ปีงบประมาณ &#x27;abc&#x27; ไม่ถูกต้อง</li></ul>'
        in response.content.decode()
    )
    export = client.get("/library/kpis.xlsx", {"type": "other"})
    assert (export.status_code, export.content.decode()) == (400, "ไม่มีประเภทตัวชี้วัด 'other'")


ALL = [
    "ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ",
    "ร้อยละของผู้ป่วยที่ได้รับยา",
    "จำนวนพยาบาลต่อประชากร",
    "ราคายางพาราที่เกษตรกรขายได้",
    "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น",
    "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา",
]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # OPDC: everything, drafts and plans under review included
        ("analyst", ALL),
        ("opdc_admin", ALL),
        # Lamphun's officer: its own plan, and of the others only signed agreements
        ("other_officer", ["ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ", "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น"]),
        # Chiang Mai's governor: its own plans of both years, and Lamphun's signed one
        ("governor", ALL[:5]),
    ],
)
def test_who_sees_what(library, request, who, expected) -> None:  # type: ignore[no-untyped-def]
    response = login(request.getfixturevalue(who)).get(URL)
    assert response.status_code == 200
    assert _names(response) == expected


def test_only_the_plans_a_person_may_open_are_linked(library, other_officer) -> None:  # type: ignore[no-untyped-def]
    response = login(other_officer).get(URL)
    links = [(r.kpi.plan.organisation.code, r.can_open_plan) for r in response.context["results"]]
    assert links == [("50", False), ("51", True)]
    html = response.content.decode()
    assert html.count('data-testid="result-plan"') == 1
    assert 'href="/years/2551/plans/51/" data-testid="result-plan"' in html


def test_those_outside_the_library_are_refused(library, client, make_user) -> None:  # type: ignore[no-untyped-def]
    viewer = make_user("viewer", Role.VIEWER)
    for url in (URL, "/library/kpis.xlsx"):
        assert client.get(url)["Location"] == f"/accounts/login/?next={url}"
        assert login(viewer).get(url).status_code == 403
    assert 'data-testid="nav-library"' not in login(viewer).get("/years/2551/").content.decode()


def test_the_navigation_links_the_library_for_those_allowed(library, other_officer, analyst) -> None:  # type: ignore[no-untyped-def]
    for user in (other_officer, analyst):
        assert (
            '<a href="/library/" data-testid="nav-library">คลังตัวชี้วัด</a>'
            in login(user).get(URL).content.decode()
        )


def test_a_result_shows_its_province_year_baselines_target_and_criteria(library, analyst) -> None:  # type: ignore[no-untyped-def]
    html = login(analyst).get(URL, {"q": "นักท่องเที่ยว"}).content.decode()
    assert (
        '<span data-testid="result-org">ลำพูน</span> · ปีงบประมาณ พ.ศ. 2551 · เชิงปริมาณ · หน่วยวัด Tourists'
        in html
    )
    assert (
        "<td>70</td><td>72</td><td>75</td><td>80</td><td>70</td><td>75</td><td>80</td><td>85</td><td>90</td>"
        in html
    )


def test_a_milestone_result_shows_its_level_descriptions(library, analyst) -> None:  # type: ignore[no-untyped-def]
    html = login(analyst).get(URL, {"type": "milestone"}).content.decode()
    assert "".join(f'<td class="level">ขั้นที่ {n}</td>' for n in range(1, 6)) in html


def test_the_export_holds_the_results(library, analyst) -> None:  # type: ignore[no-untyped-def]
    response = login(analyst).get("/library/kpis.xlsx", {"q": "ยา"})
    assert response["Content-Disposition"] == 'attachment; filename="kpi-library.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=1)]
    assert rows[0][0] == "คลังตัวชี้วัด: ยา"
    assert rows[1] == (
        "ปีงบประมาณ",
        "จังหวัด / กลุ่มจังหวัด",
        "ตัวชี้วัดที่",
        "ชื่อตัวชี้วัด",
        "หน่วยวัด",
        "ประเภทตัวชี้วัด",
        "ข้อมูลพื้นฐานปีที่ 1",
        "ข้อมูลพื้นฐานปีที่ 2",
        "ข้อมูลพื้นฐานปีที่ 3",
        "ค่าเป้าหมาย",
        *(f"เกณฑ์ / คำอธิบายระดับ {n}" for n in range(1, 6)),
    )
    assert rows[2:] == [
        (
            "2552",
            "เชียงใหม่",
            "1.1",
            "ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ",
            "ระดับ",
            "ระดับความสำเร็จ",
            "70",
            "72",
            "75",
            None,
            *(f"ขั้นที่ {n}" for n in range(1, 6)),
        ),
        (
            "2551",
            "เชียงใหม่",
            "1.1",
            "ร้อยละของผู้ป่วยที่ได้รับยา",
            "ร้อยละ",
            "เชิงปริมาณ",
            "70",
            "72",
            "75",
            "80",
            "70",
            "75",
            "80",
            "85",
            "90",
        ),
        (
            "2551",
            "ลำปาง",
            "1.1",
            "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา",
            "ร้อยละ",
            "เชิงปริมาณ",
            "70",
            "72",
            "75",
            "80",
            "70",
            "75",
            "80",
            "85",
            "90",
        ),
    ]


def test_the_export_shows_a_province_officer_only_what_the_page_does(library, other_officer) -> None:  # type: ignore[no-untyped-def]
    sheet = load_workbook(BytesIO(login(other_officer).get("/library/kpis.xlsx").content)).active
    assert [row[3].value for row in sheet.iter_rows(min_row=3)] == [
        "ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ",
        "จำนวนนักท่องเที่ยวที่เพิ่มขึ้น",
    ]


def test_the_page_reads_in_a_constant_number_of_queries(library, analyst, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = login(analyst)
    client.get(URL)
    # session and user, the count, the page, its levels, the organisations, the years, the units, the layout's
    # (the current year, the unread count) and the session saved: whatever the number of KPIs found
    with django_assert_num_queries(13):
        client.get(URL)
    with django_assert_num_queries(13):
        client.get(URL, {"q": "ยา ผู้ป่วย", "year": "2551", "cluster": "NU1"})


def test_others_measure_this_with_the_most_words_in_common(library, analyst) -> None:  # type: ignore[no-untyped-def]
    # given Chiang Mai's 2551 medicine KPI
    kpi = Kpi.objects.get(name="ร้อยละของผู้ป่วยที่ได้รับยา")
    # when
    found = similar_kpis(kpi=kpi, user=analyst)
    # then Lampang's (5 words in common) before Chiang Mai's later one (ยา only: a later year is not "earlier")
    assert [(k.plan.organisation.code, k.name) for k in found] == [("52", "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา")]


def test_others_measure_this_respects_who_sees_what(library, make_user) -> None:  # type: ignore[no-untyped-def]
    later = Kpi.objects.get(name="ระดับความสำเร็จของการจ่ายยาให้ผู้สูงอายุ")
    lamphun = make_user("lp_gov", Role.EXECUTIVE, "51")
    analyst = UserFactory.of("analyst2", Role.ANALYST, "OPDC")
    assert [k.name for k in similar_kpis(kpi=later, user=analyst)] == [
        "ร้อยละของผู้ป่วยที่ได้รับยา",
        "ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา",
    ]
    assert similar_kpis(kpi=later, user=lamphun) == []


def test_the_kpi_page_shows_how_others_measure_it(library, analyst, other_officer) -> None:  # type: ignore[no-untyped-def]
    kpi = Kpi.objects.get(name="ร้อยละของผู้ป่วยที่ได้รับยา")
    response = login(analyst).get(f"/library/kpis/{kpi.uid}/")
    assert response.status_code == 200
    assert [r.kpi.name for r in response.context["similar"]] == ["ร้อยละของผู้ป่วยเบาหวานที่ได้รับยา"]
    assert "หน่วยงานอื่นวัดเรื่องนี้อย่างไร" in response.content.decode()
    # Chiang Mai's draft is not Lamphun's to read
    assert login(other_officer).get(f"/library/kpis/{kpi.uid}/").status_code == 404


def test_the_data_migration_fills_the_words_of_kpis_stored_before_them(library) -> None:  # type: ignore[no-untyped-def]
    from importlib import import_module

    from django.apps import apps

    # given KPIs whose word columns are empty, as before the columns existed
    Kpi.objects.update(name_words="", text_words="")
    # when
    import_module("khamrap.plans.migrations.0008_kpi_search_words_fill").fill(apps, None)
    # then
    kpi = Kpi.objects.get(name="จำนวนนักท่องเที่ยวที่เพิ่มขึ้น")
    assert kpi.name_words == " จำนวน นักท่องเที่ยว ที่ เพิ่มขึ้น "
    assert kpi.text_words == " จำนวน นักท่องเที่ยว ที่ เพิ่มขึ้น tourists foreign per year "


def test_an_autosaved_name_is_found_by_its_new_words(library, officer) -> None:  # type: ignore[no-untyped-def]
    from khamrap.plans import editing

    kpi = Kpi.objects.get(name="จำนวนพยาบาลต่อประชากร")
    editing.kpi_update(kpi=kpi, actor=officer, values={"name": "จำนวนแพทย์ต่อประชากร"}, levels={})
    assert Kpi.objects.get(pk=kpi.pk).name_words == " จำนวน แพทย์ ต่อ ประชากร "
