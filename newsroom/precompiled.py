"""A hot query compiled to SQL once per process and database, run with new values.

The story page asks the same question on every request: "the live story with this
slug, with its lists". Django compiles a queryset to SQL on each evaluation, and for
that query (seven JSON lists, a join, four filters) compiling took longer than
PostgreSQL took to answer it (about 0.8 ms of Python per request). Here the queryset
is built once with placeholder values; its SQL, parameters and compiler are kept per
database alias, and each call binds the real values into a copy of the parameters.
The rows still go through the queryset's own iterable (model instances, select_related,
annotations), so the result is exactly what the queryset would have returned; the
tests compare the two.

Only placeholders that reach the SQL as parameters can be bound (values compared with
``=``, ``<=``…); building raises ``ImproperlyConfigured`` when a placeholder is not
found exactly once, so a change to the query cannot silently bind the wrong value.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models

__all__ = ["Placeholder", "PrecompiledQuery"]


@dataclass(frozen=True)
class Placeholder:
    """A value the query is built with, to be replaced on each call."""

    field: models.Field
    sentinel: Any


def _db_value(field: models.Field, value: Any, connection) -> Any:
    # What a lookup on ``field`` sends to the database for ``value``.
    return field.get_db_prep_value(field.get_prep_value(value), connection, True)


@dataclass
class _Compiled:
    queryset: models.QuerySet
    compiler: Any
    sql: str
    params: tuple
    positions: dict[str, int]


class PrecompiledQuery:
    """``build(**placeholders)`` compiled once per alias; ``first(using, **values)``."""

    def __init__(
        self,
        build: Callable[..., models.QuerySet],
        **placeholders: Placeholder,
    ) -> None:
        self._build = build
        self._placeholders = placeholders
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        sentinels = {name: p.sentinel for name, p in self._placeholders.items()}
        queryset = self._build(**sentinels).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = {}
        for name, placeholder in self._placeholders.items():
            marker = _db_value(placeholder.field, placeholder.sentinel, connection)
            found = [
                index
                for index, param in enumerate(params)
                if type(param) is type(marker) and param == marker
            ]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"The placeholder {name!r} appears {len(found)} times among the "
                    "query's parameters; it must appear exactly once."
                )
            positions[name] = found[0]
        return _Compiled(queryset, compiler, sql, tuple(params), positions)

    def first(self, *, using: str, **values: Any) -> models.Model | None:
        """The first row for these values, as the built queryset would give it."""
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        connection = connections[using]
        params = list(compiled.params)
        for name, value in values.items():
            field = self._placeholders[name].field
            params[compiled.positions[name]] = _db_value(field, value, connection)
        # A copy of the compiler, on this thread's connection, that answers with the
        # stored SQL instead of compiling again; the queryset copy that uses it is
        # evaluated here and never handed out (a further filter would be ignored).
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        statement = (compiled.sql, tuple(params))
        compiler.as_sql = lambda *args, **kwargs: statement
        queryset = compiled.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        rows = list(queryset)
        return rows[0] if rows else None
