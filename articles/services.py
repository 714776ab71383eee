"""The one path to a story's new status: every step is checked, atomic and audited.

Admin actions, views and the demo loader call these functions; nothing else sets
``Article.status`` or ``published_at``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from articles.event_stories import event_time
from articles.models import Article, Transition
from articles.models.article import EDIT_ANY_PERMISSION
from core import pagecache
from core.dates import validate_plausible_date
from photos.figures import references
from photos.models import Photo

User = AbstractBaseUser | AnonymousUser
Status = Article.Status

PUBLISH_PERMISSION = "articles.publish_article"
REVIEW_PERMISSION = "articles.review_article"
WRITER_EDITABLE = (Status.DRAFT, Status.CHANGES_REQUESTED)


def can_edit_article(*, user: User, article: Article) -> bool:
    """Editors edit any story; writers only their own, and only before review."""
    if not user.is_authenticated or not user.has_perm("articles.change_article"):
        return False
    if user.has_perm(EDIT_ANY_PERMISSION):
        return True
    return (
        article.pk is None
        or article.created_by_id == user.pk
        and article.status in WRITER_EDITABLE
    )


def _lock(article: Article) -> Article:
    """Re-read the row under a lock, so two decisions never race."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    article.status, article.published_at = locked.status, locked.published_at
    return locked


def _record(
    *,
    article: Article,
    from_status: str,
    by: User,
    note: str = "",
    scheduled_for: datetime.datetime | None = None,
) -> Transition:
    return Transition.objects.create(
        article=article,
        from_status=from_status,
        to_status=article.status,
        by=by if by.is_authenticated else None,
        note=note,
        scheduled_for=scheduled_for,
    )


def _move(article: Article, locked: Article, fields: dict, *, by: User) -> None:
    for name, value in fields.items():
        setattr(article, name, value)
        setattr(locked, name, value)
    with reversion.create_revision():
        locked.save(update_fields=list(fields))
        if by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment(f"Status: {locked.get_status_display()}")
    article.version = locked.version


@transaction.atomic
def submit_for_review(*, article: Article, by: User, note: str = "") -> Article:
    """A writer hands a draft to the editors; it is locked for the writer meanwhile."""
    locked = _lock(article)
    if not can_edit_article(user=by, article=locked):
        raise PermissionDenied("You may not submit this story.")
    if locked.status not in WRITER_EDITABLE:
        raise ValidationError("Only a draft can be submitted for review.")
    from_status = locked.status
    _move(article, locked, {"status": Status.REVIEW}, by=by)
    _record(article=article, from_status=from_status, by=by, note=note)
    return article


@transaction.atomic
def request_changes(*, article: Article, by: User, note: str) -> Article:
    """An editor sends a story back to its writer with a note the writer sees."""
    if not by.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("Only editors can send a story back.")
    note = (note or "").strip()
    if not note:
        raise ValidationError("Say what needs to change: the note is required.")
    locked = _lock(article)
    if locked.status not in (Status.REVIEW, Status.PUBLISHED):
        raise ValidationError("Only a story in review or scheduled can be sent back.")
    if locked.status == Status.PUBLISHED and not locked.is_scheduled:
        raise ValidationError("A live story is corrected or archived, not sent back.")
    from_status = locked.status
    _move(
        article,
        locked,
        {"status": Status.CHANGES_REQUESTED, "published_at": None},
        by=by,
    )
    _record(article=article, from_status=from_status, by=by, note=note)
    return article


def check_photo_rights(article: Article) -> None:
    """Refuse publication while a picture of the story (hero or body) has no credit
    or no usage terms, naming each such photo."""
    ids = [article.hero_photo_id, *references(article.body, "photo")]
    lacking = Photo.objects.filter(pk__in=[pk for pk in ids if pk]).lacking_rights()
    problems = [
        f"photo {photo.pk} “{photo.alt_text or photo.file.name}” has no "
        + " and no ".join(photo.missing_rights)
        for photo in lacking.order_by("pk")
    ]
    if problems:
        raise ValidationError(
            "Add the missing rights in the photo library before publishing: "
            + "; ".join(problems)
            + "."
        )


