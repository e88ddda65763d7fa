import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

REPO = Path(__file__).resolve().parents[2]

SCENARIO = {
    "indicators": [
        {"code": "1", "weight": 4, "type": "milestone", "level": 5},
        {"code": "2", "weight": 3, "type": "milestone", "level": 2},
        {
            "code": "3",
            "weight": 93,
            "type": "quantitative",
            "direction": "higher",
            "criteria": [20, 40, 60, 80, 100],
            "result": "49.33",
            "deductions": [{"reason": "ไม่ส่งรายงานความก้าวหน้า", "points": "0.2"}],
        },
    ]
}
EXPECTED = {
    "indicators": [
        {"code": "1", "score": "5.0000", "weighted": "0.2000", "children": []},
        {"code": "2", "score": "2.0000", "weighted": "0.0600", "children": []},
        {"code": "3", "score": "2.2665", "weighted": "2.1078", "children": []},  # 2.4665 − 0.2; × 0.93
    ],
    "total": "2.3678",
}
BAD = {"indicators": [{"code": "1.3", "weight": 5, "type": "quantitative", "direction": "lower",
                       "criteria": [12, 14, 16, 18, 20], "result": 15}]}  # fmt: skip
BAD_MESSAGE = 'indicator 1.3: criteria: must be strictly decreasing for direction "lower"'


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_it_prints_the_score_sheet_of_a_file(tmp_path):
    out = io.StringIO()

    call_command("score", str(write(tmp_path, SCENARIO)), stdout=out)

    assert json.loads(out.getvalue()) == EXPECTED


def test_it_reads_standard_input_for_a_dash():
    out = io.StringIO()

    call_command("score", "-", stdin=io.StringIO(json.dumps(SCENARIO)), stdout=out)

    assert json.loads(out.getvalue()) == EXPECTED


def test_it_fails_with_status_2_naming_the_indicator_and_the_field(tmp_path):
    out = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("score", str(write(tmp_path, BAD)), stdout=out)

    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        BAD_MESSAGE,
        'ตัวชี้วัด 1.3: criteria: ต้องลดลงทุกระดับเมื่อทิศทางเป็น "lower" (ค่าน้อยดี)',
    ]
    assert out.getvalue() == ""


def test_it_fails_with_status_2_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("score", str(tmp_path / "missing.json"))

    assert caught.value.returncode == 2
    assert "missing.json" in str(caught.value)


def _run(module: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # An unreachable database proves the command never opens one.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khamrap.settings",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/none",
    }
    return subprocess.run(
        [sys.executable, "-m", module, "score", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


needs_settings = pytest.mark.skipif(
    not (REPO / "khamrap" / "settings.py").exists(), reason="khamrap/settings.py does not exist yet"
)


@needs_settings
@pytest.mark.parametrize("module", ["django", "khamrap"])
def test_the_command_line_prints_the_sheet_without_a_database(module, tmp_path):
    result = _run(module, str(write(tmp_path, SCENARIO)))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED


@needs_settings
def test_the_command_line_reads_standard_input():
    result = _run("khamrap", "-", stdin=json.dumps(SCENARIO))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == EXPECTED


@needs_settings
def test_the_command_line_exits_2_and_explains_on_stderr(tmp_path):
    result = _run("khamrap", str(write(tmp_path, BAD)))

    assert result.returncode == 2
    assert result.stdout == ""
    assert BAD_MESSAGE in result.stderr
    assert "ตัวชี้วัด 1.3: criteria:" in result.stderr
