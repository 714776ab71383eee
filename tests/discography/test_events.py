"""Events on the calendar: the model, its services and history, the release's drop."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from discography import event_services
from discography.models import Event, EventChange
from tests.articles.factories import editor, writer
from tests.artists.factories import ArtistFactory
from tests.discography.factories import EventFactory, ReleaseFactory
from tests.discography.test_admin import release_form

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
SOURCE = "https://example.com/notice"


def seoul(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SEOUL)


def test_creating_an_event_keeps_its_announced_zone_and_a_first_history_row():
    erin = editor(username="erin")
    iu = ArtistFactory(name="IU")
    event = event_services.create_event(
        by=erin,
        kind=Event.Kind.SHOWCASE,
        title="  아이유   showcase ",
        starts_at=seoul(2026, 5, 11, 18, 0),
        artists=[iu],
        source_url=SOURCE,
    )
    event.refresh_from_db()
    assert event.title == "아이유 showcase"
    assert event.local_starts_at.hour == 18
    assert event.local_starts_at.utcoffset() == datetime.timedelta(hours=9)
    assert list(event.artists.all()) == [iu]
    change = event.changes.get()
    assert (change.by, change.old_status, change.new_status) == (
        erin,
        "",
        "announced",
    )
    assert change.source_url == SOURCE


def test_writers_cannot_add_or_move_events():
    alice = writer(username="alice")
    with pytest.raises(PermissionDenied):
        event_services.create_event(
            by=alice, kind="concert", title="Tour", starts_at=seoul(2026, 5, 1, 19)
        )
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        event_services.move_event(
            event=event, by=alice, starts_at=seoul(2026, 6, 1, 19), source_url=SOURCE
        )


def test_naive_times_and_unknown_zones_are_refused():
    erin = editor(username="erin")
    with pytest.raises(ValidationError):
        event_services.create_event(
            by=erin,
            kind="concert",
            title="Tour",
            starts_at=datetime.datetime(2026, 5, 1, 19),
        )
    with pytest.raises(ValidationError):
        event_services.create_event(
            by=erin,
            kind="concert",
            title="Tour",
            starts_at=seoul(2026, 5, 1, 19),
            time_zone="Mars/Olympus",
        )


def test_a_delay_moves_the_event_counts_a_sequence_and_keeps_where_it_was():
    erin = editor(username="erin")
    event = EventFactory(
        starts_at=seoul(2026, 5, 11, 18), ends_at=seoul(2026, 5, 11, 20)
    )
    change = event_services.move_event(
        event=event, by=erin, starts_at=seoul(2026, 5, 18, 18), source_url=SOURCE
    )
    event.refresh_from_db()
    assert event.status == Event.Status.DELAYED
    assert event.sequence == 1
    assert event.ends_at == seoul(2026, 5, 18, 20)  # the duration follows
    assert change.is_move and change.old_starts_at == seoul(2026, 5, 11, 18)
    moved = Event.objects.with_history().get(pk=event.pk)
    assert [day.date() for day in moved.moved_from] == [datetime.date(2026, 5, 11)]


def test_cancelling_keeps_the_event_and_cannot_be_moved_afterwards():
    erin = editor(username="erin")
    event = EventFactory()
    event_services.cancel_event(event=event, by=erin, source_url=SOURCE)
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    with pytest.raises(ValidationError):
        event_services.move_event(
            event=event, by=erin, starts_at=seoul(2026, 6, 1, 19), source_url=SOURCE
        )
    with pytest.raises(ValidationError):
        event_services.cancel_event(event=event, by=erin, source_url=SOURCE)


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(ValidationError):
        event_services.create_event(
            by=None,
            kind="concert",
            title="Tour",
            starts_at=seoul(2026, 5, 1, 19),
            ends_at=seoul(2026, 5, 1, 18),
        )


def test_a_release_date_and_hour_make_its_drop_event_and_move_it_later():
    erin = editor(username="erin")
    iu = ArtistFactory(name="IU")
    release = ReleaseFactory(
        title="The Winning",
        released_on=datetime.date(2026, 5, 11),
        artists=[iu],
    )
    assert event_services.sync_release_drop(release=release, by=erin) is None
    release.release_time = datetime.time(18, 0)
    release.save()
    drop = event_services.sync_release_drop(release=release, by=erin)
    assert drop.kind == Event.Kind.RELEASE and drop.release == release
    assert drop.starts_at == seoul(2026, 5, 11, 18)
    assert list(drop.artists.all()) == [iu]
    release.released_on = datetime.date(2026, 5, 18)
    release.save()
    again = event_services.sync_release_drop(release=release, by=erin)
    again.refresh_from_db()
    assert again.pk == drop.pk and Event.objects.count() == 1
    assert again.starts_at == seoul(2026, 5, 18, 18)
    assert again.status == Event.Status.DELAYED and again.sequence == 1
    assert EventChange.objects.filter(event=drop).count() == 2


def test_the_release_form_puts_the_release_on_the_calendar(admin_client):
    iu = ArtistFactory(name="IU")
    response = admin_client.post(
        "/admin/discography/release/add/",
        release_form(
            iu,
            [],
            release_time="18:00",
            release_time_zone="Asia/Seoul",
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    drop = Event.objects.get()
    assert drop.starts_at == seoul(2024, 2, 20, 18)
    assert list(drop.artists.all()) == [iu]
