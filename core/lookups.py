"""``integer__in=[...]`` with a number no integer column can hold matches nothing.

Django already answers ``id=10**21`` with an empty result (its exact and range
lookups on integers check the column's range), but ``id__in=[1, 10**21]`` reached
SQLite's driver and failed with an OverflowError: a form posting a huge id for a
many-to-many field (or a picker drawing it again) answered 500. Out-of-range
values are dropped from the list, as the exact lookup treats them; a list left
empty matches nothing. Registered on ``IntegerField`` in ``NewsroomConfig.ready``,
so every integer column (ids included) of every app uses it. Names no app.
"""

from __future__ import annotations

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or (low is None or value >= low)
                and (high is None or value <= high)
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Make ``IntegerFieldIn`` the ``in`` lookup of every integer field."""
    IntegerField.register_lookup(IntegerFieldIn)
