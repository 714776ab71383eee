"""Reads per story, counted first-party and kept as hourly buckets.

One row per story per hour that had at least one read: small enough to keep for
years, fine enough for "trending now" (the last hours, decayed) and for the editors'
chart (per hour for the first two days, per day after).
"""

from __future__ import annotations

import datetime
from typing import Self

from django.db import models
from django.db.models import Sum
from django.db.models.functions import TruncDay

from core.dates import PlausibleDateTimeField

__all__ = ["StoryReads", "StoryReadsQuerySet"]


class StoryReadsQuerySet(models.QuerySet):
    def since(self, moment: datetime.datetime) -> Self:
        """Buckets from the hour holding ``moment`` on (the hour index serves it)."""
        return self.filter(hour__gte=moment.replace(minute=0, second=0, microsecond=0))

    def per_story(self) -> Self:
        """``{"article_id", "total"}`` rows, most read first."""
        return (
            self.values("article_id")
            .annotate(total=Sum("reads"))
            .order_by("-total", "-article_id")
        )

    def per_day(self) -> Self:
        """``{"day", "total"}`` rows, oldest first, for the chart after two days."""
        return (
            self.annotate(day=TruncDay("hour"))
            .values("day")
            .annotate(total=Sum("reads"))
            .order_by("day")
        )


class StoryReads(models.Model):
    """How many readers read a story during one hour (UTC, on the hour)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="read_buckets"
    )
    hour = PlausibleDateTimeField(help_text="The start of the hour, in UTC.")
    reads = models.PositiveIntegerField(default=0)

    objects = StoryReadsQuerySet.as_manager()

    class Meta:
        verbose_name = "story reads (hour)"
        verbose_name_plural = "story reads (hourly)"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="story_reads_one_row_per_hour"
            )
        ]
        # Trending and "most read this week" scan recent hours across stories.
        indexes = [models.Index(fields=["hour", "article"], name="story_reads_hour")]

    def __str__(self) -> str:
        return (
            f"{self.reads} reads of story {self.article_id} at {self.hour:%Y-%m-%d %H}h"
        )
