"""Live coverage: the short timestamped entries of a story that is happening now.

(Not named ``live``: ``articles.models.live`` is the published-and-due rule.)

A story becomes live coverage with ``Article.is_live_blog``; its entries are
``LiveEntry`` rows. An entry is never deleted while its story runs: a removal sets
``deleted_at`` (and ``updated_at``), so readers' open pages receive it like an edit.
"""

from __future__ import annotations

import datetime
from typing import Self

import reversion
from django.conf import settings
from django.db import models
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from articles.models.article import BODY_EXTENSIONS, Article, sanitize_body
from articles.models.editorial import Author
from core.dates import PlausibleDateTimeField
from core.images import RenditionImageField, validate_hero_image
from core.rows import CarriedList

__all__ = ["LiveEntry", "LiveEntryQuerySet"]


class LiveEntryQuerySet(models.QuerySet):
    def shown(self) -> Self:
        """Entries readers see: not removed."""
        return self.filter(deleted_at__isnull=True)

    def with_authors(self) -> Self:
        """Authors carried in the entries' own query: one query per page of entries."""
        return self.annotate(**CarriedList.annotations(LiveEntry, "author_list"))

    def newest_first(self) -> Self:
        """The reader page's order (index live_entry_story_newest), with authors."""
        return self.with_authors().order_by("-created_at", "-id")

    def changed_since(self, at: datetime.datetime) -> Self:
        """Posted, edited or removed after ``at`` (index live_entry_story_changes):
        what a polling reader has not seen yet."""
        return self.filter(updated_at__gt=at)


@reversion.register()
class LiveEntry(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_entries"
    )
    # The same rich text as story bodies (same editor, same nh3 allow-list), so a
    # post URL on its own line becomes an embed and figures render as in a story.
    body = ProseEditorField(
        config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_body
    )
    authors = models.ManyToManyField(Author, blank=True, related_name="live_entries")
    # A picture from the hall, posted with the entry (phones upload straight away).
    photo = RenditionImageField(
        upload_to="live/originals/%Y/%m/",
        blank=True,
        validators=[validate_hero_image],
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        "photo alt text",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it.",
    )
    photo_caption = models.CharField(max_length=300, blank=True)
    # Made by the refresh_image_renditions task (core.renditions); [] until then.
    photo_renditions = models.JSONField(default=list, blank=True, editable=False)
    is_key_event = models.BooleanField("key event", default=False)
    key_title = models.CharField(
        "key event title",
        max_length=120,
        blank=True,
        help_text="A few words for the key events list, e.g. “Daesang announced”.",
    )
    is_pinned = models.BooleanField("pinned", default=False)
    created_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    # Moves on every post, edit and removal: the cursor polling readers follow.
    updated_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    deleted_at = PlausibleDateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="live_entries_posted",
    )

    objects = LiveEntryQuerySet.as_manager()

    author_list = CarriedList(
        Author,
        parent="live_entries",
        fields=("id", "display_name", "slug"),
        order_by=("display_name", "id"),
    )

    class Meta:
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["article", "-created_at", "-id"],
                name="live_entry_story_newest",
            ),
            models.Index(
                fields=["article", "updated_at"], name="live_entry_story_changes"
            ),
        ]

    def __str__(self) -> str:
        return self.key_title or f"Entry {self.pk} of “{self.article}”"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        """The permalink's fragment on the story page."""
        return f"entry-{self.pk}"

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None
