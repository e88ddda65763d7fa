import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "khamrap" / "scheduling"


def test_importing_khamrap_scheduling_loads_no_django():
    check = (
        "import sys, khamrap.scheduling, khamrap.scheduling.solver; "
        "assert not any(m.startswith('django') for m in sys.modules), 'django'"
    )

    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr


def test_no_module_of_khamrap_scheduling_mentions_django_in_an_import():
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), f"{path.name} imports {names}"
            assert not any(
                name.startswith("khamrap.") and not name.startswith(("khamrap.scheduling", "khamrap.thai"))
                for name in names
            ), f"{path.name} imports {names}: the scheduling package uses only the pure packages"
