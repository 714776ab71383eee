"""The A–Z index's filters (kind, agency, initial letter), via django-filter."""

from __future__ import annotations

import string

import django_filters
from django.db.models import Q, QuerySet

from artists.models import Agency, Artist

OTHER_INITIAL = "0-9"
LETTERS = [(letter, letter) for letter in string.ascii_uppercase] + [
    (OTHER_INITIAL, "#")
]


class ArtistFilter(django_filters.FilterSet):
    """What readers narrow the artist index by; every field is optional."""

    kind = django_filters.ChoiceFilter(
        choices=Artist.Kind.choices, empty_label="All kinds", label="Kind"
    )
    agency = django_filters.ModelChoiceFilter(
        field_name="agencies",
        queryset=Agency.objects.order_by("name"),
        to_field_name="slug",
        empty_label="All agencies",
        label="Agency",
    )
    letter = django_filters.ChoiceFilter(
        choices=LETTERS, method="filter_letter", empty_label="All", label="Initial"
    )

    class Meta:
        model = Artist
        fields = ["kind", "agency", "letter"]

    def filter_letter(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Names filed under a letter; "#" collects names not starting with A–Z."""
        if value == OTHER_INITIAL:
            latin = Q()
            for letter in string.ascii_uppercase:
                latin |= Q(sort_name__istartswith=letter)
            return queryset.exclude(latin)
        return queryset.filter(sort_name__istartswith=value)
