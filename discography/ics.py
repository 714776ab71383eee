"""The calendar as ICS feeds (RFC 5545) that calendar apps subscribe to.

Built with the ``icalendar`` library (discography.ics_feed). Each event keeps one UID for life, so a
delay updates the entry in the reader's app instead of adding a second one; its
SEQUENCE is the number of changes of time or status, and a cancelled event stays
in the feed with STATUS:CANCELLED so apps remove it. Times are written in UTC, which
every app reads; the announced zone is named in the description.

A feed holds every public event from ``FEED_PAST_DAYS`` ago on: all that is coming,
and the recent past for apps that sync weekly.

ETag and Last-Modified come from one aggregate query, so an app polling an unchanged
feed gets a 304 without the events being read.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import condition, require_safe

from artists.models import Artist
from discography.events import Event, listed

CONTENT_TYPE = "text/calendar; charset=utf-8"
# How far back a feed reaches: recent events stay for apps that sync weekly or
# monthly, and a cancelled one stays long enough for every app to remove it.
FEED_PAST_DAYS = 90
# Not a page size: a guard against a runaway table. Every public event from
# FEED_PAST_DAYS ago on is in the feed well below it (a busy year is some thousands).
FEED_LIMIT = 10_000


def feed_events(artist_slug: str | None = None):
    """What a feed lists: public events from ``FEED_PAST_DAYS`` ago on, soonest
    first."""
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


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@condition(etag_func=feed_etag, last_modified_func=feed_last_modified)
def calendar_ics(request: HttpRequest) -> HttpResponse:
    from discography import ics_feed  # icalendar loads with the first feed

    events = listed(feed_events().for_rows(release=False)[:FEED_LIMIT])
    body = ics_feed.build_calendar(events, request=request, name="Comeback calendar")
    return _response(body, "calendar.ics")


@require_safe
@condition(etag_func=feed_etag, last_modified_func=feed_last_modified)
def artist_calendar_ics(request: HttpRequest, slug: str) -> HttpResponse:
    artist = get_object_or_404(Artist.objects.only("id", "name", "slug"), slug=slug)
    from discography import ics_feed  # icalendar loads with the first feed

    events = listed(feed_events(slug).for_rows(release=False)[:FEED_LIMIT])
    body = ics_feed.build_calendar(
        events, request=request, name=f"{artist.name}: calendar"
    )
    return _response(body, f"{artist.slug}.ics")
