"""The apps are floors: each imports only the floors below it, so no import circle between apps can form.

``core`` is the ground floor and imports no app; ``site`` is the top floor. The pure packages (``scoring``,
``thai``) import no Django at all (tests in their own folders).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "khamrap"
# Each app with the apps it may import; everything else it imports from khamrap is a layering mistake.
FLOORS: dict[str, set[str]] = {
    "core": set(),
    "orgs": {"core"},
    "frameworks": {"core", "orgs", "accounts"},
    "accounts": {"core", "orgs"},
    "documents": {"core"},
    "plans": {"core", "orgs", "frameworks", "accounts", "documents"},
    "workbook": {"core", "orgs", "frameworks", "accounts", "plans"},
    "tracking": {"core", "orgs", "frameworks", "accounts", "plans"},
    "site": {"core", "orgs", "frameworks", "accounts", "documents", "plans", "workbook", "tracking"},
}
PURE = {"scoring", "thai"}


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "khamrap" and len(parts) > 1 and parts[1] not in PURE:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("app", sorted(FLOORS))
def test_an_app_imports_only_the_floors_below_it(app: str) -> None:
    wrong = {
        f"{path.relative_to(PACKAGE)} imports {other}"
        for path in (PACKAGE / app).rglob("*.py")
        if "migrations" not in path.parts
        for other in _imported_apps(path) - FLOORS[app] - {app}
    }
    assert sorted(wrong) == []


def test_every_app_has_a_floor() -> None:
    apps = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - PURE - {"templates", "static", "locale"}
    assert apps == set(FLOORS)


def test_no_module_of_the_workbook_imports_one_that_imports_it() -> None:
    modules = {p.stem: p for p in (PACKAGE / "workbook").glob("*.py")}
    edges = {
        name: {n.module.rsplit(".", 1)[-1] for n in ast.walk(ast.parse(p.read_text())) if isinstance(n, ast.ImportFrom)
               and n.module and n.module.startswith("khamrap.workbook.")}
        for name, p in modules.items()
    }  # fmt: skip
    cycles = [(a, b) for a, targets in edges.items() for b in targets if a in edges.get(b, set())]
    assert cycles == []
