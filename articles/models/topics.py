"""Which published story is about which artist or tag, with its publication time.

"Related stories" are the newest live stories sharing an artist or a tag. Through the
link tables alone, PostgreSQL can only walk the newest stories and test each one,
which for an artist with few stories means reading thousands of rows. Here each
(artist or tag, story) pair of a published story carries the story's publication
time, so "the newest four about this artist" is a short index range.

The rows are kept by database triggers (migration 0600) on PostgreSQL, so every way
of writing (the admin, services, ``QuerySet.update``, bulk ``COPY``) keeps them
current; nothing in Python writes them. SQLite does not use the table.
"""

from __future__ import annotations

from django.db import models

from core.dates import PlausibleDateTimeField

__all__ = ["StoryTopic"]


class StoryTopic(models.Model):
    class Kind(models.TextChoices):
        ARTIST = "a", "Artist"
        TAG = "t", "Tag"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=1, choices=Kind)
    topic_id = models.BigIntegerField()
    published_at = PlausibleDateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "topic_id", "article"], name="storytopic_unique"
            )
        ]
        indexes = [
            models.Index(
                "kind",
                "topic_id",
                models.F("published_at").desc(),
                models.F("article").desc(),
                name="storytopic_newest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.topic_id} in story {self.article_id}"
