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
    "notifications": {"core", "orgs", "accounts"},
    "plans": {"core", "orgs", "frameworks", "accounts", "documents", "notifications"},
    "workbook": {"core", "orgs", "frameworks", "accounts", "plans"},
    "tracking": {"core", "orgs", "frameworks", "accounts", "documents", "notifications", "plans"},
    "library": {"core", "orgs", "frameworks", "accounts", "documents", "plans"},
    "review": {"core", "orgs", "frameworks", "accounts", "documents", "notifications", "plans", "library"},
    "negotiations": {
        "core",
        "orgs",
        "frameworks",
        "accounts",
        "documents",
        "notifications",
        "plans",
        "review",
    },
    "site": {
        "core",
        "orgs",
        "frameworks",
        "accounts",
        "documents",
        "notifications",
        "plans",
        "workbook",
        "tracking",
        "library",
        "review",
        "negotiations",
    },
}
PURE = {"scheduling", "scoring", "thai"}


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


def _module_graph() -> dict[str, set[str]]:
    """Every khamrap module with the khamrap modules it imports (``from khamrap.x import y`` counts both
    ``khamrap.x`` and ``khamrap.x.y`` when that is a module)."""
    modules = {
        ".".join(("khamrap", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__"): p
        for p in PACKAGE.rglob("*.py")
        if "migrations" not in p.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("khamrap"):
                targets.add(node.module)
                targets |= {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
        graph[name] = (targets & modules.keys()) - {name}
    return graph


def test_no_import_circle_between_modules() -> None:
    graph = _module_graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target] if target in path else [module, target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []
