"""The story itself, and the one queryset every public page reads it through."""

from __future__ import annotations

import datetime
import math
import re
import uuid
from typing import Self

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles.models.body import BODY_EXTENSIONS, sanitize_body
from articles.models.editorial import *  # noqa: F403 - re-exported below
from articles.models.editorial import ArticleSlugHistory, Byline, Correction, Source
from articles.models.editorial import __all__ as _editorial_all
from articles.models.related_sql import (
    RELATED_BY_TOPICS_SQL,
    RELATED_FIELDS,
    related_sql,
)
from articles.models.social import SocialPost
from articles.models.topics import StoryTopic
from artists.models import Artist
from core.dates import PlausibleDateField, PlausibleDateTimeField
from core.images import RenditionImageField, validate_hero_image
from core.rows import CarriedList, concrete_attnames, fetch_instances
from core.urlcache import cached_reverse
from discography.models import Release
from photos.fields import LibraryPhotoField

__all__ = [
    "STORY_LISTS",
    "Article",
    "ArticleQuerySet",
    "approved",
    "listing_place",
    "live",
    *_editorial_all,
]

# Editors hold it (and superusers): they see and edit every story in every state.
EDIT_ANY_PERMISSION = "articles.edit_any_article"

WORDS_PER_MINUTE = 230
# Fields only the desk reads (the story page leaves them out of its one query).
EDITORIAL_ONLY_FIELDS = (
    "slug_is_manual",
    "planned_for",
    "is_published_with_event",
    "hero_photo",
    "created_by",
)
# The lists the story page shows (Article's CarriedList attributes).
STORY_LISTS = (
    "byline_list",
    "source_list",
    "correction_list",
    "tag_list",
    "artist_list",
    "release_list",
    "social_post_list",
)
# The "live" rule, stated once: a story readers see is approved for publication
# (status published, with a publication time) and due. published(), scheduled() and
# Article.is_live read it here; the SQL that repeats it (the related-stories
# statements below, the story-topic triggers of migration 0502) is held to it by
# tests/articles/test_live_rule.py.


def approved() -> Q:
    """Approved for publication, due or not (what the story-topic triggers keep)."""
    return Q(status=Article.Status.PUBLISHED, published_at__isnull=False)


def live(at: datetime.datetime) -> Q:
    """Approved and due at ``at``: what anonymous readers may see."""
    return Q(status=Article.Status.PUBLISHED, published_at__lte=at)


def is_live(story: Article, at: datetime.datetime) -> bool:
    """``live(at)`` for one story in memory (no query)."""
    return (
        story.status == Article.Status.PUBLISHED
        and story.published_at is not None
        and story.published_at <= at
    )


