"""The search room's shape: what it imports, who imports it, how long its modules are."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEARCH = ROOT / "search"
BELOW = ("articles", "discography", "artists", "photos", "core")


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> list[tuple[str, int, bool]]:
    """Every module ``path`` imports (at any depth), its line and whether it is inside
    a function."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    inside = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, functions)
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(name, node.lineno, id(node) in inside) for name in names]
    return found


def test_search_imports_the_apps_below_it_and_never_the_project():
    assert modules(SEARCH)
    for path in modules(SEARCH):
        for name, line, _ in imported(path):
            top = name.split(".")[0]
            assert top != "newsroom", f"{path.relative_to(ROOT)}:{line} imports {name}"


def test_search_has_no_function_level_imports():
    for path in modules(SEARCH):
        late = [(name, line) for name, line, inside in imported(path) if inside]
        assert not late, f"{path.relative_to(ROOT)}: {late}"


@pytest.mark.parametrize("app", BELOW)
def test_no_app_below_search_imports_it(app):
    for path in modules(ROOT / app):
        for name, line, _ in imported(path):
            assert name.split(".")[0] != "search", (
                f"{path.relative_to(ROOT)}:{line} imports {name}"
            )


def test_search_modules_stay_short():
    for path in modules(SEARCH):
        lines = len(path.read_text().splitlines())
        assert lines <= 500, f"{path.relative_to(ROOT)} has {lines} lines"


def test_the_statements_ship_with_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["search"]
    shipped = {path for pattern in globs for path in SEARCH.glob(pattern)}
    statements = set((SEARCH / "backends" / "sql").glob("*.sql"))
    assert statements and statements <= shipped
