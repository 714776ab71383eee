"""Raw SQL in migrations that only PostgreSQL runs (triggers, trigram and GIN indexes).

SQLite gets the same tables without them; the code that reads what they keep has a
SQLite path of its own.

FROZEN: migrations import this module, and a migration must mean the same whenever it
runs. Never change what ``postgresql_only`` does; add a new function instead (its
behaviour is pinned by tests/core/test_migration_sql.py).
"""

from __future__ import annotations

from django.db import migrations


def postgresql_only(forwards_sql: str, backwards_sql: str) -> migrations.RunPython:
    """A migration operation running ``forwards_sql`` (or, reversed, ``backwards_sql``)
    on PostgreSQL and nothing elsewhere."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forwards_sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backwards_sql)

    return migrations.RunPython(forwards, backwards, elidable=False)
