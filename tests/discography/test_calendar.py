"""The reader calendar, an artist's "Coming up", a release's drop, and the ICS feeds."""

import datetime
import json
import re
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discography import calendar_views, event_services
from discography.ics_feed import build_calendar
from discography.models import Event
from tests.articles.factories import editor
from tests.artists.factories import ArtistFactory
from tests.discography.factories import EventFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
SOURCE = "https://example.com/notice"


def soon(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.now().astimezone(SEOUL).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), SEOUL)


def jsonld_blocks(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


def test_calendar_lists_upcoming_events_by_week_with_announced_and_utc_time(client):
    iu = ArtistFactory(name="IU", slug="iu")
    release = ReleaseFactory(title="The Winning", artists=[iu])
    EventFactory(
        title="The Winning release",
        kind=Event.Kind.RELEASE,
        starts_at=soon(1),
        artists=[iu],
        release=release,
    )
    EventFactory(title="Far away <b>tour</b>", starts_at=soon(40))
    EventFactory(title="Only a rumour", status=Event.Status.RUMOURED)
    EventFactory(title="Long gone", starts_at=soon(-30))
    response = client.get("/calendar/")
    assert response.status_code == 200
    html = response.text
    assert "The Winning release" in html and "Only a rumour" not in html
    assert "Long gone" not in html
    assert "Far away &lt;b&gt;tour&lt;/b&gt;" in html
    assert "18:00 KST" in html
    utc = soon(1).astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    assert f'<time datetime="{utc}" data-local-time>' in html
    assert 'href="/artists/iu/"' in html and 'href="/albums/' in html
    weeks = response.context["weeks"]
    assert weeks[0].label in ("This week", "Next week")
    assert [w.first_day for w in weeks] == sorted(w.first_day for w in weeks)
    assert "js/site" in html and "<script>" not in html  # CSP: no inline script
    graph = jsonld_blocks(html)[0]["@graph"]
    drop = next(item for item in graph if item["name"] == "The Winning release")
    assert drop["@type"] == "Event" and drop["startDate"].endswith("+09:00")
    assert drop["performer"][0]["name"] == "IU"


def test_calendar_filters_by_artist_and_kind_and_shows_badges(client):
    iu = ArtistFactory(name="IU", slug="iu")
    shown = EventFactory(
        title="IU concert", kind=Event.Kind.CONCERT, artists=[iu], starts_at=soon(2)
    )
    EventFactory(title="IU showcase", kind=Event.Kind.SHOWCASE, artists=[iu])
    EventFactory(title="Someone else", kind=Event.Kind.CONCERT)
    event_services.cancel_event(event=shown, by=None, source_url=SOURCE)
    response = client.get("/calendar/?artist=iu&kind=concert")
    html = response.text
    assert "IU concert" in html
    assert "IU showcase" not in html and "Someone else" not in html
    assert 'event-badge--cancelled">Cancelled<' in html
    graph = jsonld_blocks(html)[0]["@graph"]
    assert graph[0]["@type"] == "MusicEvent"
    assert graph[0]["eventStatus"] == "https://schema.org/EventCancelled"
    for hostile in ("?artist=<x>", "?kind=evil", "?after=abc", "?after=9" * 30):
        assert client.get("/calendar/" + hostile).status_code == 200


def test_calendar_query_count_does_not_grow_with_events(client):
    def add(count: int) -> None:
        for n in range(count):
            artist = ArtistFactory()
            EventFactory(
                artists=[artist, ArtistFactory()],
                release=ReleaseFactory(artists=[artist]),
                starts_at=soon(n % 20 + 1),
            )

    add(3)
    client.get("/calendar/")  # warm per-process caches before measuring
    with CaptureQueriesContext(connection) as few:
        client.get("/calendar/")
    add(12)
    client.get("/calendar/")  # the artist filter read again after the changes
    with CaptureQueriesContext(connection) as many:
        response = client.get("/calendar/")
    assert len(many) == len(few)
    assert sum(len(week.rows) for week in response.context["weeks"]) == 15


def test_later_events_continue_after_the_last_one_shown(client, monkeypatch):
    monkeypatch.setattr(calendar_views, "EVENTS_PER_PAGE", 2)
    if True:
        titles = [f"Event {n}" for n in range(5)]
        for title in titles:
            EventFactory(title=title, starts_at=soon(1))  # the same minute for all
        seen = []
        url = "/calendar/"
        while url:
            response = client.get(url)
            seen += [
                row["event"].title for w in response.context["weeks"] for row in w.rows
            ]
            url = (
                f"/calendar/?{response.context['next_query']}"
                if response.context["next_query"]
                else ""
            )
        assert seen == titles


def test_artist_page_shows_coming_up_with_event_jsonld(client):
    iu = ArtistFactory(name="IU", slug="iu")
    EventFactory(title="IU fan meeting", kind=Event.Kind.FAN_MEETING, artists=[iu])
    EventFactory(title="Not IU", artists=[ArtistFactory()])
    html = client.get("/artists/iu/").text
    assert "Coming up" in html and "IU fan meeting" in html and "Not IU" not in html
    types = [
        item["@type"]
        for block in jsonld_blocks(html)
        for item in block.get("@graph", [])
    ]
    assert "MusicEvent" in types


def test_artist_page_without_events_shows_no_coming_up(client):
    ArtistFactory(name="IU", slug="iu")
    assert "Coming up" not in client.get("/artists/iu/").text


def test_release_page_shows_its_drop_and_where_it_moved_from(client):
    erin = editor(username="erin")
    iu = ArtistFactory(name="IU")
    release = ReleaseFactory(
        title="The Winning",
        released_on=datetime.date(2026, 5, 11),
        release_time=datetime.time(18, 0),
        artists=[iu],
    )
    event_services.sync_release_drop(release=release, by=erin)
    release.released_on = datetime.date(2026, 5, 18)
    release.save()
    event_services.sync_release_drop(release=release, by=erin)
    html = client.get(release.get_absolute_url()).text
    assert "Mon 18 May 2026, 18:00 KST" in html
    assert "Moved from 11 May 2026, 18:00 KST" in html
    assert 'event-badge--delayed">Delayed<' in html


# --- ICS ------------------------------------------------------------------------------


def parse(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_ics_keeps_the_uid_and_grows_the_sequence_across_a_delay(client):
    erin = editor(username="erin")
    event = EventFactory(title="아이유 showcase", starts_at=soon(3))
    [first] = parse(client.get("/calendar.ics"))
    assert first["SEQUENCE"] == 0 and first["STATUS"] == "CONFIRMED"
    assert first.decoded("DTSTART") == soon(3)
    assert first["DTSTAMP"] and str(first["SUMMARY"]) == "아이유 showcase"
    event_services.move_event(
        event=event, by=erin, starts_at=soon(10), source_url=SOURCE
    )
    [moved] = parse(client.get("/calendar.ics"))
    assert str(moved["UID"]) == str(first["UID"])
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == soon(10)
    event_services.cancel_event(event=event, by=erin, source_url=SOURCE)
    [cancelled] = parse(client.get("/calendar.ics"))
    assert cancelled["SEQUENCE"] == 2 and cancelled["STATUS"] == "CANCELLED"
    assert str(cancelled["UID"]) == str(first["UID"])


def test_ics_times_are_right_across_a_daylight_saving_change_elsewhere():
    # 18:00 in Seoul (no DST) on the day before and after London's clocks go back:
    # 10:00 London (BST) on 24 Oct 2026, 09:00 London (GMT) on 26 Oct 2026.
    london = zoneinfo.ZoneInfo("Europe/London")
    before = EventFactory(starts_at=datetime.datetime(2026, 10, 24, 18, tzinfo=SEOUL))
    after = EventFactory(starts_at=datetime.datetime(2026, 10, 26, 18, tzinfo=SEOUL))
    # Past events leave the feed after a month; read them through the builder.
    request = RequestFactory().get("/calendar.ics")
    events = Event.objects.filter(pk__in=[before.pk, after.pk]).for_listing()
    body = build_calendar(events, request=request, name="test")
    parsed = icalendar.Calendar.from_ical(body).walk("VEVENT")
    starts = [item.decoded("DTSTART").astimezone(london) for item in parsed]
    assert [(s.hour, s.tzname()) for s in starts] == [(10, "BST"), (9, "GMT")]


def test_ics_answers_304_to_an_app_polling_an_unchanged_feed(client):
    EventFactory()
    first = client.get("/calendar.ics")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get("/calendar.ics", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    )
    EventFactory()
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_artist_feed_lists_only_their_events_and_404s_for_nobody(client):
    iu = ArtistFactory(name="IU", slug="iu")
    EventFactory(title="IU concert", artists=[iu])
    EventFactory(title="Other concert", artists=[ArtistFactory()])
    items = parse(client.get("/artists/iu/calendar.ics"))
    assert [str(item["SUMMARY"]) for item in items] == ["IU concert"]
    assert client.get("/artists/nobody/calendar.ics").status_code == 404


def test_ics_costs_the_same_queries_for_few_and_many_events(
    client, django_assert_max_num_queries
):
    iu = ArtistFactory(name="IU", slug="iu")
    EventFactory(artists=[iu])
    # state (ETag and Last-Modified), events (+ release), their artists
    with django_assert_max_num_queries(3):
        client.get("/calendar.ics")
    for _ in range(8):
        EventFactory(artists=[iu, ArtistFactory()], release=ReleaseFactory())
    with django_assert_max_num_queries(3):
        assert len(parse(client.get("/calendar.ics"))) == 9
    with django_assert_max_num_queries(4):  # the artist, too
        assert len(parse(client.get("/artists/iu/calendar.ics"))) == 9
