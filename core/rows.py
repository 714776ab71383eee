"""Rows to model instances: the one way, whatever asked for the rows.

Three kinds of rows reach the pages:
- a parent's small related lists carried in its own query as JSON arrays
  (:class:`CarriedList`: a story's bylines, tags, artists…), so a story and all its
  lists arrive in one query instead of one per list;
- dictionaries a hand-written statement returns (:func:`instances_from_rows`), with
  ``relation__attname`` keys for a related object, as ``select_related`` would;
- the rows of a hand-written statement read from the cursor (:func:`fetch_instances`).

Each becomes ordinary model instances through ``Model.from_db``, so the fields a row
does not carry are deferred: reading one costs a query, never a silently wrong
default. Only Django's public API is used: a ``Subquery`` over ``values()`` whose
rows (``JSONArray``) are aggregated into one JSON array (``jsonb_agg`` on PostgreSQL,
``json_group_array`` on SQLite), ``Model.from_db`` and the fields' own conversions.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import NotSupportedError, connections, models
from django.db.models import Aggregate, OuterRef, Q, Subquery
from django.db.models.functions import JSONArray
from django.utils import timezone

__all__ = [
    "CarriedList",
    "JSONArrayAgg",
    "concrete_attnames",
    "fetch_instances",
    "instances_from_rows",
]


class JSONArrayAgg(Aggregate):
    """The rows of a group as one JSON array (SQLite's ``json_group_array``;
    ``jsonb_agg`` on PostgreSQL, whose jsonb has equality, so DISTINCT still works).
    """

    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="JSONB_AGG", **extra_context
        )


class RememberedSubquery(Subquery):
    """A ``Subquery`` that compiles to SQL once per database alias.

    Once resolved into a query its SQL can no longer change, and a queryset built
    once and filtered on every request (the story page's) compiles the same seven
    subqueries each time; that cost more than PostgreSQL took to answer them. A copy
    (a relabelled or newly resolved one) starts afresh.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.compiled: dict[str, tuple[str, tuple]] = {}

    def copy(self) -> RememberedSubquery:
        clone = super().copy()
        clone.compiled = {}
        return clone

    def as_sql(self, compiler, connection, template=None, **extra_context):
        if template is not None or extra_context:
            return super().as_sql(compiler, connection, template, **extra_context)
        found = self.compiled.get(connection.alias)
        if found is None:
            sql, params = super().as_sql(compiler, connection)
            found = self.compiled[connection.alias] = (sql, tuple(params))
        return found


# --- building instances ------------------------------------------------------------------


def _json_value(field: models.Field, value: Any) -> Any:
    """A JSON (or ``values()``) value as the Python value the database would give."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        raise NotSupportedError("Rows carried as JSON do not carry JSON fields.")
    value = field.to_python(value)
    if (
        isinstance(value, datetime.datetime)
        and settings.USE_TZ
        and timezone.is_naive(value)
    ):
        # SQLite stores UTC without an offset; PostgreSQL's JSON carries one.
        value = timezone.make_aware(value, datetime.UTC)
    return value


def _from_values(
    model: type[models.Model], values: dict[str, Any], using: str
) -> models.Model:
    # Model.from_db wants the values in field order (jsonb sorts its keys). Fields not
    # carried are deferred, as with .only().
    names, converted = [], []
    for field in model._meta.concrete_fields:
        if field.attname in values:
            names.append(field.attname)
            converted.append(_json_value(field, values[field.attname]))
    return model.from_db(using, names, converted)


def instances_from_rows(
    model: type[models.Model], rows: Iterable[dict[str, Any]], *, using: str
) -> list[models.Model]:
    """Model instances from dict rows; ``fk__attname`` keys build the related object."""
    instances = []
    for row in rows:
        own: dict[str, Any] = {}
        nested: dict[str, dict[str, Any]] = {}
        for key, value in row.items():
            if "__" in key:
                relation, _, attname = key.partition("__")
                nested.setdefault(relation, {})[attname] = value
            else:
                own[key] = value
        instance = _from_values(model, own, using)
        for relation, values in nested.items():
            if all(value is None for value in values.values()):
                setattr(instance, relation, None)  # an empty foreign key
                continue
            related_model = model._meta.get_field(relation).related_model
            setattr(instance, relation, _from_values(related_model, values, using))
        instances.append(instance)
    return instances


@functools.cache
def _converters(model: type[models.Model], fields: tuple[str, ...], alias: str):
    # The conversions Django applies to each column read from the cursor (SQLite
    # returns text for datetimes, integers for booleans…); once per model, columns
    # and alias.
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
    params: Sequence[Any] | dict[str, Any],
    *,
    using: str,
    fields: tuple[str, ...],
    extras: tuple[str, ...] = (),
) -> list[models.Model]:
    """Run ``sql`` (selecting ``fields``, then ``extras``) and build the instances.

    The columns are named once, in order: the model's fields (attnames) first, then
    any extra values, which become attributes of each instance.
    """
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


# --- small lists carried in their parent's query -----------------------------------------

_NOT_CARRIED = object()


def _sort_key(value: Any) -> tuple[bool, Any]:
    return (value is None, value)  # None after every value, as PostgreSQL's ASC


class CarriedList:
    """``story.tag_list``: a small related list of a model's instance.

    A queryset that asks for it
    (``queryset.annotate(**CarriedList.annotations(Article, "tag_list"))``) carries
    the list in the parent's own query as one JSON array; reading the attribute then
    builds the instances once, with no query. An instance fetched without it reads
    the list with one query the first time. Either way the attribute is a plain list
    in ``order_by`` order (carried rows are sorted in Python by their values; read
    ones by the database, so text may sort by its collation there).

    ``model`` is the rows' model; ``parent`` the lookup from a row to the parent's
    primary key (``"article"``, ``"articles"``…), with ``where`` for any further
    condition on the same relation (they go in one ``filter()``, so one join);
    ``fields`` are the attnames carried (``"author__display_name"`` builds the
    related author); ``order_by`` names carried values, ``-`` for descending.
    """

    def __init__(
        self,
        model: type[models.Model] | str,
        *,
        parent: str,
        fields: Sequence[str],
        order_by: Sequence[str] = (),
        where: Q | None = None,
    ) -> None:
        # "app_label.Model" for rows defined below their parent (an artist's links).
        self._model = model
        self.parent = parent
        self.fields = tuple(fields)
        self.order_by = tuple(order_by)
        self.where = where if where is not None else Q()
        self.name = ""

    def __set_name__(self, owner: type[models.Model], name: str) -> None:
        self.name = name
        self.annotation = f"{name}_json"

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self._model, str):
            self._model = apps.get_model(self._model)
        return self._model

    def rows(self, parent: Any) -> models.QuerySet:
        """The list's rows for one parent (a primary key, or ``OuterRef("pk")``)."""
        return self.model._default_manager.filter(
            Q(**{self.parent: parent}), self.where
        )

    @functools.cached_property
    def back_reference(self) -> str | None:
        """The rows' foreign key to their parent, set on each row as a prefetch would."""
        field = self.model._meta.get_field(self.parent.partition("__")[0])
        return field.name if field.many_to_one else None

    @functools.cached_property
    def carried(self) -> tuple[str, ...]:
        """The values each row carries, in order: the fields, then sort-only keys."""
        return tuple(
            dict.fromkeys([*self.fields, *(k.lstrip("-") for k in self.order_by)])
        )

    @functools.cached_property
    def expression(self) -> RememberedSubquery:
        """The correlated subquery carrying every row of one parent as a JSON array
        of arrays (values in ``carried`` order: no key is repeated per row). Built
        once: each query that uses it resolves a copy."""
        rows = (
            self.rows(OuterRef("pk"))
            .order_by()
            .values(self.parent)
            .annotate(rows=JSONArrayAgg(JSONArray(*self.carried)))
            .values("rows")
        )
        return RememberedSubquery(rows, output_field=models.JSONField())

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        carried = instance.__dict__.pop(self.annotation, _NOT_CARRIED)
        if carried is _NOT_CARRIED:
            found = self._read(instance)
        else:
            found = self._build(instance, carried or [])
        instance.__dict__[self.name] = found  # plain attribute from now on
        return found

    def _build(self, instance: models.Model, rows: list[list]) -> list[models.Model]:
        position = {key: index for index, key in enumerate(self.carried)}
        for key in reversed(self.order_by):
            at = position[key.lstrip("-")]
            rows.sort(key=lambda row: _sort_key(row[at]), reverse=key[0] == "-")
        carried = [dict(zip(self.fields, row, strict=False)) for row in rows]
        objects = instances_from_rows(
            self.model, carried, using=instance._state.db or "default"
        )
        self._point_back(instance, objects)
        return objects

    def _read(self, instance: models.Model) -> list[models.Model]:
        if instance.pk is None:
            return []
        related = {key.partition("__")[0] for key in self.fields if "__" in key}
        rows = self.rows(instance.pk).select_related(*related)
        objects = list(rows.order_by(*self.order_by, "pk"))
        self._point_back(instance, objects)
        return objects

    def _point_back(self, instance: models.Model, objects: list) -> None:
        if self.back_reference:
            for obj in objects:
                setattr(obj, self.back_reference, instance)

    @staticmethod
    def annotations(
        model: type[models.Model], *names: str
    ) -> dict[str, RememberedSubquery]:
        """``queryset.annotate(**CarriedList.annotations(Article, "tag_list"))``."""
        lists = [getattr(model, name) for name in names]
        return {carried.annotation: carried.expression for carried in lists}


def concrete_attnames(
    model: type[models.Model], *, leave_out: Iterable[str] = ()
) -> tuple[str, ...]:
    """Every column of ``model`` a list may carry, but the ones named (long text a
    page never shows; JSON fields are never carried)."""
    skip = set(leave_out)
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if field.name not in skip and not isinstance(field, models.JSONField)
    )
