"""Social posts embedded in stories: one record per post, shared by every story."""

from __future__ import annotations

import datetime
from typing import Self

from django.db import models
from django.utils import timezone

from articles.social_urls import Platform, PostRef, handle_in_url
from core.dates import PlausibleDateTimeField
from core.images import RenditionImageField, validate_image
from photos.fields import LibraryPhotoField

__all__ = ["SocialPost", "SocialPostQuerySet"]

# Snowflake ids carry their creation time: X counts milliseconds since its own epoch
# in the bits above 22; TikTok counts seconds since 1970 in the bits above 32.
X_EPOCH_MS = 1288834974657
X_SNOWFLAKE_MIN = 1 << 32  # older, sequential ids carry no time
# A card shows about four lines of a post before "Expand".
LONG_TEXT_CHARS = 200
LONG_TEXT_LINES = 3


class SocialPostQuerySet(models.QuerySet):
    def for_cards(self) -> Self:
        """The shape a story page prefetches: every card of a story in one query."""
        return self.order_by("pk")


class SocialPost(models.Model):
    platform = models.CharField(max_length=16, choices=Platform.choices)
    post_id = models.CharField("post ID", max_length=64)
    url = models.URLField("canonical URL", max_length=500)
    author_name = models.CharField(max_length=200, blank=True)
    author_handle = models.CharField(
        max_length=100, blank=True, help_text="Without the @, e.g. lilacnotes."
    )
    text = models.TextField(
        blank=True, help_text="The post's words (or a video's title), as plain text."
    )
    posted_at = PlausibleDateTimeField(null=True, blank=True)
    thumbnail = RenditionImageField(
        upload_to="social/%Y/%m/",
        blank=True,
        validators=[validate_image],
        help_text="Optional still for videos, served from our own storage.",
    )
    # Made by the refresh_image_renditions task (core.renditions); [] until then.
    thumbnail_renditions = models.JSONField(default=list, blank=True, editable=False)
    # The library photo the still is (photos.fields keeps ``thumbnail`` its copy).
    thumbnail_photo = LibraryPhotoField(
        image_field="thumbnail", related_name="still_of_posts", verbose_name="still"
    )
    fetched_at = PlausibleDateTimeField(
        null=True, blank=True, help_text="When details were last asked for by oEmbed."
    )
    fetch_error = models.CharField(max_length=500, blank=True)
    articles = models.ManyToManyField(
        "articles.Article",
        related_name="social_posts",
        blank=True,
        help_text="Stories whose body embeds this post (kept in step on save).",
    )
    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = SocialPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "social post"
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "post_id"], name="socialpost_unique_platform_post"
            ),
        ]

    def __str__(self) -> str:
        who = f"@{self.author_handle}" if self.author_handle else self.author_name
        label = self.get_platform_display()
        kind = "video" if self.is_video else "post"
        return f"{label} {kind} {self.post_id}" + (f" by {who}" if who else "")

    def get_absolute_url(self) -> str:
        return self.url

    @classmethod
    def from_url_alone(cls, ref: PostRef) -> SocialPost:
        """An unsaved post with what its URL tells without a network: platform,
        the handle of an X or TikTok address, the date in an X or TikTok id."""
        post = cls(
            platform=ref.platform,
            post_id=ref.post_id,
            url=ref.canonical_url,
            author_handle=handle_in_url(ref.canonical_url),
        )
        post.posted_at = post.posted_at_from_id()
        return post

    @property
    def is_missing_text(self) -> bool:
        """Nobody has filled in the words yet (no network fetch, or it failed)."""
        return not self.text.strip()

    @property
    def shown_posted_at(self) -> datetime.datetime | None:
        """The date a card shows: the stored one, else the one the id encodes."""
        return self.posted_at or self.posted_at_from_id()

    @property
    def is_long(self) -> bool:
        """Whether the card collapses the text behind an Expand control."""
        return (
            len(self.text) > LONG_TEXT_CHARS or self.text.count("\n") >= LONG_TEXT_LINES
        )

    @property
    def is_video(self) -> bool:
        return self.platform == Platform.YOUTUBE

    @property
    def handle_display(self) -> str:
        """The handle as the network writes it (YouTube handles carry their own @);
        when none is stored, the one in an X or TikTok address."""
        handle = self.author_handle.lstrip("@") or handle_in_url(self.url)
        return f"@{handle}" if handle else ""

    @property
    def nocookie_embed_url(self) -> str:
        """The privacy-enhanced player, loaded only after a reader presses play."""
        return f"https://www.youtube-nocookie.com/embed/{self.post_id}?autoplay=1"

    def posted_at_from_id(self) -> datetime.datetime | None:
        """The creation time an X or TikTok id encodes, so dates work offline."""
        if not self.post_id.isdigit():
            return None
        number = int(self.post_id)
        if self.platform == Platform.X and number >= X_SNOWFLAKE_MIN:
            ms = (number >> 22) + X_EPOCH_MS
        elif self.platform == Platform.TIKTOK and number >= 1 << 40:
            ms = (number >> 32) * 1000
        else:
            return None
        try:
            moment = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC)
        except (OverflowError, ValueError, OSError):
            return None
        return moment if moment <= timezone.now() else None
