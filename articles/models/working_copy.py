"""A person's unsaved edits to one story (or to a story not saved yet).

The story form sends itself here in the background every few seconds, so a closed
tab, a crash or a lost network costs nothing: opening the story (or the add page)
again offers the copy back with its time. It is no revision and touches no story
row; a successful save of the form, or "discard", deletes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.dates import PlausibleDateTimeField

__all__ = ["WorkingCopy"]


class WorkingCopy(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Empty for the add page of a story never saved.
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_copies",
    )
    # The form's fields as posted (names to a value or a list of values).
    data = models.JSONField(default=dict)
    saved_at = PlausibleDateTimeField()

    class Meta:
        verbose_name = "working copy"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"], name="workingcopy_one_per_user_story"
            ),
            # NULLs are distinct in a unique constraint: one add-page copy per user.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="workingcopy_one_new_story_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Working copy of {self.article_id or 'a new story'} by {self.user_id}"
