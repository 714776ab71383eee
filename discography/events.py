"""Releases and events in time: drops, showcases, stages, concerts, fan meetings.

An event keeps the time zone it was announced in ("18:00 KST"), so the calendar can
print the announcement as fans quote it and, next to it, the reader's own time.
Every change of time or status is kept (``EventChange``) with who made it and the
source that reported it; the ICS feeds count those changes as their SEQUENCE.

The models live here and are imported by ``discography.models`` (Django finds them
there); the write paths are in ``discography.event_services``.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Prefetch, Q
from django.dispatch import Signal
from django.utils import timezone

from artists.models import Artist, http_url
from core.dates import PlausibleDateTimeField
from core.rows import CarriedList
from core.urlcache import cached_reverse

__all__ = [
    "DEFAULT_TIME_ZONE",
    "Event",
    "EventChange",
    "event_changed",
    "listed",
    "moved_from",
    "register_story_lookup",
    "stories_about",
    "validate_time_zone",
]

DEFAULT_TIME_ZONE = "Asia/Seoul"

# Sent after an event's time or status changed (with ``event`` and ``change``), so
# that apps above this one (stories scheduled with it) follow without this app
# knowing them.
event_changed = Signal()


def validate_time_zone(value: str) -> None:
    """An IANA zone name such as Asia/Seoul or Europe/London."""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValidationError(
            "Enter a time zone name such as Asia/Seoul or Europe/London.",
            code="unknown_time_zone",
        ) from None


# --- stories about events (filled in by the articles app) -----------------------------

StoryLookup = Callable[[Iterable[int]], dict[int, list]]
_story_lookups: list[StoryLookup] = []


def register_story_lookup(lookup: StoryLookup) -> None:
    """Let an app above this one say which published stories cover which events.

    ``lookup(event_ids)`` answers ``{event_id: [story, ...]}`` in one query; a story
    needs ``headline`` and ``get_absolute_url()``.
    """
    if lookup not in _story_lookups:
        _story_lookups.append(lookup)


def stories_about(events: Iterable[Event]) -> dict[int, list]:
    """Published stories per event (one query per registered app, whatever the count)."""
    ids = [event.pk for event in events]
    found: dict[int, list] = {}
    if not ids:
        return found
    for lookup in _story_lookups:
        for event_id, stories in lookup(ids).items():
            found.setdefault(event_id, []).extend(stories)
    return found


# --- events ---------------------------------------------------------------------------


class EventQuerySet(models.QuerySet):
    def public(self) -> Self:
        """What readers see: rumours are the newsroom's to check, not to print."""
        return self.exclude(status=Event.Status.RUMOURED)

    def upcoming(self, *, since: datetime.datetime | None = None) -> Self:
        """Public events from ``since`` (now) on, soonest first."""
        since = timezone.now() if since is None else since
        return self.public().filter(starts_at__gte=since).order_by("starts_at", "pk")

    def for_artist(self, artist: Artist) -> Self:
        """Events the artist takes part in."""
        return self.filter(artists=artist)

    def for_listing(self) -> Self:
        """What a calendar row shows (artists, release), fetched up front: two
        queries for any number of events. The artists land in ``performer_list``, a
        plain list (a page of rows would otherwise build a related manager per ask)."""
        return self.select_related("release").prefetch_related(
            Prefetch(
                "artists",
                queryset=Artist.objects.only("id", "name", "slug", "kind"),
                to_attr="performer_list",
            )
        )

    def with_performers(self) -> Self:
        """The artists ride in the events' own query as a JSON list (read them with
        ``Event.performers``): one query less than ``listed()`` for a short list
        such as an artist's next five events."""
        return self.annotate(**CarriedList.annotations(Event, "carried_performers"))

    def for_rows(self, *, release: bool = True) -> Self:
        """What a reader row or a feed entry reads of an event and its release, in
        the events' own query: the rest (source, search text, the release's long
        fields) stays in the database. Use with ``listed()`` for the artists.

        ``release=False`` for the feeds, which do not name it: a thousand entries
        then build no thousand ``Release`` objects."""
        if not release:
            return self.only(*ROW_FIELDS)
        return self.select_related("release").only(
            *ROW_FIELDS, "release__title", "release__slug"
        )

    def with_history(self) -> Self:
        """Rows with their changes (the release page's "moved from 11 May")."""
        return self.prefetch_related(
            Prefetch(
                "changes", queryset=EventChange.objects.order_by("changed_at", "pk")
            )
        )


