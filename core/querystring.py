"""Page numbers and dates from a reader's query string: one rule for every page.

An address can carry anything (a hand-edited link, a crawler, a fuzzer). Read raw,
``?reactions=999999999999999999999`` overflowed PostgreSQL's bigint OFFSET and
``?end=9999-12-31`` overflowed the day after it, both as a 500. Every view reads
these values through the functions here: page numbers are clamped to a range every
database can page through, and a date is either inside the range the site searches
or refused (the search form reports it and leaves it out).
"""

from __future__ import annotations

import datetime
import re

from django import forms

from core.dates import EARLIEST_YEAR, LATEST_YEAR

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "MAX_PAGE_NUMBER",
    "QueryDateField",
    "page_number",
    "query_date",
]

# Deeper than any list offers (CappedPaginator stops at 20 pages, search at its
# candidates), and small enough that page × page size fits any integer column.
MAX_PAGE_NUMBER = 10_000

# The dates a reader may search between: the dates the newsroom stores
# (core.dates), so every story falls inside, and a day's start and the next day's
# start stay far from Python's and the databases' limits in any time zone.
EARLIEST_DATE = datetime.date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = datetime.date(LATEST_YEAR, 12, 31)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def page_number(value: object, *, maximum: int = MAX_PAGE_NUMBER) -> int:
    """The page a reader asked for: 1 when absent, negative or not a whole number
    ("x", "1e9", "-3", "٣"), never above ``maximum`` (a paginator then shows its
    last page)."""
    text = "" if value is None else str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    # Compare lengths first: Python refuses int() of a string of 5,000 digits.
    if len(text.lstrip("0")) > len(str(maximum)):
        return maximum
    return max(1, min(int(text), maximum))


def query_date(value: object) -> datetime.date:
    """A calendar date written as ISO 8601 (``YYYY-MM-DD``, what ``<input
    type=date>`` sends), between EARLIEST_DATE and LATEST_DATE.

    Raises ValueError with a reader-facing message for anything else: other
    spellings, impossible days (``0000-00-00``, ``2024-02-30``) and dates outside
    the range (``9999-12-31``, ``0001-01-01``).
    """
    text = str(value or "").strip()
    match = _ISO_DATE.fullmatch(text)
    if not match:
        raise ValueError("Enter a date as YYYY-MM-DD.")
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError("Enter a real calendar date.") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"Enter a date between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}."
        )
    return day


class QueryDateField(forms.DateField):
    """A form field for a date in a query string, read by :func:`query_date`."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        try:
            return query_date(value)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
