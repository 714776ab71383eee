"""Small related lists folded into their parent's query as JSON arrays.

A story page shows six short lists (bylines, sources, corrections, tags, artists,
releases) and its embedded posts. Prefetching them costs one query each; here each list
is a correlated subquery aggregated into one JSON array (``jsonb_agg`` on PostgreSQL,
``json_group_array`` on SQLite), so the story and all its lists arrive in one query.
The rows are turned back into ordinary model instances and stored exactly where
``prefetch_related`` would put them, so templates keep calling ``story.tags.all``.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import NotSupportedError, models
from django.db.models import Expression, F
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from django.utils import timezone

__all__ = [
    "OUTER_PK",
    "JSONRows",
    "RelatedList",
    "attach_lists",
    "instances_from_rows",
]

_OUTER = "__jsonrows_outer_pk__"
# Stands for the parent's primary key in a RelatedList's queryset (as OuterRef would).
OUTER_PK = RawSQL(_OUTER, (), output_field=models.BigIntegerField())


class JSONRows(Expression):
    """A correlated subquery returning its rows as one JSON array, ``[]`` when empty.

    The inner query's SQL is compiled once per database vendor and reused: building
    it through the ORM on every request cost more than running it.
    """

    output_field = models.JSONField()

    def __init__(self, related: RelatedList, outer=None):
        super().__init__(output_field=models.JSONField())
        self.related = related
        self.outer = outer if outer is not None else F("pk")

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        (self.outer,) = exprs

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "postgresql":
            # Each row becomes {"c0": ..., "c1": ...}; jsonb, not json, because jsonb
            # has equality, so DISTINCT over the row still works. Kept short: psycopg
            # caches the parsing of statements under 4 kB only.
            head, tail = (
                "(SELECT COALESCE(jsonb_agg(to_jsonb(r)), '[]'::jsonb) FROM (",
                ") r)",
            )
        elif connection.vendor == "sqlite":
            pairs = ", ".join(
                f"'c{i}', r.c{i}" for i in range(len(self.related.fields))
            )
            head, tail = (
                f"(SELECT json_group_array(json_object({pairs})) FROM (",
                ") r)",
            )
        else:
            raise NotSupportedError(
                f"JSONRows is not supported on {connection.vendor}."
            )
        inner_sql, inner_params = self.related.inner_sql(connection)
        outer_sql, outer_params = compiler.compile(self.outer)
        parts = inner_sql.split(_OUTER)
        params: list = []
        for index, part_params in enumerate(_split_params(parts, inner_params)):
            params.extend(part_params)
            if index < len(parts) - 1:
                params.extend(outer_params)
        return head + f"({outer_sql})".join(parts) + tail, params


def _split_params(parts: list[str], params: Sequence) -> list[list]:
    """The inner parameters that belong to each piece between outer references."""
    result, position = [], 0
    for part in parts:
        count = part.count("%s")
        result.append(list(params[position : position + count]))
        position += count
    return result


def _field_value(model_field: models.Field, value):
    """A JSON value as the Python value the database would have given."""
    if value is None:
        return None
    if isinstance(model_field, models.JSONField):
        raise NotSupportedError("JSONRows does not carry JSON fields.")
    value = model_field.to_python(value)
    if (
        isinstance(value, datetime.datetime)
        and settings.USE_TZ
        and timezone.is_naive(value)
    ):
        # SQLite stores UTC without an offset; PostgreSQL's JSON carries one.
        value = timezone.make_aware(value, datetime.UTC)
    return value


def instances_from_rows(
    model: type[models.Model], rows: Iterable[dict], *, using: str
) -> list[models.Model]:
    """Model instances from JSON rows; ``fk__attr`` keys build the related object."""
    instances = []
    for row in rows:
        own: dict[str, object] = {}
        nested: dict[str, dict[str, object]] = {}
        for key, value in row.items():
            if "__" in key:
                relation, _, attname = key.partition("__")
                nested.setdefault(relation, {})[attname] = value
            else:
                own[key] = value
        instance = _from_db(model, own, using)
        for relation, values in nested.items():
            related_model = model._meta.get_field(relation).related_model
            setattr(instance, relation, _from_db(related_model, values, using))
        instances.append(instance)
    return instances


def _from_db(model: type[models.Model], values: dict, using: str) -> models.Model:
    # Model.from_db wants the values in field order (jsonb sorts its keys). Fields not
    # carried are deferred, as with .only(): reading one costs a query, never a
    # silently wrong default.
    names, converted = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in values:
            names.append(model_field.attname)
            converted.append(_field_value(model_field, values[model_field.attname]))
    return model.from_db(using, names, converted)


@dataclass(frozen=True)
class RelatedList:
    """One list a page shows: its manager name, the rows' query, the fields carried."""

    name: str
    model: type[models.Model]
    queryset: models.QuerySet
    fields: tuple[str, ...]
    back_reference: str | None = None  # the FK on each row pointing at the parent
    annotation: str = field(init=False)
    _compiled: dict = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "annotation", f"{self.name}_json")

    def expression(self) -> JSONRows:
        return JSONRows(self)

    def inner_sql(self, connection) -> tuple[str, tuple]:
        """The rows' SELECT, compiled once per vendor, with the parent's key marked."""
        cached = self._compiled.get(connection.vendor)
        if cached is None:
            rows = self.queryset.values(
                **{f"c{i}": F(name) for i, name in enumerate(self.fields)}
            )
            query = rows.query.clone()
            query.bump_prefix(Query(None))  # short aliases (U0, U1), as a Subquery has
            sql, params = query.get_compiler(connection=connection).as_sql()
            cached = self._compiled[connection.vendor] = (sql, tuple(params))
        return cached


