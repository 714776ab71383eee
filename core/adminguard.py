"""Every admin page takes hostile query strings and posted ids without a 500.

Django's changelist hands query-string lookups that no filter of the page offers
straight to the queryset (``?headline__regex=(a`` reached the database and failed
there; ``?published_at__gte=0001-01-01`` failed converting), gives a list filter any value without checking it against the filter's
own choices (``?author=abc``), and builds date-hierarchy bounds past year 9999.
Its autocomplete widgets query the posted value as it came, so ``abc`` (or an id
past the column's range) posted as an artist, a release or a label failed while
the form with its errors was drawn again.

``NewsroomAdminSite.register`` puts ``AdminGuard`` under every ModelAdmin it
registers (ours and other apps'), and ``AdminGuard`` under every inline, so a page
added later is covered too. A bad filter value ends on Django's "?e=1" page (the
unfiltered list, with a message); a bad id is an error on its form field. This
module names no app.
"""

from __future__ import annotations

import datetime
import functools

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ERROR_FLAG, ChangeList
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import DataError, transaction
from django.db.models import lookups
from django.db.models.constants import LOOKUP_SEP

from core.dates import EARLIEST_YEAR, LATEST_YEAR, is_plausible_date

BAD_FILTER_MESSAGE = (
    "This list cannot be filtered that way (a filter it does not have, or a value "
    "the filter does not offer), so it shows every entry."
)


# What a query string may ask of a field besides what the page's filters offer:
# Django's plain comparisons (?kind=group, ?released_on__gte=2024-01-01,
# ?id__in=1,2). Patterns (regex, contains), transforms (__year, __date) and a
# field's own kind of match (a search vector's "exact" is a full-text query) are
# the filters' job.
COMPARISONS = {
    "exact": lookups.Exact,
    "iexact": lookups.IExact,
    "in": lookups.In,
    "isnull": lookups.IsNull,
    "gt": lookups.GreaterThan,
    "gte": lookups.GreaterThanOrEqual,
    "lt": lookups.LessThan,
    "lte": lookups.LessThanOrEqual,
}


def check_lookup(model, key: str, values: list) -> None:
    """Refuse a query-string lookup that is not a plain comparison on a field of
    the list (or of a model it leads to), or a value that field cannot hold."""
    path, _, last = key.rpartition(LOOKUP_SEP)
    if not (path and last in COMPARISONS):
        path, last = key, "exact"
    if path == "pk":
        path = model._meta.pk.name
    try:
        field = get_fields_from_path(model, path)[-1]
        # A relation compares the id it points at.
        target = getattr(field, "target_field", field) if field.is_relation else field
    except (FieldDoesNotExist, FieldError, NotRelationField) as error:
        raise IncorrectLookupParameters(error) from error
    lookup = field.get_lookup(last)
    if lookup is None or not issubclass(lookup, COMPARISONS[last]):
        raise IncorrectLookupParameters(f"{key} is not a plain comparison.")
    if last == "isnull":
        return
    for value in values:
        for one in value if isinstance(value, list) else [value]:
            try:
                target.run_validators(target.to_python(one))
            except (ValidationError, ValueError, TypeError) as error:
                raise IncorrectLookupParameters(f"{key}: {one!r}") from error


class ChangeListGuard:
    """A changelist whose filters from the address are checked before any query."""

    def get_filters(self, request):
        try:
            found = super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # The date hierarchy's bounds for a year such as 9999 or 0.
            raise IncorrectLookupParameters(error) from error
        specs, remaining = found[0], found[2]
        bounds = (
            (f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt")
            if self.date_hierarchy
            else ()
        )
        for key, values in remaining.items():
            if key in bounds and all(isinstance(v, datetime.date) for v in values):
                # Made by Django from the date hierarchy's year, month and day.
                if not all(map(is_plausible_date, values)) and key.endswith("gte"):
                    raise IncorrectLookupParameters(
                        f"A year outside {EARLIEST_YEAR}-{LATEST_YEAR}."
                    )
                continue
            check_lookup(self.model, key, values)
        # A filter with nothing to offer is not on the page, and Django drops the
        # value it took: that value applies nothing, so it is refused like others.
        applied = {name for spec in specs for name in spec.expected_parameters()}
        if hierarchy := self.date_hierarchy:
            applied |= {f"{hierarchy}__{part}" for part in ("year", "month", "day")}
        dropped = set(self.get_filters_params()) - applied - set(remaining)
        if dropped:
            raise IncorrectLookupParameters(f"No filter here takes {sorted(dropped)}.")
        for spec in specs:
            if isinstance(spec, admin.FieldListFilter):
                # The same checks for the values a field filter applies, so a
                # year-1 "since" fails here on both databases, not in SQLite only.
                for key, values in spec.used_parameters.items():
                    if key.rpartition(LOOKUP_SEP)[2] in COMPARISONS:
                        check_lookup(self.model, key, values)
            if isinstance(spec, admin.SimpleListFilter) and spec.value() is not None:
                # Django gives a filter any value; ours take only the ones they list.
                offered = {str(choice) for choice, _label in spec.lookup_choices}
                if spec.value() not in offered:
                    raise IncorrectLookupParameters(
                        f"{spec.title}: {spec.value()!r} is not one of its choices."
                    )
        return found

    def get_results(self, request):
        # The counts run the filtered query first: a value the database refuses
        # (a date SQLite cannot convert, text PostgreSQL will not compare) lands
        # on "?e=1" instead of failing the page. The savepoint keeps an
        # enclosing transaction usable after a refusal.
        try:
            with transaction.atomic(using=self.queryset.db):
                super().get_results(request)
        except (DataError, OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


@functools.cache
def guarded_changelist(changelist: type[ChangeList]) -> type[ChangeList]:
    if issubclass(changelist, ChangeListGuard):
        return changelist
    return type(f"Guarded{changelist.__name__}", (ChangeListGuard, changelist), {})


def takes_id(field, value) -> bool:
    """Whether ``value`` could be stored in ``field`` (the column an id points at)."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class _OnlyStorableIds:
    """Autocomplete widgets draw the chosen options from the database: they ask
    only for values the target column can hold, so ``abc`` is an error on the
    field (the form field says so) and not a failed query."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        value = [v for v in value if takes_id(target, v)]
        return super().optgroups(name, value, attr)


class CheckedAutocompleteSelect(_OnlyStorableIds, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_OnlyStorableIds, AutocompleteSelectMultiple):
    pass


class FormfieldGuard:
    """For a ModelAdmin or an inline: autocomplete pickers that survive bad ids."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@functools.cache
def guarded_inline(inline: type) -> type:
    if issubclass(inline, FormfieldGuard):
        return inline
    return type(
        inline.__name__, (FormfieldGuard, inline), {"__module__": inline.__module__}
    )


class AdminGuard(FormfieldGuard):
    """What NewsroomAdminSite adds to every ModelAdmin it registers."""

    def get_changelist(self, request, **kwargs):
        return guarded_changelist(super().get_changelist(request, **kwargs))

    def get_inlines(self, request, obj):
        return [guarded_inline(inline) for inline in super().get_inlines(request, obj)]

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and ERROR_FLAG in request.GET:
            self.message_user(request, BAD_FILTER_MESSAGE, messages.WARNING)
        return super().changelist_view(request, extra_context)


@functools.cache
def guarded_admin(model_admin: type) -> type:
    """``model_admin`` with ``AdminGuard`` first in line (the same class twice)."""
    if issubclass(model_admin, AdminGuard):
        return model_admin
    return type(
        model_admin.__name__,
        (AdminGuard, model_admin),
        {"__module__": model_admin.__module__},
    )
