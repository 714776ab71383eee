"""The events desk: list filters, the month view and the quick steps."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from discography.models import Event
from tests.articles.factories import editor, writer
from tests.artists.factories import ArtistFactory
from tests.discography.factories import EventFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
LIST_URL = "/admin/discography/event/"


def test_the_list_filters_by_artist_kind_status_and_month(admin_client):
    iu = ArtistFactory(name="IU")
    shown = EventFactory(
        title="IU showcase",
        artists=[iu],
        starts_at=datetime.datetime(2026, 5, 11, 18, tzinfo=SEOUL),
    )
    EventFactory(
        title="Other concert",
        kind=Event.Kind.CONCERT,
        starts_at=datetime.datetime(2026, 6, 1, 19, tzinfo=SEOUL),
    )
    for query in (
        f"?artists__id__exact={iu.pk}",
        "?kind__exact=showcase",
        "?month=2026-05",
        "?status__exact=announced&month=2026-05",
    ):
        response = admin_client.get(LIST_URL + query)
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [shown], query
    assert "Mon 11 May 2026, 18:00 (Asia/Seoul)" in response.text


def test_adding_an_event_reads_the_typed_time_in_its_own_zone(admin_client):
    iu = ArtistFactory(name="IU")
    response = admin_client.post(
        LIST_URL + "add/",
        {
            "kind": "concert",
            "title": "H.E.R. in London",
            "starts_at_0": "2026-07-01",
            "starts_at_1": "19:30",
            "time_zone": "Europe/London",
            "place": "O2 Arena, London",
            "artists": [iu.pk],
            "source_url": "https://example.com/tour",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
            "changes-MIN_NUM_FORMS": "0",
            "changes-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    london = zoneinfo.ZoneInfo("Europe/London")
    assert event.starts_at == datetime.datetime(2026, 7, 1, 19, 30, tzinfo=london)
    assert list(event.artists.all()) == [iu]
    assert event.changes.get().by.is_superuser


def test_delayed_to_asks_for_the_new_time_and_source(admin_client):
    event = EventFactory(starts_at=datetime.datetime(2026, 5, 11, 18, tzinfo=SEOUL))
    url = f"{LIST_URL}{event.pk}/move/"
    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"starts_at": "2026-05-18T18:00"})
    assert refused.status_code == 200 and refused.context["form"].errors
    response = admin_client.post(
        url,
        {
            "starts_at": "2026-05-18T18:00",
            "time_zone": "Asia/Seoul",
            "source_url": "https://example.com/delay",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == datetime.datetime(2026, 5, 18, 18, tzinfo=SEOUL)
    assert event.status == Event.Status.DELAYED
    assert event.changes.filter(source_url="https://example.com/delay").exists()


def test_cancelled_asks_for_the_source(admin_client):
    event = EventFactory()
    url = f"{LIST_URL}{event.pk}/status/?status=cancelled"
    page = admin_client.get(url)
    assert page.context["form"].initial == {"status": "cancelled"}
    response = admin_client.post(
        url, {"status": "cancelled", "source_url": "https://example.com/off"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_writers_cannot_move_events(client):
    alice = writer(username="alice", is_staff=True)
    client.force_login(alice)
    event = EventFactory()
    response = client.post(
        f"{LIST_URL}{event.pk}/move/",
        {
            "starts_at": "2026-05-18T18:00",
            "time_zone": "Asia/Seoul",
            "source_url": "https://example.com/delay",
        },
    )
    assert response.status_code == 403


def test_the_month_view_lays_out_the_weeks(client):
    erin = editor(username="erin", is_staff=True)
    client.force_login(erin)
    today = timezone.localdate()
    EventFactory(title="아이유 팬미팅", starts_at=timezone.now())
    response = client.get(f"{LIST_URL}month/?month={today:%Y-%m}")
    assert response.status_code == 200
    assert "아이유 팬미팅" in response.text
    assert len(response.context["weeks"]) in (4, 5, 6)
    hostile = client.get(f"{LIST_URL}month/?month=0001-99<script>")
    assert hostile.status_code == 200


def test_the_change_page_shows_the_time_read_only_with_the_quick_steps(admin_client):
    event = EventFactory()
    page = admin_client.get(f"{LIST_URL}{event.pk}/change/")
    assert page.status_code == 200
    assert "starts_at" not in page.context["adminform"].form.fields
    assert f"{LIST_URL}{event.pk}/move/" in page.text
