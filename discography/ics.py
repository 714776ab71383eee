"""The calendar as ICS feeds (RFC 5545) that calendar apps subscribe to.

Built with the ``icalendar`` library. Each event keeps one UID for life, so a
delay updates the entry in the reader's app instead of adding a second one; its
SEQUENCE is the number of changes of time or status, and a cancelled event stays
in the feed with STATUS:CANCELLED so apps remove it. Times are written in UTC, which
every app reads; the announced zone is named in the description.

ETag and Last-Modified come from one aggregate query, so an app polling an unchanged
feed gets a 304 without the events being read.
"""

from __future__ import annotations

import datetime
import hashlib

import icalendar
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from artists.models import Artist
from discography.calendar_views import announced_time
from discography.events import Event

CONTENT_TYPE = "text/calendar; charset=utf-8"
# How far back a feed reaches: recent events stay for apps that sync weekly.
FEED_PAST_DAYS = 30
FEED_LIMIT = 250
ICS_STATUSES = {
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.RUMOURED: "TENTATIVE",
    Event.Status.ANNOUNCED: "CONFIRMED",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.DELAYED: "CONFIRMED",
    Event.Status.HAPPENED: "CONFIRMED",
}


def feed_events(artist_slug: str | None = None):
    """What a feed lists: public events from a month ago on, soonest first."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    events = Event.objects.upcoming(since=since)
    if artist_slug is not None:
        events = events.filter(artists__slug=artist_slug)
    return events


def _state(request: HttpRequest, slug: str | None = None) -> dict:
    # One query: the newest change and the count (a deletion changes the count),
    # kept on the request, since the ETag and Last-Modified both ask.
    state = getattr(request, "_calendar_feed_state", None)
    if state is None:
        state = feed_events(slug).aggregate(latest=Max("updated_at"), count=Count("pk"))
        request._calendar_feed_state = state
    return state


def feed_etag(request: HttpRequest, slug: str | None = None) -> str:
    state = _state(request, slug)
    stamp = state["latest"].isoformat() if state["latest"] else "-"
    raw = f"{slug or '*'}|{state['count']}|{stamp}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def feed_last_modified(
    request: HttpRequest, slug: str | None = None
) -> datetime.datetime | None:
    return _state(request, slug)["latest"]


def uid(event: Event, host: str) -> str:
    """Stable for the event's life: its id and the site's host."""
    return f"event-{event.pk}@{host}"


def build_calendar(events, *, request: HttpRequest, name: str) -> bytes:
    """The events as one VCALENDAR (uses the prefetched artists)."""
    host = request.get_host().split(":")[0] or "newsroom"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Newsroom//Comeback calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        item = icalendar.Event()
        item.add("uid", uid(event, host))
        item.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
        item.add("last-modified", event.updated_at.astimezone(datetime.UTC))
        item.add("created", event.created_at.astimezone(datetime.UTC))
        item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        if event.ends_at:
            item.add("dtend", event.ends_at.astimezone(datetime.UTC))
        item.add("summary", event.title)
        item.add("sequence", event.sequence)
        item.add("status", ICS_STATUSES[Event.Status(event.status)])
        item.add("categories", [event.get_kind_display()])
        artists = ", ".join(artist.name for artist in event.performers)
        lines = [
            f"{event.get_kind_display()}, announced for "
            f"{announced_time(event.local_starts_at)} ({event.time_zone})."
        ]
        if artists:
            lines.append(f"With {artists}.")
        if event.status == Event.Status.DELAYED:
            lines.append("Delayed from an earlier date.")
        item.add("description", "\n".join(lines))
        if event.place:
            item.add("location", event.place)
        item.add("url", request.build_absolute_uri(event.get_absolute_url()))
        cal.add_component(item)
    return cal.to_ical()


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@condition(etag_func=feed_etag, last_modified_func=feed_last_modified)
def calendar_ics(request: HttpRequest) -> HttpResponse:
    events = feed_events().for_listing()[:FEED_LIMIT]
    body = build_calendar(events, request=request, name="Comeback calendar")
    return _response(body, "calendar.ics")


@require_safe
@condition(etag_func=feed_etag, last_modified_func=feed_last_modified)
def artist_calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    artist = get_object_or_404(Artist.objects.only("id", "name", "slug"), slug=slug)
    events = feed_events(slug).for_listing()[:FEED_LIMIT]
    body = build_calendar(events, request=request, name=f"{artist.name}: calendar")
    return _response(body, f"{artist.slug}.ics")