class Event(models.Model):
    """Something that happens at a time: a release drop, a showcase, a concert."""

    class Kind(models.TextChoices):
        RELEASE = "release", "Release drop"
        PRE_RELEASE = "pre_release", "Pre-release single"
        MUSIC_VIDEO = "music_video", "Music video premiere"
        SHOWCASE = "showcase", "Showcase"
        MUSIC_SHOW = "music_show", "Music-show stage"
        CONCERT = "concert", "Concert"
        FAN_MEETING = "fan_meeting", "Fan meeting"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        RUMOURED = "rumoured", "Rumoured"
        ANNOUNCED = "announced", "Announced"
        CONFIRMED = "confirmed", "Confirmed"
        DELAYED = "delayed", "Delayed"
        CANCELLED = "cancelled", "Cancelled"
        HAPPENED = "happened", "Happened"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    starts_at = PlausibleDateTimeField(help_text="In the time zone below.")
    time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text="The zone the time was announced in, for example Asia/Seoul.",
    )
    ends_at = PlausibleDateTimeField(null=True, blank=True)
    place = models.CharField(
        max_length=200, blank=True, help_text="Venue and city, or the channel."
    )
    artists = models.ManyToManyField(Artist, blank=True, related_name="events")
    release = models.ForeignKey(
        "discography.Release",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ANNOUNCED, editable=False
    )
    source_url = models.URLField(
        "source URL", max_length=500, blank=True, validators=[http_url]
    )
    # Grows with every change of time or status: the ICS SEQUENCE.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    updated_at = PlausibleDateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at", "id"], name="event_starts_idx"),
            models.Index(fields=["kind", "starts_at"], name="event_kind_starts_idx"),
            models.Index(fields=["status", "starts_at"], name="event_status_idx"),
            models.Index(fields=["updated_at"], name="event_updated_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["release"],
                condition=Q(kind="release"),
                name="one_drop_event_per_release",
                violation_error_message="This release already has its drop event.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message="An event cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = " ".join(self.title.split())
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{cached_reverse('discography:calendar')}#event-{self.pk}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "An event cannot end before it starts."})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    @property
    def local_starts_at(self) -> datetime.datetime:
        """The start as announced, in the announced zone."""
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime.datetime | None:
        return self.ends_at.astimezone(self.zone) if self.ends_at else None

    # The artists as ``with_performers()`` carries them (else one query).
    carried_performers = CarriedList(
        Artist,
        parent="events",
        fields=("id", "name", "slug", "kind", "sort_name"),
        order_by=("sort_name", "name", "id"),
    )

    @property
    def performers(self) -> list[Artist]:
        """The event's artists: ``listed()``'s or ``for_listing()``'s list, else
        those ``with_performers()`` carried (or one query)."""
        found = getattr(self, "performer_list", None)
        return found if found is not None else self.carried_performers

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def moved_from(self) -> list[datetime.datetime]:
        """Earlier announced starts, oldest first (uses ``with_history()``)."""
        return moved_from(self, self.changes.all())


# The event fields reader rows and feeds use (``for_rows()``).
ROW_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "time_zone",
    "ends_at",
    "place",
    "release",
    "status",
    "sequence",
    "is_demo",
    "created_at",
    "updated_at",
)


def listed(events: Iterable[Event]) -> list[Event]:
    """The events (a ``for_rows()`` queryset or a list) with their artists, in two
    queries whatever the count (on SQLite, one more per 999 events: its limit of
    query parameters).

    Does what ``for_listing()``'s prefetch does at a fraction of the cost on a page
    of forty rows or a feed of a thousand: one query over the link table with the
    artist's few fields joined, and one ``Artist`` per artist however many events
    they are in (an artist on twenty events is one object, not twenty).
    """
    events = list(events)
    if not events:
        return events
    db = events[0]._state.db
    ids = [event.pk for event in events]
    size = connections[db].features.max_query_params or len(ids)
    performers: dict[int, list[Artist]] = {}
    artists: dict[int, Artist] = {}
    fields = ["id", "name", "slug", "kind"]
    for start in range(0, len(ids), size):
        links = (
            Event.artists.through.objects.using(db)
            .filter(event_id__in=ids[start : start + size])
            .order_by("artist__sort_name", "artist__name", "artist_id")
            .values_list(
                "event_id", "artist_id", "artist__name", "artist__slug", "artist__kind"
            )
        )
        for event_id, artist_id, name, slug, kind in links:
            artist = artists.get(artist_id)
            if artist is None:
                artist = artists[artist_id] = Artist.from_db(
                    db, fields, (artist_id, name, slug, kind)
                )
            performers.setdefault(event_id, []).append(artist)
    for event in events:
        event.performer_list = performers.get(event.pk, [])
    return events


def moved_from(event: Event, changes: Iterable[EventChange]) -> list[datetime.datetime]:
    """The starts an event was moved from, oldest first, in its announced zone."""
    return [
        change.old_starts_at.astimezone(event.zone)
        for change in sorted(changes, key=lambda c: (c.changed_at, c.pk))
        if change.is_move
    ]


class EventChange(models.Model):
    """One change of an event's time or status: who, when, from what to what, and the
    source that reported it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    changed_at = PlausibleDateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_changes",
    )
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16)
    old_starts_at = PlausibleDateTimeField(null=True, blank=True)
    new_starts_at = PlausibleDateTimeField()
    source_url = models.URLField(
        "source URL", max_length=500, blank=True, validators=[http_url]
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["event", "changed_at"], name="eventchange_event_idx")
        ]

    def __str__(self) -> str:
        return f"{self.old_status or 'new'} → {self.new_status}"

    @property
    def is_move(self) -> bool:
        return bool(self.old_starts_at) and self.old_starts_at != self.new_starts_at
