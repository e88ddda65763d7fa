import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_importing_khamrap_thai_loads_no_django() -> None:
    check = "import sys, khamrap.thai; assert not any(m.startswith('django') for m in sys.modules), 'django'"

    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
