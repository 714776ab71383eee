"""Rows of a hand-written statement as model instances, without ``RawQuerySet``.

``RawQuerySet`` maps the cursor's columns to fields by name on every evaluation; for
the short statements the story page runs on each request that cost more than reading
the rows. Here the columns are named once, in order: the model's fields first, then
any extra values, which become attributes.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db import connections, models


@functools.cache
def _converters(model: type[models.Model], fields: tuple[str, ...], alias: str):
    # The database converters Django would apply to each column (SQLite returns text
    # for datetimes, booleans as integers…); computed once per model, columns, alias.
    connection = connections[alias]
    found = []
    for index, attname in enumerate(fields):
        field = next(f for f in model._meta.concrete_fields if f.attname == attname)
        column = field.get_col(model._meta.db_table)
        convert = connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        )
        if convert:
            found.append((index, column, tuple(convert)))
    return tuple(found)


def fetch_instances(
    model: type[models.Model],
    sql: str,
    params: Sequence[Any],
    *,
    using: str,
    fields: tuple[str, ...],
    extras: tuple[str, ...] = (),
) -> list[models.Model]:
    """Run ``sql`` (selecting ``fields`` then ``extras``) and build the instances."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    converters = _converters(model, fields, using)
    width = len(fields)
    instances = []
    for row in rows:
        values = list(row[:width])
        for index, column, convert in converters:
            for function in convert:
                values[index] = function(values[index], column, connection)
        instance = model.from_db(using, fields, values)
        for name, value in zip(extras, row[width:], strict=True):
            setattr(instance, name, value)
        instances.append(instance)
    return instances
