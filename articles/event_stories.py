"""Stories that move with the calendar (issue 22).

A story can be about a calendar event (``Article.event``). With "publish when it
happens" (``is_published_with_event``), publishing it schedules it at the event's
time. When the event moves or is called off (``discography.events.event_changed``):

- a story still waiting for its time moves with the event (or, for a cancelled
  event, leaves the schedule and goes back to draft), recorded on the story's
  workflow history;
- a published story gets a dated update note, kept like any correction, and its
  cached pages refresh;
- either way the editors find a line on their desk (``EventNotice``).

The calendar app knows nothing of stories: this module connects to its signal and
registers the lookup that lists the stories about each event (``apps.ready``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from articles.models import Article, Correction, EventNotice, Transition
from core import pagecache
from discography.events import Event, EventChange

Status = Article.Status
# How long a desk notice stays on the desk.
NOTICE_DAYS = 14
NOTICE_LIMIT = 8


def stories_by_event(event_ids: Iterable[int]) -> dict[int, list[Article]]:
    """Published stories about the events, newest first (one query)."""
    found: dict[int, list[Article]] = {}
    stories = (
        Article.objects.published()
        .filter(event_id__in=list(event_ids))
        .only("id", "headline", "slug", "event_id", "published_at")
        .order_by("-published_at", "-pk")
    )
    for story in stories:
        found.setdefault(story.event_id, []).append(story)
    return found


def event_time(article: Article) -> datetime.datetime | None:
    """When a "publish when it happens" story goes live: its event's start, if the
    event is still ahead; else None (publish as usual)."""
    if not article.is_published_with_event or article.event_id is None:
        return None
    starts_at = (
        Event.objects.filter(pk=article.event_id)
        .exclude(status=Event.Status.CANCELLED)
        .values_list("starts_at", flat=True)
        .first()
    )
    return starts_at if starts_at and starts_at > timezone.now() else None


def _when(event: Event) -> str:
    moment = event.local_starts_at
    return f"{moment:%a} {moment.day} {moment:%B %Y, %H:%M} {moment.tzname()}"


def update_note(event: Event, change: EventChange) -> str | None:
    """The line under a published story, or None when readers need none."""
    if event.status == Event.Status.CANCELLED:
        return f"{event.title} was cancelled."
    if change.is_move:
        return f"{event.title} was moved to {_when(event)}."
    return None


def _notice(article: Article, event: Event, message: str) -> None:
    EventNotice.objects.create(article=article, event=event, message=message[:400])


def _follow_schedule(article: Article, event: Event, change: EventChange) -> None:
    """Move a waiting story with its event, or take it off a cancelled one's schedule."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if event.status == Event.Status.CANCELLED:
        locked.status, locked.published_at = Status.DRAFT, None
        note = f"{event.title} was cancelled: the story left the schedule."
        fields = ["status", "published_at"]
    elif change.is_move and event.starts_at > timezone.now():
        locked.published_at = event.starts_at
        note = f"Moved with {event.title} to {_when(event)}."
        fields = ["published_at"]
    else:
        return
    locked.save(update_fields=fields)
    Transition.objects.create(
        article=locked,
        from_status=Status.PUBLISHED,
        to_status=locked.status,
        by=change.by,
        note=note,
        scheduled_for=locked.published_at,
    )
    _notice(locked, event, f"{locked.headline}: {note}")


def _note_live_story(article: Article, event: Event, change: EventChange) -> None:
    note = update_note(event, change)
    if note is None:
        return
    Correction.objects.create(
        article=article,
        kind=Correction.Kind.UPDATE,
        note=note,
        noted_at=change.changed_at,
    )
    pagecache.content_changed(article)
    _notice(article, event, f"{article.headline}: added “{note}”")


@transaction.atomic
def follow_event(*, event: Event, change: EventChange) -> int:
    """Bring every story about ``event`` in line with its change; how many moved."""
    if not (change.is_move or event.status == Event.Status.CANCELLED):
        return 0
    now = timezone.now()
    stories = list(
        Article.objects.filter(event=event, status=Status.PUBLISHED).exclude(
            published_at__isnull=True
        )
    )
    for story in stories:
        if story.published_at > now:
            if story.is_published_with_event:
                _follow_schedule(story, event, change)
            else:
                _notice(
                    story,
                    event,
                    f"{story.headline}: its event changed ({update_note(event, change)}"
                    "); the story keeps its own time.",
                )
        else:
            _note_live_story(story, event, change)
    return len(stories)


def on_event_changed(sender, *, event: Event, change: EventChange, **kwargs) -> None:
    """Receiver of ``discography.events.event_changed`` (connected in apps.ready)."""
    follow_event(event=event, change=change)


def desk_notices() -> list[EventNotice]:
    """The latest notices for the editors' desk (one query)."""
    since = timezone.now() - datetime.timedelta(days=NOTICE_DAYS)
    return list(
        EventNotice.objects.filter(created_at__gte=since).select_related("article")[
            :NOTICE_LIMIT
        ]
    )
