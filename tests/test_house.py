"""The house rules, read from the code: imports run one way, and rooms stay small.

newsroom → search → articles → discography → artists → photos → core → Django and
libraries. A module may import its own package and any package below it, at module
level and inside functions alike; an import that runs back up means something lives
in the wrong room (move it, or let the lower room offer a registration hook that the
higher app fills in its ``AppConfig.ready()``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Top to bottom. Packages that do not exist yet are ranked all the same.
RANKS = ["newsroom", "search", "articles", "discography", "artists", "photos", "core"]
RANK = {package: rank for rank, package in enumerate(RANKS)}
MAX_LINES = 600
# Modules documented as frozen, which migrations may take helpers from.
FROZEN_FOR_MIGRATIONS = {"core.migration_sql"}


def modules(root: Path = ROOT, *, migrations: bool = False) -> list[Path]:
    """Every module of application code (tests aside): the migrations, or the rest."""
    return sorted(
        path
        for package in RANKS
        if (root / package).is_dir()
        for path in (root / package).rglob("*.py")
        if ("migrations" in path.relative_to(root).parts) is migrations
    )


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in ``path``, wherever it stands:
    ``from core import pagecache`` reads as ``core.pagecache``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(root).parts[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = package if node.level else node.module  # relative: own package
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def upward_imports(path: Path, root: Path = ROOT) -> list[str]:
    """The imports of ``path`` that run back up the house."""
    package = path.relative_to(root).parts[0]
    return [
        f"{path.relative_to(root)}:{line} imports {name}"
        for line, name in imported_modules(path, root)
        if RANK.get(name.split(".")[0], len(RANKS)) < RANK[package]
    ]


def test_the_house_has_its_rooms():
    found = {path.relative_to(ROOT).parts[0] for path in modules()}
    assert {"newsroom", "articles", "discography", "artists", "core"} <= found


def test_imports_run_one_way():
    assert [problem for path in modules() for problem in upward_imports(path)] == []


def test_the_rule_sees_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "core").mkdir()
    module = tmp_path / "core" / "later.py"
    module.write_text(
        "from . import rows\n"
        "def later():\n"
        "    from articles.models import Article\n"
        "    import_module('search.views')\n"
    )
    assert upward_imports(module, tmp_path) == [
        "core/later.py:3 imports articles.models.Article",
        "core/later.py:4 imports search.views",
    ]


def migration_imports_that_may_change(path: Path, root: Path = ROOT) -> list[str]:
    """What a migration imports of ours that could change its meaning later.

    Allowed: ``import app.module`` at module level, the form Django writes for the
    field classes and validators a model state names (they must stay importable
    anyway), and the documented frozen helpers. Code a migration runs (RunPython)
    is frozen inside the migration: no import of ours inside a function.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    at_module_level = {id(node) for node in tree.body}
    wrong = []
    for line, name in imported_modules(path, root):
        if name.split(".")[0] not in RANK:
            continue
        node = next(
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom) and n.lineno == line
        )
        frozen = any(name.startswith(f"{module}.") for module in FROZEN_FOR_MIGRATIONS)
        named_by_state = isinstance(node, ast.Import) and id(node) in at_module_level
        if not (frozen and id(node) in at_module_level) and not named_by_state:
            wrong.append(f"{path.relative_to(root)}:{line} imports {name}")
    return wrong


def test_the_migration_rule_refuses_live_code_but_not_named_validators(tmp_path):
    (tmp_path / "articles" / "migrations").mkdir(parents=True)
    migration = tmp_path / "articles" / "migrations" / "0900_example.py"
    migration.write_text(
        "import core.images\n"
        "from core.migration_sql import postgresql_only\n"
        "from newsroom.groups import EDITORS\n"
        "def forwards(apps, schema_editor):\n"
        "    from newsroom.groups import sync_groups\n"
    )
    assert migration_imports_that_may_change(migration, tmp_path) == [
        "articles/migrations/0900_example.py:3 imports newsroom.groups.EDITORS",
        "articles/migrations/0900_example.py:5 imports newsroom.groups.sync_groups",
    ]


def test_migrations_import_no_application_code_that_may_change():
    wrong = [
        problem
        for path in modules(migrations=True)
        for problem in migration_imports_that_may_change(path)
    ]
    assert wrong == []


def test_core_names_no_app():
    label = re.compile(
        r"[\"'](newsroom|search|articles|discography|artists|photos)[./:]"
    )
    named = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in modules()
        if path.relative_to(ROOT).parts[0] == "core"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if label.search(line)
    ]
    assert named == []


# Until the search branch turns it into the search app (its own rooms).
TOO_BIG_FOR_NOW: set[str] = set()


@pytest.mark.parametrize(
    "path",
    [p for p in modules() if p.relative_to(ROOT).as_posix() not in TOO_BIG_FOR_NOW],
    ids=lambda path: path.relative_to(ROOT).as_posix(),
)
def test_no_room_is_too_big(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
