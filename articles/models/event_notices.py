"""What the editors' desk is told when a calendar event moves under a story."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from core.dates import PlausibleDateTimeField

__all__ = ["EventNotice"]


class EventNotice(models.Model):
    """One line for the desk: a story followed (or could not follow) its event."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="event_notices"
    )
    event = models.ForeignKey(
        "discography.Event", on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=400)
    created_at = PlausibleDateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="eventnotice_recent_idx")]

    def __str__(self) -> str:
        return self.message