@transaction.atomic
def publish_article(
    *,
    article: Article,
    by: User,
    at: datetime.datetime | None = None,
    note: str = "",
) -> Article:
    """Publish now, or schedule: a future ``at`` goes live on time without a cron."""
    if not by.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only editors can publish or schedule stories.")
    if at is not None and timezone.is_naive(at):
        raise ValidationError("The publication time needs a time zone.")
    validate_plausible_date(at)
    locked = _lock(article)
    if not locked.headline.strip():
        raise ValidationError("A story needs a headline before it is published.")
    if locked.hero_image and not locked.hero_alt.strip():
        raise ValidationError("Describe the hero image (alt text) before publishing.")
    check_photo_rights(locked)
    from_status = locked.status
    now = timezone.now()
    if at is None:
        at = event_time(locked)  # "publish when it happens": at the event's time
    if at is None:
        # Re-publishing keeps the original date; a first publication is dated now.
        keep = from_status == Status.PUBLISHED and locked.published_at
        at = locked.published_at if keep and locked.published_at <= now else now
    _move(article, locked, {"status": Status.PUBLISHED, "published_at": at}, by=by)
    _record(
        article=article,
        from_status=from_status,
        by=by,
        note=note,
        scheduled_for=at if at > now else None,
    )
    return article


def approve_and_publish(
    *, article: Article, by: User, at: datetime.datetime | None = None, note: str = ""
) -> Article:
    """An editor approves a story in review: published now or scheduled for ``at``."""
    if not by.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("Only editors can publish or schedule stories.")
    return publish_article(article=article, by=by, at=at, note=note)


@transaction.atomic
def archive_article(*, article: Article, by: User, note: str = "") -> Article:
    """Take a story off the site; its address becomes a 404, its history stays."""
    if not by.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only editors can archive stories.")
    locked = _lock(article)
    if locked.status == Status.ARCHIVED:
        raise ValidationError("This story is already archived.")
    from_status = locked.status
    _move(article, locked, {"status": Status.ARCHIVED}, by=by)
    _record(article=article, from_status=from_status, by=by, note=note)
    return article


@transaction.atomic
def restore_revision(*, article: Article, version: Version, by: User) -> Article:
    """Bring back an earlier text; the story's status and date are left as they are."""
    if not by.has_perm(EDIT_ANY_PERMISSION):
        raise PermissionDenied("Only editors can restore an earlier version.")
    if version.object_id != str(
        article.pk
    ) or version.content_type.model_class() is not (Article):
        raise ValidationError("That version belongs to another story.")
    locked = _lock(article)
    keep = {
        "status": locked.status,
        "published_at": locked.published_at,
        "created_by_id": locked.created_by_id,
        "preview_secret": locked.preview_secret,
    }
    version.revision.revert(delete=True)
    # The revert wrote the old counter back; continue from the current one so that
    # forms opened before the restore are refused rather than silently applied.
    Article.objects.filter(pk=article.pk).update(version=locked.version)
    restored = Article.objects.get(pk=article.pk)
    for name, value in keep.items():
        setattr(restored, name, value)
    with reversion.create_revision():
        restored.save()
        reversion.set_user(by)
        reversion.set_comment(
            f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}"
        )
    Transition.objects.create(
        article=restored,
        from_status=keep["status"],
        to_status=keep["status"],
        by=by,
        note=f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}",
    )
    return restored


@transaction.atomic
def revoke_share_links(*, article: Article, by: User) -> Article:
    """Stop every share link of a story handed out so far; the next one is new.

    The story's text and version are left alone (a writer's open edit form still
    saves); the step is recorded on the story's workflow history.
    """
    locked = _lock(article)
    if not can_edit_article(user=by, article=locked):
        raise PermissionDenied("Only people who may edit this story revoke its links.")
    article.preview_secret = uuid.uuid4()
    Article.objects.filter(pk=locked.pk).update(preview_secret=article.preview_secret)
    _record(
        article=article,
        from_status=locked.status,
        by=by,
        note="Revoked the story's share links; earlier links now show nothing.",
    )
    return article


@transaction.atomic
def link_related(
    *,
    article: Article,
    by: User,
    artists: Iterable = (),
    releases: Iterable = (),
    tracks: Iterable = (),
) -> Article:
    """Confirm suggested artists, releases and tracks in one step (one click)."""
    if not can_edit_article(user=by, article=article):
        raise PermissionDenied("You may not edit this story.")
    article.artists.add(*artists)
    article.releases.add(*releases)
    article.tracks.add(*tracks)
    return article


MERGE_TAG_PERMISSIONS = ("taggit.change_tag", "taggit.delete_tag")


def can_merge_tags(*, user: User) -> bool:
    """Merging retags stories and deletes tags, so it takes both rights on tags."""
    return user.has_perms(MERGE_TAG_PERMISSIONS)


