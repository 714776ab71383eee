"""The calendar and its feeds at scale: the query count stays put as events grow, and
a feed carries every event (no page of 250), valid for calendar apps."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from discography import calendar_views, ics, ics_feed
from discography.events import listed
from discography.models import Event
from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory
from tests.discography.factories import EventFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

# A release has one drop event (a constraint): the bulk events are the other kinds.
KINDS = [kind for kind in Event.Kind.values if kind != Event.Kind.RELEASE]


def add_events(count: int, *, artists, releases, offset: int = 0) -> list[Event]:
    """``count`` upcoming events, in bulk: two artists each, every third with a
    release, some delayed or cancelled, spread over the coming month."""
    now = timezone.now().replace(microsecond=0)
    statuses = [Event.Status.ANNOUNCED, Event.Status.DELAYED, Event.Status.CANCELLED]
    events = Event.objects.bulk_create(
        Event(
            title=f"이벤트 {offset + n}: showcase, stage; encore",
            kind=KINDS[n % len(KINDS)],
            status=statuses[n % 3],
            starts_at=now + datetime.timedelta(hours=2 + (offset + n) * 5),
            ends_at=now + datetime.timedelta(hours=4 + (offset + n) * 5)
            if n % 2
            else None,
            place="Olympic Hall, Seoul" if n % 2 else "",
            sequence=n % 4,
            release=releases[n % len(releases)] if n % 3 == 0 else None,
        )
        for n in range(count)
    )
    links = Event.artists.through
    links.objects.bulk_create(
        links(event_id=event.pk, artist_id=artist.pk)
        for n, event in enumerate(events)
        for artist in (artists[n % len(artists)], artists[(n + 1) % len(artists)])
    )
    return events


@pytest.fixture
def cast():
    artists = [ArtistFactory(name=f"가수 {n}") for n in range(6)]
    releases = [ReleaseFactory(artists=[artists[n]]) for n in range(3)]
    return artists, releases


def count_queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def shown(response) -> int:
    return sum(len(week.rows) for week in response.context["weeks"])


@pytest.mark.parametrize(
    "url",
    ["/calendar/", "/calendar/?kind=showcase", "/calendar/?artist={slug}"],
)
def test_the_calendar_costs_the_same_queries_for_10_and_100_events(
    client, cast, url, django_assert_num_queries
):
    artists, releases = cast
    url = url.format(slug=artists[0].slug)
    events = add_events(10, artists=artists, releases=releases)
    # Stories about some events: their links come in one query too.
    for event in events[:3]:
        ArticleFactory(published=True, event=event)
    client.get(url)  # per-process caches (URL reversing, templates) warm
    few, response = count_queries(client, url)
    assert few >= 3 and shown(response) >= 1
    more = add_events(90, artists=artists, releases=releases, offset=10)
    for event in more[:30]:
        ArticleFactory(published=True, event=event)
    before = shown(response)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert shown(response) > before
    if url == "/calendar/":
        assert shown(response) == calendar_views.EVENTS_PER_PAGE


def test_later_events_page_costs_the_same_queries(client, cast):
    artists, releases = cast
    add_events(100, artists=artists, releases=releases)
    client.get("/calendar/")  # the artist filter kept for both
    first, response = count_queries(client, "/calendar/")
    assert response.context["next_query"]
    later, response = count_queries(
        client, f"/calendar/?{response.context['next_query']}"
    )
    # One more: the last event shown, for where the keyset continues.
    assert later == first + 1 and shown(response) == calendar_views.EVENTS_PER_PAGE


def test_the_calendar_shows_every_artist_with_upcoming_events_in_its_filter(
    client, cast
):
    artists, releases = cast
    add_events(12, artists=artists[:4], releases=releases)
    gone = ArtistFactory(name="Past only")
    EventFactory(artists=[gone], starts_at=timezone.now() - datetime.timedelta(days=40))
    response = client.get("/calendar/")
    assert response.status_code == 200
    names = [name for slug, name in response.context["artist_choices"]]
    assert names == sorted(a.name for a in artists[:4])
    assert "Past only" not in names


def test_rows_carry_each_events_artists_in_name_order_and_none_for_none(cast):
    artists, releases = cast
    [linked] = add_events(1, artists=[artists[3], artists[1]], releases=releases)
    bare = EventFactory(title="No artists yet")
    found = {event.pk: event for event in listed(Event.objects.all().for_rows())}
    assert [a.name for a in found[linked.pk].performers] == ["가수 1", "가수 3"]
    assert found[bare.pk].performers == []


def parse_feed(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_a_feed_of_more_than_250_events_carries_all_of_them(client, cast):
    artists, releases = cast
    # Over a thousand: past SQLite's 999 parameters per query too.
    events = add_events(1100, artists=artists, releases=releases)
    items = parse_feed(client.get("/calendar.ics"))
    assert len(items) == 1100
    uids = {str(item["UID"]) for item in items}
    assert uids == {f"event-{event.pk}@testserver" for event in events}
    by_uid = {str(item["UID"]): item for item in items}
    for event in events:
        item = by_uid[f"event-{event.pk}@testserver"]
        assert item["SEQUENCE"] == event.sequence
        assert item.decoded("DTSTART") == event.starts_at
        assert item["DTSTAMP"] and item["SUMMARY"] == event.title
        expected = (
            "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED"
        )
        assert item["STATUS"] == expected
    # An artist's feed too: every event they are in.
    mine = parse_feed(client.get(f"/artists/{artists[0].slug}/calendar.ics"))
    assert len(mine) == Event.objects.filter(artists=artists[0]).count() > 250


def test_a_feed_costs_the_same_queries_for_10_and_300_events(
    client, cast, django_assert_num_queries
):
    artists, releases = cast
    add_events(10, artists=artists, releases=releases)
    few, _ = count_queries(client, "/calendar.ics")
    add_events(290, artists=artists, releases=releases, offset=10)
    with django_assert_num_queries(few):
        assert len(parse_feed(client.get("/calendar.ics"))) == 300


def test_a_feed_keeps_three_months_of_the_past():
    recent = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=80))
    old = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=100))
    rumour = EventFactory(status=Event.Status.RUMOURED)
    listed_ids = set(ics.feed_events().values_list("pk", flat=True))
    assert recent.pk in listed_ids
    assert old.pk not in listed_ids and rumour.pk not in listed_ids


def test_the_fast_writer_gives_icalendars_own_bytes(cast):
    artists, releases = cast
    hostile = ArtistFactory(name='Back\\slash; comma, "quote" 아이유' * 3)
    events = add_events(30, artists=[*artists, hostile], releases=releases)
    Event.objects.filter(pk=events[0].pk).update(
        title="아이유 " * 40, place="Line one\nline two; a, b \\ c" * 4
    )
    request = RequestFactory().get("/calendar.ics")
    rows = listed(Event.objects.all().for_rows())
    component = ics_feed.calendar_component(
        rows, request=request, name="테스트 calendar"
    )
    body = ics_feed.build_calendar(rows, request=request, name="테스트 calendar")
    assert body == component.to_ical()
    # Long lines are folded at 75 octets without splitting a character.
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == 30


def artist_filter(client) -> list[str]:
    response = client.get("/calendar/")
    assert response.status_code == 200
    return [name for slug, name in response.context["artist_choices"]]


def test_the_kept_artist_filter_follows_every_change(client):
    iu = ArtistFactory(name="IU")
    event = EventFactory(artists=[iu])
    assert artist_filter(client) == ["IU"]
    assert artist_filter(client) == ["IU"]  # kept: no query for it this time
    v = ArtistFactory(name="V")
    other = EventFactory(artists=[v])
    assert artist_filter(client) == ["IU", "V"]
    v.name = "Kim Taehyung"
    v.save()
    assert artist_filter(client) == ["IU", "Kim Taehyung"]
    event.artists.remove(iu)
    assert artist_filter(client) == ["Kim Taehyung"]
    other.delete()
    assert artist_filter(client) == []
    rumour = EventFactory(artists=[iu], status=Event.Status.RUMOURED)
    assert artist_filter(client) == []
    rumour.status = Event.Status.ANNOUNCED
    rumour.save()
    assert artist_filter(client) == ["IU"]


def test_the_kept_filter_costs_one_query_less(client, cast):
    artists, releases = cast
    add_events(20, artists=artists, releases=releases)
    EventFactory(artists=[artists[0]])  # a signal: the list is read again
    first, _ = count_queries(client, "/calendar/")
    kept, _ = count_queries(client, "/calendar/")
    assert kept == first - 1


def test_the_artist_filter_escapes_names_and_marks_the_choice(client):
    hostile = ArtistFactory(name='<script>alert("x")</script> & 아이유')
    EventFactory(artists=[hostile])
    EventFactory(artists=[ArtistFactory(name="Other")])
    response = client.get(f"/calendar/?artist={hostile.slug}")
    assert response.status_code == 200
    html = response.text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 아이유" in html
    assert f'<option value="{hostile.slug}" selected>' in html
    assert html.count(" selected>") == 1


def test_the_fast_writer_folds_ascii_lines_as_icalendar_does():
    # Every alignment of escapes (a backslash, a comma, a semicolon, a caret, a
    # newline) against the 75-octet fold, in ASCII lines (cut in slices) and a
    # Hangul one (folded by icalendar).
    for k in range(80):
        EventFactory(
            title="T" * k + "\\;,^\n" * 20,  # within the 200 characters
            place="p" * (k % 7) + "a\\b" * 40,
        )
    EventFactory(title="아이유 " * 30 + "\\" * 10)
    request = RequestFactory().get("/calendar.ics")
    rows = listed(Event.objects.all().for_rows(release=False))
    component = ics_feed.calendar_component(rows, request=request, name="folds")
    body = ics_feed.build_calendar(rows, request=request, name="folds")
    assert body == component.to_ical()
    parsed = icalendar.Calendar.from_ical(body).walk("VEVENT")
    # Unfolded and unescaped, the titles are those saved (the save joins lines).
    assert {str(item["SUMMARY"]) for item in parsed} == set(
        Event.objects.values_list("title", flat=True)
    )
