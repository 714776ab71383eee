"""Live coverage services: start and end it, post, edit and remove entries.

Each is keyword-only, atomic, checks the poster's rights and leaves an audit trail:
entries are versioned with django-reversion (who, when, what changed), and a
story's start and end of coverage are steps of its workflow history
(``Transition``). Entries post at once; there is no review step for them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import partial

import reversion
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from articles import live_updates
from articles.embeds import fetch_new_posts, find_post_refs
from articles.models import (
    Article,
    Author,
    Byline,
    LiveEntry,
    SocialPost,
    Transition,
)
from articles.models.article import EDIT_ANY_PERMISSION, sanitize_body
from articles.services import can_edit_article
from core import pagecache
from core.dates import validate_plausible_date

User = AbstractBaseUser | AnonymousUser
POST_PERMISSION = "articles.add_liveentry"
KEY_TITLE_LENGTH = LiveEntry._meta.get_field("key_title").max_length


def can_post_live_entries(*, user: User, article: Article) -> bool:
    """Editors post on every live story; writers on one they may edit or that is
    theirs (they created it, or a byline names them), published or not."""
    if not (user.is_authenticated and user.has_perm(POST_PERMISSION)):
        return False
    if user.has_perm(EDIT_ANY_PERMISSION) or can_edit_article(
        user=user, article=article
    ):
        return True
    return (
        article.created_by_id == user.pk
        or Byline.objects.filter(article=article, author__user=user).exists()
    )


def _check(user: User, article: Article) -> None:
    if not can_post_live_entries(user=user, article=article):
        raise PermissionDenied("You may not post on this live story.")


def _audit(entry: LiveEntry, *, by: User, comment: str, fields: list[str] | None):
    with reversion.create_revision():
        entry.save(update_fields=fields)
        if by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment(comment)


def _step(article: Article, *, by: User, note: str) -> None:
    Transition.objects.create(
        article=article,
        from_status=article.status,
        to_status=article.status,
        by=by if by.is_authenticated else None,
        note=note,
    )


def _announce(story: Article) -> None:
    """Mark the story's updates answer stale once the change commits.

    Called before the service saves anything: callbacks run in the order they were
    registered, so the mark precedes the page cache's own invalidation at commit
    (registered by the first save), and no answer made from the old snapshot is
    stored as current for the pages' new generation.
    """
    slug = story.slug
    transaction.on_commit(lambda: live_updates.mark_changed(slug), robust=True)


def _changed(story: Article, *changed) -> None:
    """Readers' pages show something that changed."""
    pagecache.content_changed(story, *changed)


@transaction.atomic
def start_live_coverage(
    *, article: Article, by: User, at: datetime.datetime | None = None
) -> Article:
    """Make a story live coverage: the badge shows and readers' pages poll."""
    _check(by, article)
    validate_plausible_date(at)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.is_covered_live:
        raise ValidationError("Live coverage of this story is already running.")
    _announce(locked)
    started = at or timezone.now()
    fields = {
        "is_live_blog": True,
        "coverage_started_at": locked.coverage_started_at or started,
        "coverage_ended_at": None,
    }
    Article.objects.filter(pk=locked.pk).update(**fields)
    for name, value in fields.items():
        setattr(article, name, value)
    _step(article, by=by, note="Live coverage started.")
    _changed(article)
    return article


@transaction.atomic
def end_live_coverage(
    *, article: Article, by: User, at: datetime.datetime | None = None
) -> Article:
    """Close live coverage: the badge goes, polling stops, the page caches as usual."""
    _check(by, article)
    validate_plausible_date(at)
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not locked.is_covered_live:
        raise ValidationError("This story has no running live coverage.")
    _announce(locked)
    ended = at or timezone.now()
    Article.objects.filter(pk=locked.pk).update(coverage_ended_at=ended)
    article.coverage_ended_at = ended
    _step(article, by=by, note="Live coverage ended.")
    _changed(article)
    return article


def _clean_fields(
    body: str, is_key_event: bool, key_title: str, *, has_photo: bool = False
) -> tuple[str, str]:
    body = sanitize_body(body)
    if not body and not has_photo:
        raise ValidationError("Write something: an entry needs text or a photo.")
    key_title = " ".join((key_title or "").split())[:KEY_TITLE_LENGTH]
    if is_key_event and not key_title:
        raise ValidationError("A key event needs a short title for the list.")
    return body, key_title


def _check_photo(photo, alt: str) -> None:
    if photo and not (alt or "").strip():
        raise ValidationError(
            "Describe the photo (alt text) for readers who cannot see it."
        )


def _unpin_others(entry: LiveEntry) -> None:
    # One pinned entry per story: pinning another one replaces it.
    LiveEntry.objects.filter(article_id=entry.article_id, is_pinned=True).exclude(
        pk=entry.pk
    ).update(is_pinned=False, updated_at=timezone.now())


