"""Building an ICS feed (RFC 5545) with the ``icalendar`` library.

Kept apart from the views (discography.ics) so that the library, some 7 MB of
modules, is loaded by a worker's first feed rather than by every worker at start.
Building a thousand entries takes tens of milliseconds: properties are set as
icalendar's own value types (not through ``Component.add()``, which infers a type
and checks time zones per value), the values shared between entries are made once
per feed, and the lines are written by ``_ical()``, which skips icalendar's per-line
generic path for the lines that have no parameters and need no folding (the same
bytes as ``to_ical()``; a test compares).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

import icalendar
from django.http import HttpRequest
from icalendar.parser.content_line import Contentline

from core.urlcache import cached_reverse
from discography.calendar_views import announced_time
from discography.events import Event

# RFC 5545 3.1: lines longer than 75 octets are folded; shorter ones pass as they are.
FOLD_OCTETS = 75
ICS_STATUSES = {
    Event.Status.CANCELLED: "CANCELLED",
    Event.Status.RUMOURED: "TENTATIVE",
    Event.Status.ANNOUNCED: "CONFIRMED",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.DELAYED: "CONFIRMED",
    Event.Status.HAPPENED: "CONFIRMED",
}


def uid(event: Event, host: str) -> str:
    """Stable for the event's life: its id and the site's host."""
    return f"event-{event.pk}@{host}"


def _utc(moment: datetime.datetime) -> icalendar.vDatetime:
    # A UTC time is written with "Z" and needs no TZID (nor a VTIMEZONE).
    return icalendar.vDatetime(moment.astimezone(datetime.UTC))


def build_calendar(
    events: Iterable[Event], *, request: HttpRequest, name: str
) -> bytes:
    """The events as one VCALENDAR, written out (their artists from ``listed()``,
    else a query each)."""
    return _ical(calendar_component(events, request=request, name=name))


def calendar_component(
    events: Iterable[Event], *, request: HttpRequest, name: str
) -> icalendar.Calendar:
    """The events as one icalendar ``Calendar``."""
    host = request.get_host().split(":")[0] or "newsroom"
    # Every entry links to its row on the calendar page: the address made once.
    calendar_url = request.build_absolute_uri(cached_reverse("discography:calendar"))
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Newsroom//Comeback calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # Values many entries share, made once (icalendar's values are not changed once
    # set, so one object can stand in many entries).
    statuses = {key: icalendar.vText(value) for key, value in ICS_STATUSES.items()}
    kinds = {
        key: (label, icalendar.vCategory([label])) for key, label in Event.Kind.choices
    }
    for event in events:
        item = icalendar.Event()
        stamp = _utc(event.updated_at)
        kind, category = kinds.get(event.kind) or (
            event.get_kind_display(),
            icalendar.vCategory([event.get_kind_display()]),
        )
        item["UID"] = icalendar.vText(uid(event, host))
        item["DTSTAMP"] = stamp
        item["LAST-MODIFIED"] = stamp
        item["CREATED"] = _utc(event.created_at)
        item["DTSTART"] = _utc(event.starts_at)
        if event.ends_at:
            item["DTEND"] = _utc(event.ends_at)
        item["SUMMARY"] = icalendar.vText(event.title)
        item["SEQUENCE"] = icalendar.vInt(event.sequence)
        item["STATUS"] = statuses[event.status]
        item["CATEGORIES"] = category
        lines = [
            f"{kind}, announced for "
            f"{announced_time(event.local_starts_at)} ({event.time_zone})."
        ]
        artists = ", ".join(artist.name for artist in event.performers)
        if artists:
            lines.append(f"With {artists}.")
        if event.status == Event.Status.DELAYED:
            lines.append("Delayed from an earlier date.")
        item["DESCRIPTION"] = icalendar.vText("\n".join(lines))
        if event.place:
            item["LOCATION"] = icalendar.vText(event.place)
        item["URL"] = icalendar.vUri(f"{calendar_url}#event-{event.pk}")
        cal.add_component(item)
    return cal


def _lines(component: icalendar.cal.Component) -> Iterator[bytes]:
    for name, value in component.property_items():
        params = getattr(value, "params", None)
        if params:
            # Parameters (a TZID, a language): icalendar's own path.
            line = Contentline.from_parts(name, params, value)
        else:
            raw = value if isinstance(value, bytes) else value.to_ical()
            line = name + ":" + (raw.decode() if isinstance(raw, bytes) else raw)
        yield _folded(line)


def _folded(line: str) -> bytes:
    """The line as icalendar's ``Contentline.to_ical()`` writes it, which folds
    character by character (a fifth of a feed's cost); a short line needs no
    folding, and an ASCII one is cut in slices by the same rule."""
    data = line.encode()
    if len(data) < FOLD_OCTETS:
        return data
    if len(data) != len(line):  # not ASCII: icalendar never splits a character
        return Contentline(line).to_ical()
    # 74 octets a line; one less when the last is a backslash or a caret, which
    # icalendar keeps with the character it escapes.
    parts, start = [], 0
    while len(line) - start >= FOLD_OCTETS:
        end = start + FOLD_OCTETS - 1
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts).encode()


def _ical(component: icalendar.cal.Component) -> bytes:
    """``component.to_ical()``, byte for byte, at a third of the cost: the values
    are written by icalendar's types and the long lines folded by it."""
    return b"\r\n".join(_lines(component)) + b"\r\n"
