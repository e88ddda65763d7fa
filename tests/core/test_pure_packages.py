"""The pure packages import no Django, loaded or written: each may use only itself and the pure packages it
names here."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Each pure package, the modules that load all of it, and the khamrap packages it may import.
PURE_PACKAGES = {
    "scoring": (("khamrap.scoring", "khamrap.scoring.scenario", "khamrap.scoring.checks"), {"scoring"}),
    "thai": (("khamrap.thai", "khamrap.thai.words"), {"thai"}),
    "scheduling": (("khamrap.scheduling", "khamrap.scheduling.solver"), {"scheduling", "thai"}),
}


@pytest.mark.parametrize("package", sorted(PURE_PACKAGES))
def test_importing_a_pure_package_loads_no_django(package: str) -> None:
    modules, _ = PURE_PACKAGES[package]
    check = f"import sys, {', '.join(modules)}; assert not any(m.startswith('django') for m in sys.modules), 'django'"

    result = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("package", sorted(PURE_PACKAGES))
def test_no_module_of_a_pure_package_imports_django_or_an_app(package: str) -> None:
    _, allowed = PURE_PACKAGES[package]
    for path in sorted((REPO / "khamrap" / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), f"{path.name} imports {names}"
            outside = [n for n in names if n.startswith("khamrap.") and n.split(".")[1] not in allowed]
            assert outside == [], f"{path.name} imports {outside}: {package} uses only {sorted(allowed)}"