def link_embedded_posts(body: str) -> list[SocialPost]:
    """Store each post an entry embeds (a URL alone in a paragraph), as story saves
    do, and fetch the details of new ones after the commit."""
    posts, created = [], []
    for ref in find_post_refs(body):
        draft = SocialPost(platform=ref.platform, post_id=ref.post_id)
        post, is_new = SocialPost.objects.get_or_create(
            platform=ref.platform,
            post_id=ref.post_id,
            defaults={"url": ref.canonical_url, "posted_at": draft.posted_at_from_id()},
        )
        posts.append(post)
        if is_new:
            created.append(post.pk)
    if created and settings.EMBEDS_OEMBED_ENABLED:
        transaction.on_commit(partial(fetch_new_posts, created), robust=True)
    return posts


def poster_authors(user: User) -> list[Author]:
    """The byline an entry gets by default: the poster's own author profile."""
    name = user.get_full_name().strip() or user.get_username()
    author, _ = Author.objects.get_or_create(
        user=user, defaults={"display_name": name, "role": "Staff writer"}
    )
    return [author]


@transaction.atomic
def post_live_entry(
    *,
    article: Article,
    by: User,
    body: str,
    is_key_event: bool = False,
    key_title: str = "",
    is_pinned: bool = False,
    authors: Iterable[Author] | None = None,
    photo: File | None = None,
    photo_alt: str = "",
    photo_caption: str = "",
) -> LiveEntry:
    """Publish an entry at once on a live story (no review step)."""
    _check(by, article)
    if not article.is_live_blog:
        raise ValidationError("Start live coverage of this story first.")
    body, key_title = _clean_fields(
        body, is_key_event, key_title, has_photo=bool(photo)
    )
    _check_photo(photo, photo_alt)
    _announce(article)
    link_embedded_posts(body)
    now = timezone.now()
    entry = LiveEntry(
        article=article,
        body=body,
        is_key_event=is_key_event,
        key_title=key_title,
        is_pinned=is_pinned,
        photo=photo or "",
        photo_alt=photo_alt.strip(),
        photo_caption=photo_caption.strip(),
        created_at=now,
        updated_at=now,
        created_by=by if by.is_authenticated else None,
    )
    if photo:
        entry.full_clean(exclude=["article", "body", "created_by"])
    with reversion.create_revision():
        entry.save()
        entry.authors.set(poster_authors(by) if authors is None else list(authors))
        if by.is_authenticated:
            reversion.set_user(by)
        reversion.set_comment("Posted")
    if is_pinned:
        _unpin_others(entry)
    _changed(article, entry)
    return entry


@transaction.atomic
def edit_live_entry(
    *,
    entry: LiveEntry,
    by: User,
    body: str,
    is_key_event: bool = False,
    key_title: str = "",
    is_pinned: bool = False,
    photo: File | None | bool = None,
    photo_alt: str | None = None,
    photo_caption: str | None = None,
) -> LiveEntry:
    """Change an entry's text, photo or flags; open readers' pages show the new
    version. ``photo``: a new file, False to take it off, None to keep it."""
    locked = LiveEntry.objects.select_for_update().get(pk=entry.pk)
    _check(by, locked.article)
    if locked.is_removed:
        raise ValidationError("This entry was removed.")
    if photo is not None:
        locked.photo = photo or ""
    if photo_alt is not None:
        locked.photo_alt = photo_alt.strip()
    if photo_caption is not None:
        locked.photo_caption = photo_caption.strip()
    body, key_title = _clean_fields(
        body, is_key_event, key_title, has_photo=bool(locked.photo)
    )
    _check_photo(locked.photo, locked.photo_alt)
    _announce(locked.article)
    link_embedded_posts(body)
    for target in (entry, locked):
        target.body, target.is_key_event = body, is_key_event
        target.key_title, target.is_pinned = key_title, is_pinned
        target.updated_at = timezone.now()
    fields = ["body", "is_key_event", "key_title", "is_pinned", "updated_at"]
    fields += ["photo", "photo_alt", "photo_caption", "photo_width", "photo_height"]
    if photo is not None:
        fields.append("photo_renditions")
    _audit(locked, by=by, comment="Edited", fields=fields)
    entry.photo, entry.photo_alt = locked.photo, locked.photo_alt
    entry.photo_caption, entry.photo_renditions = (
        locked.photo_caption,
        locked.photo_renditions,
    )
    if is_pinned:
        _unpin_others(locked)
    _changed(locked.article, locked)
    return entry


@transaction.atomic
def remove_live_entry(*, entry: LiveEntry, by: User) -> LiveEntry:
    """Take an entry off the story; readers' open pages drop it too."""
    locked = LiveEntry.objects.select_for_update().get(pk=entry.pk)
    _check(by, locked.article)
    if locked.is_removed:
        return entry
    _announce(locked.article)
    now = timezone.now()
    for target in (entry, locked):
        target.deleted_at, target.updated_at, target.is_pinned = now, now, False
    _audit(
        locked,
        by=by,
        comment="Removed",
        fields=["deleted_at", "updated_at", "is_pinned"],
    )
    _changed(locked.article, locked)
    return entry
