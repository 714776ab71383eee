"""Synonyms editors keep: names readers search by that are nobody's alias.

A fandom's name ("ARMY"), a group's nickname ("Bangtan") or a shorthand readers use
points at an artist; search treats it as one more name of that artist (the name
index, :mod:`search.names`). Aliases belong to the artist's own record; a synonym is
a search aid, kept here so editors can add one without touching the artist.
"""

from __future__ import annotations

from django.db import models

from artists.models import Artist
from artists.slugs import name_key


class Synonym(models.Model):
    """Another word for an artist, for search only."""

    class Kind(models.TextChoices):
        FANDOM = "fandom", "Fandom name"
        NICKNAME = "nickname", "Group or artist nickname"
        SHORTHAND = "shorthand", "Shorthand or abbreviation"

    name = models.CharField(max_length=100)
    artist = models.ForeignKey(
        Artist, on_delete=models.CASCADE, related_name="search_synonyms"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.NICKNAME)
    key = models.CharField(max_length=100, editable=False, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "artist"],
                name="unique_synonym_per_artist",
                violation_error_message="This artist already has this synonym.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.key = name_key(self.name)
        super().save(*args, **kwargs)