def listing_place(status: str, published_at: datetime.datetime | None):
    """Where ``approved()`` puts a story in date-ordered lists (None: in none)."""
    if status == Article.Status.PUBLISHED and published_at is not None:
        return published_at
    return None


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at: datetime.datetime | None = None) -> Self:
        """What anonymous readers may see (now, or ``at``); drafts, scheduled and
        archived stories 404."""
        return self.filter(live(timezone.now() if at is None else at))

    def scheduled(self) -> Self:
        """Approved stories waiting for their publication time (no cron needed)."""
        return self.filter(approved(), published_at__gt=timezone.now())

    def next_go_live(self) -> datetime.datetime | None:
        """When the next scheduled story goes live (None when none waits): the page
        cache keeps no page past that moment (core.pagecache.register_schedule)."""
        return (
            self.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def visible_to(self, user) -> Self:
        """The one rule for who reads which story in which state (admin lists and
        pages, previews, pickers, desk panels): published stories for everyone;
        every state for editors and superusers; for other staff who may read
        stories (writers), their own stories in any state (a byline naming their
        Author, or created by them) besides what is published. Scheduled,
        archived and in-review stories of other writers stay out of sight."""
        if sees_every_story(user):
            return self.all()
        if not (
            user.is_authenticated
            and user.is_staff
            and user.has_perm("articles.view_article")
        ):
            return self.published()
        bylined = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
        return self.filter(
            Q(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())
            | Q(created_by=user)
            | Exists(bylined)
        )

    def for_listing(self) -> Self:
        """Newest first, with what a story card shows in the same query (flat lists)."""
        return self._with_lists("byline_list").order_by("-published_at", "-pk")

    def for_detail(self) -> Self:
        """Everything the story page shows, in one query: the story, its section and
        its seven small lists, each carried as a JSON array (core.rows.CarriedList)."""
        # Editorial bookkeeping no reader page shows stays behind: it keeps the
        # statement under psycopg's 4 KB prepared-statement limit (tests/perf).
        return self._with_lists(*STORY_LISTS).defer(*EDITORIAL_ONLY_FIELDS)

    def _with_lists(self, *names: str) -> Self:
        return self.select_related("section").annotate(
            **CarriedList.annotations(Article, *names)
        )

    def about_artist(self, artist) -> Self:
        """Stories linked to an artist, for the artist's profile and feed."""
        return self.filter(artists=artist)

    def related_to(self, article: Article, *, limit: int = 4) -> list[Article]:
        """Hand-picked related stories, else the newest sharing artists or tags.

        One query, written as SQL once per process (composing it with the ORM cost
        more time than the database took to answer). On PostgreSQL the newest few
        stories of each artist and tag are short ranges of the story-topic index
        (articles/models/topics.py); elsewhere each kind walks the newest stories
        through the link tables, glued with UNION ALL.
        """
        artist_ids = [a.pk for a in article.artist_list]
        tag_ids = [t.pk for t in article.tag_list]
        alias = self.db
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        published = Article.Status.PUBLISHED
        if connection.vendor == "postgresql":
            # Arrays: one statement text whatever the number of ids, so it is
            # prepared once per connection and planned no more.
            sql = [related_sql("picked", 0).replace("%(flag)s", "1")]
            params = [published, now, article.pk, [article.pk], limit]
            if artist_ids or tag_ids:
                kinds = [StoryTopic.Kind.ARTIST.value] * len(artist_ids)
                kinds += [StoryTopic.Kind.TAG.value] * len(tag_ids)
                sql.append(RELATED_BY_TOPICS_SQL)
                params += [published, now, kinds, artist_ids + tag_ids, now]
                params += [article.pk, limit, limit]
        else:
            parts = [("1", "picked", [article.pk])]
            if artist_ids:
                parts.append(("0", "artists", artist_ids))
            if tag_ids:
                parts.append(("0", "tags", tag_ids))
            sql, params = [], []
            for flag, kind, ids in parts:
                sql.append(related_sql(kind, len(ids)).replace("%(flag)s", flag))
                params += [published, now, article.pk, *ids, limit]
        found = fetch_instances(
            Article,
            " UNION ALL ".join(sql),
            params,
            using=alias,
            fields=RELATED_FIELDS,
            extras=("is_picked",),
        )
        if any(story.is_picked for story in found):
            found = [story for story in found if story.is_picked]
        found.sort(key=lambda story: (story.published_at, story.pk), reverse=True)
        unique = list({story.pk: story for story in found}.values())
        return unique[:limit]


_TAG_RE = re.compile(r"<[^>]*>")


def sees_every_story(user) -> bool:
    """Editors, superusers: ``visible_to`` leaves their queryset unfiltered."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm(EDIT_ANY_PERMISSION)
    )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self) -> ArticleQuerySet:
        # The search vector is for the database to match on, never for pages to
        # read: leaving it out keeps every list and story query as lean as before.
        return super().get_queryset().defer("search_vector")


# The share-link secret is no part of the text: restoring an old version must not
# bring back a link that was revoked (nor reopen reactions, nor move the plan).
@reversion.register(
    follow=["bylines", "sources", "corrections", "tagged_items"],
    exclude=["search_vector", "preview_secret", "reactions_closed", "planned_for"],
)
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CHANGES_REQUESTED = "changes", "Changes requested"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The story's address. It follows the headline until the story is "
        "first published, unless you type one (empty it to follow again); "
        "changing it on a published story keeps the old address as a redirect.",
    )
    # Set when someone typed the slug (admin or script): it stops following the
    # headline. Cleared by emptying the slug.
    slug_is_manual = models.BooleanField(default=False, editable=False)
    dek = models.CharField(
        "summary (dek)",
        max_length=300,
        blank=True,
        help_text="One line under the headline that says what the story is.",
    )
    body = ProseEditorField(
        config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_body, blank=True
    )
    # Search results and social cards show these instead (includes/seo_article.html).
    seo_title = models.CharField("SEO title", max_length=120, blank=True)
    seo_description = models.CharField("SEO description", max_length=300, blank=True)
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(blank=True)
    # The same tag rows seen from the story, so that saved versions keep the tags
    # (reversion follows it): history can compare them and a restore brings them back.
    tagged_items = GenericRelation(TaggedItem)

    hero_image = RenditionImageField(
        upload_to="articles/hero/originals/%Y/%m/",
        blank=True,
        validators=[validate_hero_image],
        width_field="hero_width",
        height_field="hero_height",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "hero alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required "
        "with an image.",
    )
    hero_caption = models.CharField(max_length=300, blank=True)
    hero_credit = models.CharField(max_length=200, blank=True)
    # Made by the refresh_image_renditions task (core.renditions); [] until then.
    hero_renditions = models.JSONField(default=list, blank=True, editable=False)
    # The library photo the hero is; hero_image and the fields above keep a copy of
    # its file name, size, alt text and credit for templates (photos.fields).
    hero_photo = LibraryPhotoField(
        image_field="hero_image",
        alt_field="hero_alt",
        credit_field="hero_credit",
        caption_field="hero_caption",
        related_name="hero_of_stories",
        verbose_name="hero picture",
    )

    artists = models.ManyToManyField(
        "artists.Artist", blank=True, related_name="articles"
    )
    releases = models.ManyToManyField(
        "discography.Release", blank=True, related_name="articles"
    )
    tracks = models.ManyToManyField(
        "discography.Track", blank=True, related_name="articles"
    )
    related_articles = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Chosen by hand; when empty, stories sharing artists or tags show.",
    )

    # The calendar event the story is about (issue 22): "publish when it happens"
    # schedules it at the event's time, and a delay moves or notes it
    # (articles.event_stories).
    event = models.ForeignKey(
        "discography.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
    )
    is_published_with_event = models.BooleanField(
        "publish when it happens",
        default=False,
        help_text="Publishing schedules the story at the event's time, and moves it "
        "when the event is delayed.",
    )

    is_featured = models.BooleanField("featured", default=False)
    # Editors close a story's reactions (services.set_reactions_closed); a site-wide
    # "close after N days" (ReactionSettings) applies on top.
    reactions_closed = models.BooleanField(default=False, editable=False)
    # The day the desk plans to run the story: a date of its own, never a publish
    # time (the planning calendar moves it).
    planned_for = PlausibleDateField(null=True, blank=True, db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = PlausibleDateTimeField(null=True, blank=True, editable=False)
    # Live coverage (articles.models.live_entries): set by articles.live only.
    is_live_blog = models.BooleanField("live coverage", default=False, editable=False)
    coverage_started_at = PlausibleDateTimeField(null=True, blank=True, editable=False)
    coverage_ended_at = PlausibleDateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="articles_created",
    )
    created_at = PlausibleDateTimeField(auto_now_add=True)
    updated_at = PlausibleDateTimeField(auto_now=True)
    # Bumped on every save; an edit form carries the value it started from, and a
    # save from an older value is refused instead of overwriting someone's work.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Signed into every share link (articles.views.article.preview_token) and checked
    # when one is opened; services.revoke_share_links replaces it, and every link
    # handed out before stops working.
    preview_secret = models.UUIDField(default=uuid.uuid4, editable=False)
    # Headline (A), dek (B) and body text (C) for full-text search. On PostgreSQL a
    # trigger keeps it current on every insert and update (bulk ones too) and a GIN
    # index serves it (migration 0300); SQLite leaves it empty (see search/backends).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    # The small lists a story card or page shows, as plain lists: carried in the
    # story's own query by for_listing() and for_detail() (core.rows.CarriedList),
    # else read with one query each. Fields not carried are deferred.
    byline_list = CarriedList(
        Byline,
        parent="article",
        fields=(
            "id",
            "position",
            *(f"author__{name}" for name in ("id", "display_name", "slug", "role")),
        ),
        order_by=("position", "id"),
    )
    source_list = CarriedList(
        Source,
        parent="article",
        fields=concrete_attnames(Source, leave_out=["article"]),
        order_by=("position", "id"),
    )
    correction_list = CarriedList(
        Correction,
        parent="article",
        fields=concrete_attnames(Correction, leave_out=["article"]),
        order_by=("noted_at", "id"),
    )
    tag_list = CarriedList(
        Tag,
        parent="taggit_taggeditem_items__object_id",
        where=Q(
            taggit_taggeditem_items__content_type__app_label="articles",
            taggit_taggeditem_items__content_type__model="article",
        ),
        fields=concrete_attnames(Tag),
        order_by=("taggit_taggeditem_items__id",),
    )
    # Chips link the artists and releases (names for the structured data, too).
    artist_list = CarriedList(
        Artist,
        parent="articles",
        fields=("id", "name", "slug"),
        order_by=("sort_name", "name"),
    )
    release_list = CarriedList(
        Release,
        parent="articles",
        fields=("id", "title", "slug"),
        order_by=("-released_on", "title"),
    )
    social_post_list = CarriedList(
        SocialPost,
        parent="articles",
        fields=concrete_attnames(
            SocialPost, leave_out=["fetch_error", "fetched_at", "created_at"]
        ),
        order_by=("id",),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="article_status_published"
            ),
            models.Index(
                fields=["is_featured", "status", "-published_at"],
                name="article_featured_published",
            ),
            models.Index(
                fields=["section", "status", "-published_at"],
                name="article_section_published",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and archive articles"),
            ("review_article", "Can approve or send back articles in review"),
            ("edit_any_article", "Can edit other people's articles in any state"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        self.body = sanitize_body(self.body)
        stored = self._stored() if self.pk else None
        # Where readers' lists held it before this save: when that changes, the
        # related boxes of stories sharing its topics change too (articles.cachekeys).
        self._listing_before = (
            listing_place(stored["status"], stored["published_at"]) if stored else None
        )
        self._follow_headline(stored)
        update_fields = kwargs.get("update_fields")
        if stored is not None:
            self._before_update(stored)
        if update_fields is not None:
            extra = {"version", "updated_at"}
            if {"headline", "slug"} & set(update_fields):
                extra |= {"slug", "slug_is_manual"}
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:detail", slug=self.slug)

    def _stored(self) -> dict | None:
        """The row as the database holds it before this save (None when new)."""
        return (
            Article.objects.filter(pk=self.pk)
            .values("slug", "status", "version", "headline", "published_at")
            .first()
        )

    def _follow_headline(self, stored: dict | None) -> None:
        """The slug follows the headline until the story is first published (then
        it is the address readers and search engines know); a slug typed by hand
        (different from the stored one, or given to a new story) stops following,
        and an emptied slug follows again."""
        if not self.slug:
            self.slug_is_manual = False
            self.slug = self._unique_slug()
            return
        ever_published = stored is not None and (
            stored["published_at"] is not None
            or stored["status"] in (self.Status.PUBLISHED, self.Status.ARCHIVED)
        )
        if ever_published:
            return
        if stored is None or self.slug != stored["slug"]:
            self.slug_is_manual = True
        elif not self.slug_is_manual and self.headline != stored["headline"]:
            self.slug = self._unique_slug()

    def _before_update(self, stored: dict) -> None:
        """Count the save and keep a published story's old slug as a redirect."""
        old_slug, old_status = stored["slug"], stored["status"]
        old_version = stored["version"]
        # Callers that compare versions (the edit form, the services) hold a row
        # lock while saving, so this read-and-increment cannot interleave.
        self.version = old_version + 1
        if old_slug != self.slug:
            ArticleSlugHistory.objects.filter(
                slug=self.slug, article_id=self.pk
            ).delete()
            if old_status in (self.Status.PUBLISHED, self.Status.ARCHIVED):
                ArticleSlugHistory.objects.get_or_create(
                    slug=old_slug, defaults={"article_id": self.pk}
                )

    def _unique_slug(self) -> str:
        base = slugify(self.headline, allow_unicode=True)[:180].strip("-") or "story"
        slug, n = base, 2
        taken = Article.objects.exclude(pk=self.pk)
        while taken.filter(slug=slug).exists() or (
            ArticleSlugHistory.objects.filter(slug=slug)
            .exclude(article_id=self.pk)
            .exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        return slug

    def is_visible_to(self, user) -> bool:
        """``ArticleQuerySet.visible_to`` asked of the one story in hand."""
        if sees_every_story(user):
            return True
        return Article.objects.visible_to(user).filter(pk=self.pk).exists()

    # What templates show -------------------------------------------------------

    @property
    def is_live(self) -> bool:
        return is_live(self, timezone.now())

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and not self.is_live
        )

    @property
    def is_covered_live(self) -> bool:
        """Live coverage running now: the badge shows and readers' pages poll."""
        return self.is_live_blog and self.coverage_ended_at is None

    @property
    def last_noted_at(self):
        """When the latest correction or update was added (uses the prefetch)."""
        return max((c.noted_at for c in self.correction_list), default=None)

    @property
    def reading_minutes(self) -> int:
        """Minutes to read; a regex drop of tags (the body is sanitized HTML) is 20x
        cheaper than strip_tags' parser on every story render."""
        words = len(_TAG_RE.sub("", self.body or "").split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))


# Bylines, sources and corrections are restored together with their story.
for _model in (Byline, Source, Correction, TaggedItem):
    if not reversion.is_registered(_model):
        reversion.register(_model)
