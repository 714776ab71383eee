"""Readers' fan reactions, the automatic flags that held them, and every decision."""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models.functions import Length, Lower
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from core import pagecache
from core.dates import PlausibleDateTimeField
from core.rows import fetch_instances

__all__ = [
    "BannedWord",
    "FanReaction",
    "FanReactionQuerySet",
    "ReactionDecision",
    "ReactionFlag",
    "ReactionReport",
    "ReactionSettings",
]

MESSAGE_MAX_LENGTH = 500
DISPLAY_NAME_MAX_LENGTH = 40


class FanReactionQuerySet(models.QuerySet):
    def approved(self) -> Self:
        """What readers may see: pending, rejected and spam reactions never show."""
        return self.filter(status=FanReaction.Status.APPROVED)

    def pending(self) -> Self:
        """The moderators' queue."""
        return self.filter(status=FanReaction.Status.PENDING)

    def reported(self) -> Self:
        """Approved reactions readers reported, with reports no moderator settled."""
        open_reports = ReactionReport.objects.filter(
            reaction=models.OuterRef("pk"), settled_at__isnull=True
        )
        return self.approved().filter(models.Exists(open_reports))

    def for_story_page(self) -> Self:
        """Featured first, then newest: the order under a story (index-backed)."""
        return self.approved().order_by("-is_featured", "-created_at", "-pk")

    def page_for_story(self, article_id: int, *, limit: int, offset: int) -> list:
        """One page of ``for_story_page()`` for a story, each row with ``total_count``
        (every approved reaction of the story): one statement, the same text for every
        story and page, so PostgreSQL plans it once per connection. Written out because
        the ORM took longer to compile it than the database took to answer.

        The total is a scalar subquery, counted from the ``reaction_story_page`` index
        alone, and the page walks that index and stops after ``limit`` rows. (A
        ``COUNT(*) OVER ()`` window read every approved row of the story first: 3 ms
        for a story with 3,000 reactions, against under 1 ms this way.)"""
        table = FanReaction._meta.db_table
        sql = (
            f"SELECT {', '.join(_PAGE_FIELDS)},"
            f" (SELECT COUNT(*) FROM {table} WHERE article_id = %s AND status = %s)"
            f" AS total_count FROM {table}"
            " WHERE article_id = %s AND status = %s"
            " ORDER BY is_featured DESC, created_at DESC, id DESC LIMIT %s OFFSET %s"
        )
        approved = FanReaction.Status.APPROVED.value
        params = [article_id, approved, article_id, approved, limit, offset]
        return fetch_instances(
            self.model,
            sql,
            params,
            using=self.db,
            fields=_PAGE_FIELDS,
            extras=("total_count",),
        )


# The columns a reaction shows under a story (the reactions page statement).
_PAGE_FIELDS = (
    "id",
    "article_id",
    "display_name",
    "message",
    "emoji",
    "status",
    "is_featured",
    "created_at",
)


