"""The one path to an event's new time or status: checked, atomic and recorded.

Admin forms and actions, the release form and the demo loader call these; nothing
else sets ``Event.status``, ``starts_at`` of a saved event, or ``sequence``. Each
change leaves an ``EventChange`` (who, when, old and new, the source) and sends
``event_changed`` inside the same transaction, so stories tied to the event can
follow (articles.event_stories).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from artists.models import Artist
from core import pagecache
from core.dates import validate_plausible_date
from discography.events import (
    DEFAULT_TIME_ZONE,
    Event,
    EventChange,
    event_changed,
    validate_time_zone,
)
from discography.models import Release

User = AbstractBaseUser | AnonymousUser
Status = Event.Status

ADD_PERMISSION = "discography.add_event"
CHANGE_PERMISSION = "discography.change_event"


def _check_time(value: datetime.datetime | None, field: str) -> None:
    if value is None:
        return
    if timezone.is_naive(value):
        raise ValidationError({field: "The time needs a time zone."})
    validate_plausible_date(value)


def _who(by: User | None):
    return by if by is not None and by.is_authenticated else None


def _record(
    *,
    event: Event,
    by: User | None,
    old_status: str,
    old_starts_at: datetime.datetime | None,
    source_url: str = "",
    note: str = "",
) -> EventChange:
    change = EventChange.objects.create(
        event=event,
        by=_who(by),
        old_status=old_status,
        new_status=event.status,
        old_starts_at=old_starts_at,
        new_starts_at=event.starts_at,
        source_url=source_url.strip(),
        note=note.strip()[:300],
    )
    pagecache.content_changed(event)
    # Inside the transaction: stories follow the event, or neither changes.
    event_changed.send(sender=Event, event=event, change=change)
    return change


@transaction.atomic
def create_event(
    *,
    by: User | None,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    time_zone: str = "Asia/Seoul",
    ends_at: datetime.datetime | None = None,
    place: str = "",
    artists: Iterable[Artist] = (),
    release: Release | None = None,
    status: str = Status.ANNOUNCED,
    source_url: str = "",
    is_demo: bool = False,
) -> Event:
    """Put an event on the calendar; its first history row says who and from where."""
    if by is not None and not by.has_perm(ADD_PERMISSION):
        raise PermissionDenied("Only editors can add events.")
    _check_time(starts_at, "starts_at")
    _check_time(ends_at, "ends_at")
    validate_time_zone(time_zone)
    if not title.strip():
        raise ValidationError({"title": "An event needs a title."})
    event = Event(
        kind=kind,
        title=title,
        starts_at=starts_at,
        time_zone=time_zone,
        ends_at=ends_at,
        place=place,
        release=release,
        status=status,
        source_url=source_url,
        is_demo=is_demo,
    )
    event.full_clean(exclude=["artists"])
    event.save()
    event.artists.set(artists)
    _record(
        event=event,
        by=by,
        old_status="",
        old_starts_at=None,
        source_url=source_url,
        note="Added to the calendar.",
    )
    return event


def _lock(event: Event) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk)
    event.status, event.starts_at, event.ends_at = (
        locked.status,
        locked.starts_at,
        locked.ends_at,
    )
    event.sequence = locked.sequence
    return locked


def _apply(event: Event, **fields) -> None:
    fields["sequence"] = event.sequence + 1
    for name, value in fields.items():
        setattr(event, name, value)
    event.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def move_event(
    *,
    event: Event,
    by: User | None,
    starts_at: datetime.datetime,
    source_url: str,
    ends_at: datetime.datetime | None = None,
    status: str | None = None,
    note: str = "",
) -> EventChange:
    """Move an event to a new time ("delayed to …"); later is a delay by default.

    A kept duration follows the start when no new end is given.
    """
    if by is not None and not by.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("Only editors can move events.")
    _check_time(starts_at, "starts_at")
    _check_time(ends_at, "ends_at")
    locked = _lock(event)
    if locked.status in (Status.CANCELLED, Status.HAPPENED):
        raise ValidationError(
            f"A {locked.get_status_display().lower()} event cannot be moved."
        )
    old_status, old_starts_at = locked.status, locked.starts_at
    if ends_at is None and locked.ends_at is not None:
        ends_at = starts_at + (locked.ends_at - locked.starts_at)
    if ends_at is not None and ends_at < starts_at:
        raise ValidationError({"ends_at": "An event cannot end before it starts."})
    if status is None:
        status = Status.DELAYED if starts_at > old_starts_at else locked.status
    _apply(event, starts_at=starts_at, ends_at=ends_at, status=status)
    return _record(
        event=event,
        by=by,
        old_status=old_status,
        old_starts_at=old_starts_at,
        source_url=source_url,
        note=note,
    )


@transaction.atomic
def set_event_status(
    *, event: Event, by: User | None, status: str, source_url: str, note: str = ""
) -> EventChange:
    """Confirm, cancel or mark an event as happened, keeping its time."""
    if by is not None and not by.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("Only editors can change an event's status.")
    if status not in Status.values:
        raise ValidationError({"status": "Choose a status from the list."})
    locked = _lock(event)
    if locked.status == status:
        raise ValidationError(f"The event is already {locked.get_status_display()}.")
    if locked.status == Status.CANCELLED:
        raise ValidationError("A cancelled event stays cancelled; add a new one.")
    old_status = locked.status
    _apply(event, status=status)
    return _record(
        event=event,
        by=by,
        old_status=old_status,
        old_starts_at=event.starts_at,
        source_url=source_url,
        note=note,
    )


def cancel_event(
    *, event: Event, by: User | None, source_url: str, note: str = ""
) -> EventChange:
    """Call an event off; it stays on the calendar (and in feeds) as cancelled."""
    return set_event_status(
        event=event, by=by, status=Status.CANCELLED, source_url=source_url, note=note
    )


@transaction.atomic
def sync_release_drop(
    *, release: Release, by: User | None, source_url: str = ""
) -> Event | None:
    """Make the release's date and hour its drop event, or move the event to them.

    Called after the release form saves; the release's credited artists take part.
    Without a date and an hour there is nothing to put on the calendar.
    """
    drops_at = release.drops_at
    if drops_at is None:
        return None
    event = Event.objects.filter(release=release, kind=Event.Kind.RELEASE).first()
    artists = list(Artist.objects.filter(release_credits__release=release))
    if event is None:
        return create_event(
            by=by,
            kind=Event.Kind.RELEASE,
            title=f"{release.title} release",
            starts_at=drops_at,
            time_zone=release.release_time_zone or DEFAULT_TIME_ZONE,
            artists=artists,
            release=release,
            status=Status.CONFIRMED,
            source_url=source_url,
        )
    event.artists.set(artists)
    zone_name = release.release_time_zone or DEFAULT_TIME_ZONE
    if event.time_zone != zone_name:
        event.time_zone = zone_name
        event.save(update_fields=["time_zone", "updated_at"])
    if event.starts_at != drops_at and event.status not in (
        Status.CANCELLED,
        Status.HAPPENED,
    ):
        move_event(
            event=event,
            by=by,
            starts_at=drops_at,
            source_url=source_url,
            note="The release's date or hour changed.",
        )
    return event
