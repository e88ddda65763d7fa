import json
from pathlib import Path

import pytest
from django.core.management import call_command

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "negotiation-constraints-2551.json"


def _run(*args: str) -> tuple[int, str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("schedule_negotiations", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_it_schedules_every_party_of_2551_when_not_ready_is_allowed(fy2551, tmp_path):
    code, out, err = _run("--year", "2551", "--constraints", str(EXAMPLE), "--json", "--allow-not-ready")

    rows = json.loads(out)
    assert code == 0
    assert len(rows) == 93
    assert set(rows[0]) == {"org", "date", "start", "end", "room", "committee"}
    assert "not-ready-scheduled" in err


def test_the_thai_table_shows_buddhist_era_dates(fy2551):
    code, out, _ = _run("--year", "2551", "--constraints", str(EXAMPLE), "--allow-not-ready")

    assert code == 0
    assert "2550" in out and "รวม 93 การเจรจา" in out


def test_too_few_days_exits_1_naming_the_capacity(fy2551, tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["window"] = ["2007-11-01", "2007-11-01"]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    code, _, err = _run("--year", "2551", "--constraints", str(path), "--allow-not-ready")

    assert code == 1
    assert "[capacity]" in err


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"sessions_per_day": 0}, "sessions_per_day"),
        ({"colour": "red"}, "colour"),
        ({"rooms": [{"closed": []}]}, "rooms[0]"),
        ({"holidays": ["2007-13-01"]}, "holidays[0]"),
    ],
)
def test_a_bad_file_exits_2_naming_the_entry(fy2551, tmp_path, change, named):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data.update(change)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    code, _, err = _run("--year", "2551", "--constraints", str(path))

    assert code == 2
    assert named in err


def test_an_unknown_year_exits_2(fy2551):
    code, _, err = _run("--year", "2499", "--constraints", str(EXAMPLE))

    assert code == 2
    assert "2499" in err


def test_without_allow_not_ready_no_party_is_scheduled(fy2551):
    code, out, _ = _run("--year", "2551", "--constraints", str(EXAMPLE), "--json")

    assert code == 0
    assert json.loads(out) == []