class FanReaction(models.Model):
    """A reader's short message under a story; shown only once a moderator approves."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    class Emoji(models.TextChoices):
        HEART = "heart", "❤️"
        PURPLE_HEART = "purple_heart", "💜"
        FIRE = "fire", "🔥"
        CLAP = "clap", "👏"
        STAR_EYES = "star_eyes", "🤩"
        CRYING = "crying", "😭"

    class RejectionReason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSIVE = "abusive", "Abusive"
        OFF_TOPIC = "off_topic", "Off-topic"
        PERSONAL_INFORMATION = "personal_information", "Personal information"
        OTHER = "other", "Other"

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="fan_reactions",
        verbose_name="story",
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX_LENGTH)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    emoji = models.CharField(max_length=16, choices=Emoji.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    is_featured = models.BooleanField("featured", default=False)
    created_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    fingerprint = models.CharField(
        "submitter fingerprint",
        max_length=64,
        editable=False,
        help_text="Salted hash of the reader's address and browser; never the address.",
    )
    message_digest = models.CharField(
        max_length=64,
        editable=False,
        help_text="Hash of the normalised message, to spot exact repeats.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_at = PlausibleDateTimeField(null=True, blank=True, editable=False)
    decision_reason = models.CharField(
        max_length=32, choices=RejectionReason.choices, blank=True, editable=False
    )

    objects = FanReactionQuerySet.as_manager()

    class Meta:
        verbose_name = "fan reaction"
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("moderate_fanreaction", "Can approve, reject and feature fan reactions")
        ]
        constraints = [
            # The limits hold in the database too, whatever path a row takes.
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("message"), 1)
                & LessThanOrEqual(Length("message"), MESSAGE_MAX_LENGTH),
                name="reaction_message_length",
            ),
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("display_name"), 1)
                & LessThanOrEqual(Length("display_name"), DISPLAY_NAME_MAX_LENGTH),
                name="reaction_display_name_length",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["pending", "approved", "rejected", "spam"]
                ),
                name="reaction_status_valid",
            ),
        ]
        indexes = [
            # The story page: approved reactions of one story, featured first.
            models.Index(
                fields=["article", "status", "-is_featured", "-created_at"],
                name="reaction_story_page",
            ),
            # The moderators' queue and the pending counts.
            models.Index(fields=["status", "-created_at"], name="reaction_queue"),
            # Burst detection and "the submitter's other reactions".
            models.Index(
                fields=["fingerprint", "-created_at"], name="reaction_fingerprint"
            ),
            # Exact repeats of a recent message.
            models.Index(
                fields=["message_digest", "-created_at"], name="reaction_repeat"
            ),
        ]

    def __str__(self) -> str:
        excerpt = self.message if len(self.message) <= 60 else self.message[:59] + "…"
        return f"{self.display_name}: {excerpt}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url() + "#reactions"

    def get_admin_url(self) -> str:
        return reverse("admin:articles_fanreaction_change", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored status, so a save can tell whether readers saw it before.
        instance._stored_status = instance.__dict__.get("status")
        return instance

    def affects_public_pages(self) -> bool:
        """Only approved reactions are public: a pending submission changes no page.

        The page cache asks this before invalidating, so a flood of submissions
        cannot empty the cache; an approval (or a withdrawal) refreshes at once.
        """
        approved = self.Status.APPROVED
        return approved in (self.status, getattr(self, "_stored_status", None))

    @property
    def emoji_glyph(self) -> str:
        return self.Emoji(self.emoji).label if self.emoji else ""


class ReactionFlag(models.Model):
    """One automatic check that fired on a reaction, with the reason it gives."""

    class Code(models.TextChoices):
        LINKS = "links", "Too many links"
        BANNED_WORD = "banned_word", "Banned word"
        REPEAT = "repeat", "Repeated message"
        BURST = "burst", "Burst from one submitter"
        IMPERSONATION = "impersonation", "Impersonation"
        HONEYPOT = "honeypot", "Honeypot filled"

    reaction = models.ForeignKey(
        FanReaction, on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(max_length=32, choices=Code.choices)
    reason = models.CharField(max_length=255)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["code"], name="reaction_flag_code")]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.reason}"


class ReactionDecision(models.Model):
    """The audit trail: every moderation decision, who made it and when."""

    class Action(models.TextChoices):
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        FEATURE = "feature", "Featured"
        UNFEATURE = "unfeature", "Unfeatured"
        UNDO = "undo", "Undone"

    reaction = models.ForeignKey(
        FanReaction, on_delete=models.CASCADE, related_name="decisions"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.CharField(
        max_length=32, choices=FanReaction.RejectionReason.choices, blank=True
    )
    note = models.CharField(max_length=500, blank=True)
    # The reaction's state just before this decision, so an undo can put it back.
    previous_status = models.CharField(
        max_length=16, choices=FanReaction.Status.choices, blank=True
    )
    previous_featured = models.BooleanField(default=False)
    previous_reason = models.CharField(
        max_length=32, choices=FanReaction.RejectionReason.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the automatic checks decided.",
    )
    decided_at = PlausibleDateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        who = self.decided_by or "automatic checks"
        return f"{self.get_action_display()} by {who}"


class BannedWord(models.Model):
    """A word moderators keep out: a match holds the reaction, or marks it spam."""

    word = models.CharField(max_length=100)
    is_spam = models.BooleanField(
        "send straight to spam",
        default=False,
        help_text="Leave off to hold matching reactions in the queue instead.",
    )
    created_at = PlausibleDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(
                Lower("word"),
                name="bannedword_unique_word",
                violation_error_message="This word is already on the list.",
            )
        ]

    def __str__(self) -> str:
        return self.word


class ReactionReport(models.Model):
    """A reader's report of an approved reaction; a moderator settles it."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSIVE = "abusive", "Abusive or hateful"
        PERSONAL_INFORMATION = "personal_information", "Shares personal information"
        SPOILER = "spoiler", "Spoiler or rumour stated as fact"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        REMOVED = "removed", "Reaction removed"
        DISMISSED = "dismissed", "Report dismissed"

    reaction = models.ForeignKey(
        FanReaction, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=32, choices=Reason.choices)
    fingerprint = models.CharField(max_length=64, editable=False)
    reported_at = PlausibleDateTimeField(default=timezone.now)
    settled_at = PlausibleDateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            # One report per reader and reaction: repeats do not inflate the count.
            models.UniqueConstraint(
                fields=["reaction", "fingerprint"], name="reactionreport_once"
            )
        ]
        indexes = [
            models.Index(fields=["reaction", "settled_at"], name="reactionreport_open"),
            models.Index(fields=["settled_at"], name="reactionreport_settled"),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.reported_at:%Y-%m-%d %H:%M})"


class ReactionSettings(models.Model):
    """Site-wide reaction rules, one row editors change in the admin."""

    close_after_days = models.PositiveSmallIntegerField(
        "close reactions after (days)",
        null=True,
        blank=True,
        help_text="Days after publication when a story stops taking reactions. "
        "Empty: reactions stay open until an editor closes them.",
    )

    class Meta:
        verbose_name = "reaction settings"
        verbose_name_plural = "reaction settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1), name="reactionsettings_single_row"
            )
        ]

    def __str__(self) -> str:
        return "Reaction settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)
        pagecache.content_changed(self)  # story pages show whether the form is open

    def takes_reactions(self, article, *, at: datetime.datetime | None = None) -> bool:
        """Whether a story takes new reactions: live, not closed, not too old."""
        at = at or timezone.now()
        if not (
            article.status == "published"
            and article.published_at is not None
            and article.published_at <= at
            and not article.reactions_closed
        ):
            return False
        if self.close_after_days is None:
            return True
        return at < article.published_at + datetime.timedelta(
            days=self.close_after_days
        )

    @classmethod
    def current(cls) -> ReactionSettings:
        """The one row, read through the cache (asked on every story page)."""
        try:
            found = cache.get(SETTINGS_CACHE_KEY)
        except Exception:  # noqa: BLE001 - a cache outage must not break a story
            found = None
        if found is None:
            found = cls.objects.filter(pk=1).first() or cls(pk=1)
            try:
                cache.set(SETTINGS_CACHE_KEY, found, timeout=300)
            except Exception:  # noqa: BLE001 - read from the database next time
                pass
        return found


SETTINGS_CACHE_KEY = "articles:reaction-settings"
