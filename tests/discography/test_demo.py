import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from artists.models import Agency, Artist, ArtistAlias, Membership
from discography.models import Event, MusicVideo, Release, Track

pytestmark = pytest.mark.django_db


def test_demo_builds_the_winning_with_features_and_video():
    call_command("load_demo", verbosity=0)
    release = Release.objects.for_page().get(slug="the-winning")
    assert release.kind == Release.Kind.EP
    assert release.released_on == datetime.date(2024, 2, 20)
    assert release.label.name == "EDAM Entertainment"
    tracks = list(release.tracks.all())
    assert [t.title for t in tracks] == [
        "Shopper",
        "Holssi",
        "Love wins all",
        "Shh..",
        "Stan U",
    ]
    love = tracks[2]
    assert love.is_title_track
    assert love.pre_released_on == datetime.date(2024, 1, 24)
    featured = {a.slug for t in tracks for a in t.featured_artists.all()}
    assert featured == {"hyein", "dpr-ian"}
    video = MusicVideo.objects.get(track=love)
    assert video.director == "Um Tae-hwa"
    assert {a.slug for a in video.cast.all()} == {"iu", "v"}
    assert video.released_on == datetime.date(2024, 1, 24)


def test_demo_artists_names_agencies_and_memberships():
    call_command("load_demo", verbosity=0)
    assert set(Artist.objects.values_list("slug", flat=True)) >= {
        "iu",
        "v",
        "bts",
        "newjeans",
        "hyein",
        "dpr-ian",
    }
    for text, slug in [
        ("Taehyung", "v"),
        ("Kim Taehyung", "v"),
        ("Taheyung", "v"),
        ("김태형", "v"),
        ("Lee Ji-eun", "iu"),
        ("이지은", "iu"),
        ("the Holssi singer", "iu"),
        ("the LILAC singer", "iu"),
    ]:
        assert [a.slug for a in Artist.objects.matching_name(text)] == [slug], text
    assert Agency.objects.get(slug="bighit-music").parent.name == "HYBE"
    assert Agency.objects.get(slug="ador").parent.name == "HYBE"
    assert Membership.objects.filter(member__slug="v", group__slug="bts").exists()
    assert Membership.objects.filter(
        member__slug="hyein", group__slug="newjeans"
    ).exists()
    assert ArtistAlias.objects.filter(
        artist__slug="v", kind=ArtistAlias.Kind.MISSPELLING, name="Taheyung"
    ).exists()


def test_demo_twice_changes_nothing():
    models = [Artist, ArtistAlias, Agency, Membership, Release, Track, MusicVideo]
    call_command("load_demo", verbosity=0)
    counts = [m.objects.count() for m in models]
    call_command("load_demo", verbosity=0)
    assert [m.objects.count() for m in models] == counts


def test_demo_calendar_has_upcoming_demo_events_and_loads_once(client):
    call_command("load_demo", verbosity=0)
    events = list(Event.objects.filter(is_demo=True))
    assert len(events) == 6
    assert all(event.starts_at > timezone.now() for event in events)
    delayed = Event.objects.get(title="V pre-release single")
    assert delayed.status == Event.Status.DELAYED and delayed.sequence == 1
    assert Event.objects.get(title="Hyein fan sign").is_cancelled
    call_command("load_demo", verbosity=0)
    assert Event.objects.filter(is_demo=True).count() == 6
    html = client.get("/calendar/").text
    assert "IU fan meeting" in html and "Demo</span>" in html