def tag_name(text: str) -> str:
    """A tag name as typed, with runs of spaces made one; an empty one is refused."""
    name = " ".join(text.split())
    if not name:
        raise ValidationError("Give the merged tag a name.")
    return name


@transaction.atomic
def merge_tags(*, tags: Iterable[Tag], into: str, by: User) -> Tag:
    """Fold ``tags`` into the tag named ``into`` (an existing one or a new one).

    Every story keeps exactly one link to the kept tag, however many of the merged
    tags it had; the merged tags are then deleted, so autocomplete stops offering
    them. The kept tag may itself be among ``tags`` and keeps all its links (taggit's
    own merge view dropped them). Set-based, so a tag on thousands of stories costs
    a handful of statements.
    """
    if not can_merge_tags(user=by):
        raise PermissionDenied("You may not merge tags.")
    name = tag_name(into)
    target = (
        Tag.objects.filter(name=name).first()
        or Tag.objects.filter(name__iexact=name).order_by("pk").first()
        or Tag.objects.create(name=name)
    )
    sources = Tag.objects.filter(pk__in=[tag.pk for tag in tags]).exclude(pk=target.pk)
    source_ids = list(sources.values_list("pk", flat=True))
    links = TaggedItem.objects.filter(tag_id__in=source_ids)
    # 1. A story that already has the kept tag only loses the merged ones.
    links.filter(
        Exists(
            TaggedItem.objects.filter(
                tag=target,
                content_type_id=OuterRef("content_type_id"),
                object_id=OuterRef("object_id"),
            )
        )
    ).delete()
    # 2. A story with several merged tags keeps one link (its oldest) to move.
    oldest = (
        links.values("content_type_id", "object_id")
        .annotate(oldest=Min("pk"))
        .values("oldest")
    )
    links.exclude(pk__in=Subquery(oldest)).delete()
    # 3. The rest now point at the kept tag; the emptied tags go.
    links.update(tag=target)
    sources.delete()
    # update() sends no signal: tell the page cache that tag pages and stories changed.
    pagecache.content_changed(target)
    return target


@transaction.atomic
def set_reactions_closed(*, article: Article, by: User, closed: bool) -> Article:
    """An editor closes (or reopens) a story's reactions; recorded on its history."""
    if not by.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("Only editors open and close reactions.")
    locked = _lock(article)
    if locked.reactions_closed == closed:
        return article
    # An update, not a save: the story's version (an open edit form) stays valid.
    Article.objects.filter(pk=locked.pk).update(reactions_closed=closed)
    article.reactions_closed = closed
    pagecache.content_changed(article)
    _record(
        article=article,
        from_status=locked.status,
        by=by,
        note="Closed reactions." if closed else "Reopened reactions.",
    )
    return article


@transaction.atomic
def withdraw_from_review(*, article: Article, by: User, note: str = "") -> Article:
    """The writer takes their story back from review to draft (editors may too)."""
    locked = _lock(article)
    is_own = locked.created_by_id is not None and locked.created_by_id == by.pk
    if not (
        by.is_authenticated
        and by.has_perm("articles.change_article")
        and (is_own or by.has_perm(EDIT_ANY_PERMISSION))
    ):
        raise PermissionDenied("Only the story's writer or an editor may withdraw it.")
    if locked.status != Status.REVIEW:
        raise ValidationError("Only a story in review can be withdrawn.")
    _move(article, locked, {"status": Status.DRAFT}, by=by)
    _record(
        article=article,
        from_status=Status.REVIEW,
        by=by,
        note=note or "Withdrawn from review by the writer.",
    )
    return article


@transaction.atomic
def plan_story(*, article: Article, by: User, day: datetime.date | None) -> Article:
    """Move a story to another planned day (the calendar); recorded on its history.

    Editors plan any story, writers their own drafts; the plan is a date of its
    own and never touches the publication time."""
    locked = _lock(article)
    if not (
        by.has_perm(REVIEW_PERMISSION) or can_edit_article(user=by, article=locked)
    ):
        raise PermissionDenied("You may not plan this story.")
    if day is not None:
        validate_plausible_date(day)
    was = locked.planned_for
    if was == day:
        return article
    # An update, not a save: planning is no edit of the text (no new version).
    Article.objects.filter(pk=locked.pk).update(planned_for=day)
    article.planned_for = day
    _record(
        article=article,
        from_status=locked.status,
        by=by,
        note=f"Planned for {day:%Y-%m-%d} (was {was or 'unplanned'})."
        if day
        else f"Plan cleared (was {was}).",
    )
    return article
