"""Where a photo is used: the rows pointing at it, and what the apps above report.

Foreign keys are found from the fields themselves (:class:`photos.fields.LibraryPhotoField`);
uses the library cannot see, such as a picture in a story's body, are reported by
finders the apps above register from their ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from photos.fields import library_fields


@dataclass(frozen=True)
class Use:
    what: str  # "story", "artist"...
    label: str
    admin_url: str


UsageFinder = Callable[[int], list[Use]]
_finders: list[UsageFinder] = []


def register_usage_finder(finder: UsageFinder) -> None:
    """``finder(photo_id)`` lists the uses of a photo the foreign keys do not show."""
    if finder not in _finders:
        _finders.append(finder)


def admin_url_of(row) -> str:
    meta = row._meta
    try:
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]
        )
    except NoReverseMatch:
        return ""


def uses_of(photo_id: int) -> list[Use]:
    """Every use of the photo, foreign keys first, then the registered finders'."""
    uses = []
    for field in library_fields():
        for row in field.model._default_manager.filter(**{field.attname: photo_id})[
            :50
        ]:
            uses.append(
                Use(str(field.model._meta.verbose_name), str(row), admin_url_of(row))
            )
    for finder in _finders:
        uses.extend(finder(photo_id))
    return uses
