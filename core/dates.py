"""Dates the newsroom can store and read back: the years 1900 to 2100.

A year-1 date typed into a form was stored by PostgreSQL as a BC timestamp that
psycopg cannot read back (Python has no year 0), and SQLite refused it with an
OverflowError: every list, page and feed that met the row answered 500. Every date
and time field of ours is one of the two fields below, whose validator refuses such
values in model validation (so in every form and in ``full_clean``); the services
that set a publication time check it too. This module names no app.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
MESSAGE = f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}."


def is_plausible_date(value: datetime.date | None) -> bool:
    """Whether a date or datetime falls in the years the newsroom stores."""
    return value is None or EARLIEST_YEAR <= value.year <= LATEST_YEAR


def validate_plausible_date(value: datetime.date | None) -> None:
    """Field and form validator: refuse dates outside 1900-2100 with one message."""
    if not is_plausible_date(value):
        raise ValidationError(MESSAGE, code="implausible_date")


class PlausibleDateField(models.DateField):
    """A ``DateField`` that only takes dates between 1900 and 2100."""

    default_validators = [validate_plausible_date]


class PlausibleDateTimeField(models.DateTimeField):
    """A ``DateTimeField`` that only takes times between 1900 and 2100."""

    default_validators = [validate_plausible_date]
