"""What the reader pages' templates call for the calendar (registered into Jinja2 by
newsroom/jinja.py): an artist's "Coming up" and a release's drop with its history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from artists.models import Artist
from discography.calendar_views import (
    STATUS_BADGES,
    announced_time,
    calendar_rows,
    iso_utc,
    utc_time,
)
from discography.events import Event, EventChange, moved_from
from discography.jsonld import events_jsonld
from discography.models import Release

COMING_UP_LIMIT = 5


def coming_up(request: HttpRequest, artist: Artist) -> dict[str, Any]:
    """The artist page's next events with their schema.org data: two queries
    (events with their release joined and their artists carried, stories),
    whatever the count."""
    events = list(
        Event.objects.upcoming()
        .for_artist(artist)
        .for_rows()
        .with_performers()[:COMING_UP_LIMIT]
    )
    return {
        "artist": artist,
        "rows": calendar_rows(events),
        "jsonld": events_jsonld(events, request=request) if request else None,
    }


def release_drop(release: Release) -> dict[str, Any]:
    """The release page's drop time and where it was moved from, in one query: the
    drop's history rows with the event joined (the services give every event at
    least its first row)."""
    changes = list(
        EventChange.objects.filter(
            event__release=release, event__kind=Event.Kind.RELEASE
        )
        .exclude(event__status=Event.Status.RUMOURED)
        .select_related("event")
        .order_by("changed_at", "pk")
    )
    if not changes:
        return {"drop": None}
    event = changes[0].event
    local = event.local_starts_at
    return {
        "drop": {
            "event": event,
            "announced": announced_time(local),
            "utc": utc_time(local),
            "iso": iso_utc(local),
            "badge": STATUS_BADGES.get(event.status, ""),
            "moved_from": [
                f"{moment.day} {moment:%B %Y}, {moment:%H:%M} {moment.tzname()}"
                for moment in moved_from(event, changes)
            ],
        }
    }
