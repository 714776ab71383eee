"""core.migration_sql is frozen: what migrations import must keep meaning the same."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import migrations

from core.migration_sql import postgresql_only


class Editor:
    def __init__(self, vendor: str) -> None:
        self.connection = SimpleNamespace(vendor=vendor)
        self.executed: list[str] = []

    def execute(self, sql: str) -> None:
        self.executed.append(sql)


def test_postgresql_runs_the_sql_both_ways():
    operation = postgresql_only("CREATE THING", "DROP THING")
    assert isinstance(operation, migrations.RunPython)
    assert operation.reversible and not operation.elidable
    editor = Editor("postgresql")
    operation.code(None, editor)
    operation.reverse_code(None, editor)
    assert editor.executed == ["CREATE THING", "DROP THING"]


def test_other_databases_run_nothing():
    operation = postgresql_only("CREATE THING", "DROP THING")
    editor = Editor("sqlite")
    operation.code(None, editor)
    operation.reverse_code(None, editor)
    assert editor.executed == []