def concrete_attnames(
    model: type[models.Model], *, leave_out: Iterable[str] = ()
) -> tuple[str, ...]:
    """Every column of ``model`` but the ones named (long text the page never shows)."""
    skip = set(leave_out)
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in skip and not isinstance(f, models.JSONField)
    )


def attach_lists(instance: models.Model, lists: Sequence[RelatedList]) -> None:
    """Move each list's JSON rows into the prefetch cache ``manager.all()`` reads."""
    using = instance._state.db or "default"
    cache = getattr(instance, "_prefetched_objects_cache", None)
    if cache is None:
        cache = instance._prefetched_objects_cache = {}
    for related in lists:
        rows = instance.__dict__.pop(related.annotation, None)
        if rows is None:
            continue
        named = [
            {related.fields[int(key[1:])]: value for key, value in row.items()}
            for row in rows
        ]
        objects = instances_from_rows(related.model, named, using=using)
        if related.back_reference:
            for obj in objects:  # sets the key and the cache, as a prefetch would
                setattr(obj, related.back_reference, instance)
        cache[related.name] = FetchedRows.holding(
            related.model,
            objects,
            relation=functools.partial(_relation_queryset, instance, related.name),
            using=using,
        )


def _relation_queryset(instance: models.Model, name: str) -> models.QuerySet:
    # The manager would hand back the cached rows themselves: step the cache aside.
    cache = instance._prefetched_objects_cache
    held = cache.pop(name, None)
    try:
        return getattr(instance, name).get_queryset()
    finally:
        if held is not None:
            cache[name] = held


class FetchedRows(models.QuerySet):
    """A relation's rows, already fetched, as the prefetch cache holds them.

    ``story.tags.all()`` returns it and iterating it costs nothing. The relation's
    own queryset (``manager.get_queryset()``: for taggit a filtered, ordered query
    built on each call) is only built if someone goes on from it (``.filter()``,
    ``.order_by()``…), so those still ask the database about this story's rows.
    Building it for every list of every story cost more than reading the rows.
    """

    _relation = None

    @classmethod
    def holding(
        cls,
        model: type[models.Model],
        rows: list,
        *,
        relation: Callable[[], models.QuerySet],
        using: str,
    ) -> FetchedRows:
        fetched = cls(model=model, using=using)
        fetched._result_cache = rows
        fetched._prefetch_done = True
        fetched._relation = relation
        return fetched

    @property
    def query(self):
        relation = self.__dict__.pop("_relation", None)
        if relation is not None:
            real = relation()
            self._query, self._hints = real.query, real._hints
            self._db = real._db or self._db
        return models.QuerySet.query.fget(self)

    @query.setter
    def query(self, value) -> None:
        models.QuerySet.query.fset(self, value)

    def __getstate__(self):
        self.query  # noqa: B018 - a pickled copy carries the real query, not a callable
        return super().__getstate__()
