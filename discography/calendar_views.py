"""The comeback calendar for readers: upcoming events by week, and what its rows show.

Each row prints the time as it was announced ("Thu 10 Dec, 18:00 KST") and, in a
``<time datetime>`` in UTC, the same moment for the reader's own clock, which the
site script (``static/js/site.js``) writes out in the reader's zone. Without the
script the row still reads: announced time, zone, and UTC.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from artists.models import Artist
from core.urlcache import url_of
from discography.calendar_filter import artist_choices, artist_options
from discography.events import Event, listed, stories_about
from discography.jsonld import events_jsonld

# A page shows this many events; "Later events" continues after the last one.
EVENTS_PER_PAGE = 40
# The kinds' labels, looked up once (``get_kind_display()`` rebuilds its choices per
# call).
KIND_LABELS = dict(Event.Kind.choices)
# Badges readers see; announced and confirmed events need none.
STATUS_BADGES = {
    Event.Status.DELAYED: "Delayed",
    Event.Status.CANCELLED: "Cancelled",
    Event.Status.HAPPENED: "Happened",
    Event.Status.CONFIRMED: "Confirmed",
}


def announced_time(moment: datetime.datetime) -> str:
    """ "Thu 10 Dec 2026, 18:00 KST": a time as printed in its own zone."""
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} {moment.tzname()}"


def utc_time(moment: datetime.datetime) -> str:
    """ "09:00 UTC" for the row's fallback, with the day when it differs."""
    utc = moment.astimezone(datetime.UTC)
    return f"{utc:%a} {utc.day} {utc:%b, %H:%M} UTC"


def iso_utc(moment: datetime.datetime) -> str:
    """The machine-readable moment for ``<time datetime>`` (whole seconds, UTC)."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def week_start(moment: datetime.datetime) -> datetime.date:
    """Monday of the moment's week, in the site's time zone."""
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


def week_label(first_day: datetime.date, this_week: datetime.date) -> str:
    if first_day == this_week:
        return "This week"
    if first_day == this_week + datetime.timedelta(days=7):
        return "Next week"
    return f"Week of {first_day.day} {first_day:%B %Y}"


@dataclass
class Week:
    first_day: datetime.date
    label: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def calendar_rows(events: list[Event]) -> list[dict[str, Any]]:
    """What each row prints, with the stories about each event (one query).

    The events come from ``listed()`` (their artists carried); each start is turned
    into its announced zone once and every string is made from that. An artist on
    several rows has its address made once.
    """
    stories = stories_about(events)
    hrefs: dict[int, str | None] = {}
    rows = []
    for event in events:
        zone = event.zone
        local = event.starts_at.astimezone(zone)
        utc = event.starts_at.astimezone(datetime.UTC)  # stored in UTC: cheap
        artist_links = []
        for artist in event.performers:
            if artist.pk not in hrefs:
                hrefs[artist.pk] = url_of(artist)
            artist_links.append((hrefs[artist.pk], artist.name))
        rows.append(
            {
                "event": event,
                "kind": KIND_LABELS.get(event.kind, event.kind),
                "announced": announced_time(local),
                "utc": utc_time(utc),
                "iso": iso_utc(utc),
                "ends": announced_time(event.ends_at.astimezone(zone))
                if event.ends_at
                else "",
                "badge": STATUS_BADGES.get(event.status, ""),
                "artists": event.performers,
                # (address or None, name): the template's ``link`` filter takes both.
                "artist_links": artist_links,
                "stories": stories.get(event.pk, []),
            }
        )
    return rows


def by_week(rows: list[dict[str, Any]], *, now: datetime.datetime) -> list[Week]:
    """Rows grouped by week (Monday first, site time), in order."""
    this_week = week_start(now)
    site_zone = timezone.get_current_timezone()
    weeks: list[Week] = []
    for row in rows:
        day = row["event"].starts_at.astimezone(site_zone).date()
        first_day = day - datetime.timedelta(days=day.weekday())
        if not weeks or weeks[-1].first_day != first_day:
            weeks.append(Week(first_day, week_label(first_day, this_week)))
        weeks[-1].rows.append(row)
    return weeks


def _after(events, value: str | None):
    """Continue after the event ``value`` (an id), keyset style: constant cost."""
    if not value or not value.isdigit() or len(value) > 18:
        return events
    last = Event.objects.filter(pk=int(value)).values_list("starts_at", flat=True)
    starts_at = last.first()
    if starts_at is None:
        return events
    return events.filter(starts_at__gte=starts_at).exclude(
        starts_at=starts_at, pk__lte=int(value)
    )


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    since = timezone.make_aware(
        datetime.datetime.combine(week_start(now), datetime.time())
    )
    events = Event.objects.upcoming(since=since)
    artist = None
    artist_slug = request.GET.get("artist", "")
    if artist_slug:
        artist = Artist.objects.filter(slug=artist_slug[:200]).first()
        events = events.for_artist(artist) if artist else events.none()
    kind = request.GET.get("kind", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    else:
        kind = ""
    events = _after(events, request.GET.get("after"))
    page = listed(events.for_rows()[: EVENTS_PER_PAGE + 1])
    has_more = len(page) > EVENTS_PER_PAGE
    page = page[:EVENTS_PER_PAGE]
    rows = calendar_rows(page)
    choices, options = artist_choices(since)
    query = request.GET.copy()
    query.pop("after", None)
    if has_more:
        query["after"] = str(page[-1].pk)
    return render(
        request,
        "discography/calendar.html",
        {
            "weeks": by_week(rows, now=now),
            "artist": artist,
            "artist_slug": artist_slug,
            "artist_choices": choices,
            "artist_options": artist_options(options, artist_slug),
            "kind": kind,
            "kinds": Event.Kind.choices,
            "next_query": query.urlencode() if has_more else "",
            "is_filtered": bool(artist_slug or kind),
            "jsonld": events_jsonld(page, request=request),
        },
    )
