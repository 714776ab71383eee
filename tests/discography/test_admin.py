import datetime

import pytest

from discography.models import MusicVideo, Release, Track
from tests.artists.factories import ArtistAliasFactory, ArtistFactory
from tests.artists.test_admin import inline
from tests.discography.factories import ReleaseFactory, TrackFactory

pytestmark = pytest.mark.django_db


def release_form(artist, tracks: list[dict], **fields) -> dict:
    data = {
        "title": "The Winning",
        "slug": "",
        "kind": "ep",
        "released_on": "2024-02-20",
    }
    data.update(fields)
    data.update(
        inline(
            "credits",
            [
                {
                    "artist": artist.pk,
                    "position": "0",
                    "join_phrase": "",
                    "credited_as": "",
                }
            ],
        )
    )
    data.update(inline("tracks", tracks))
    data.update(inline("streaming_links", []))
    return data


def track(position: int, title: str, duration: str = "3:10") -> dict:
    return {
        "disc": "1",
        "position": str(position),
        "title": title,
        "duration": duration,
        "pre_released_on": "",
    }


def test_adding_a_release_with_its_tracklist(admin_client):
    iu = ArtistFactory(name="IU")
    response = admin_client.post(
        "/admin/discography/release/add/",
        release_form(iu, [track(1, "Shopper"), track(2, "Holssi", "195")]),
    )
    assert response.status_code == 302, response.context["errors"]
    release = Release.objects.get()
    assert release.slug == "the-winning"
    assert release.artist_credit == "IU"
    assert [t.duration for t in release.tracks.all()] == [
        datetime.timedelta(minutes=3, seconds=10),
        datetime.timedelta(minutes=3, seconds=15),
    ]


def test_duplicate_track_positions_in_the_admin_save_nothing(admin_client):
    iu = ArtistFactory(name="IU")
    response = admin_client.post(
        "/admin/discography/release/add/",
        release_form(iu, [track(1, "Shopper"), track(1, "Holssi")]),
    )
    assert response.status_code == 200
    assert not Release.objects.exists() and not Track.objects.exists()
    assert "Please correct the duplicate data" in response.content.decode()


def test_zero_duration_in_the_admin_is_refused(admin_client):
    iu = ArtistFactory(name="IU")
    response = admin_client.post(
        "/admin/discography/release/add/",
        release_form(iu, [track(1, "Shopper", "0:00")]),
    )
    assert response.status_code == 200
    assert "A duration must be longer than zero" in response.content.decode()
    assert not Release.objects.exists()


def test_release_changelist_search_by_artist_alias_and_filter_by_year(admin_client):
    iu = ArtistFactory(name="IU")
    ArtistAliasFactory(artist=iu, name="Lee Ji-eun")
    winning = ReleaseFactory(
        title="The Winning", artists=[iu], released_on=datetime.date(2024, 2, 20)
    )
    ReleaseFactory(title="LILAC", artists=[iu], released_on=datetime.date(2021, 3, 25))
    ReleaseFactory(title="Other")
    response = admin_client.get("/admin/discography/release/", {"q": "Lee Ji-eun"})
    assert {r.title for r in response.context["cl"].result_list} == {
        "The Winning",
        "LILAC",
    }
    response = admin_client.get("/admin/discography/release/", {"year": "2024"})
    assert list(response.context["cl"].result_list) == [winning]
    html = response.content.decode()
    assert "release year" in html and ">2021<" in html


def test_music_video_with_a_non_video_link_is_refused(admin_client):
    song = TrackFactory(title="Love wins all")
    response = admin_client.post(
        "/admin/discography/musicvideo/add/",
        {
            "track": song.pk,
            "title": "",
            "video_url": "https://example.com/mv",
            "director": "Um Tae-hwa",
            "released_on": "2024-01-24",
            "behind_the_scenes_url": "",
        },
    )
    assert response.status_code == 200
    assert "Enter a link to one video" in response.content.decode()
    assert not MusicVideo.objects.exists()


def test_track_page_edits_features_and_videos(admin_client):
    song = TrackFactory(title="Shh..")
    page = admin_client.get(f"/admin/discography/track/{song.pk}/change/")
    html = page.content.decode()
    assert "features-TOTAL_FORMS" in html and "music_videos-TOTAL_FORMS" in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/discography/release/",
        "/admin/discography/track/",
        "/admin/discography/musicvideo/",
        "/admin/discography/release/add/",
    ],
)
def test_discography_admin_pages_load(admin_client, url):
    TrackFactory()
    assert admin_client.get(url).status_code == 200


def test_running_times_are_shown_and_read_as_minutes_and_seconds(admin_client):
    from discography.forms import RunningTimeField

    field = RunningTimeField(required=False)
    assert field.prepare_value(datetime.timedelta(seconds=271)) == "4:31"
    assert field.clean("4:31") == datetime.timedelta(minutes=4, seconds=31)
    assert field.clean("271") == datetime.timedelta(seconds=271)
    assert field.clean("1:02:05") == datetime.timedelta(hours=1, minutes=2, seconds=5)
    with pytest.raises(Exception, match="minutes:seconds"):
        field.clean("four minutes")
    song = TrackFactory(duration=datetime.timedelta(seconds=271))
    html = admin_client.get(
        f"/admin/discography/release/{song.release.pk}/change/"
    ).content.decode()
    assert 'value="4:31"' in html


def test_swapping_two_track_positions_in_the_admin(admin_client):
    iu = ArtistFactory(name="IU")
    release = ReleaseFactory(title="The Winning", artists=[iu])
    first = TrackFactory(release=release, position=1, title="Shopper")
    second = TrackFactory(release=release, position=2, title="Holssi")
    gone = TrackFactory(release=release, position=3, title="Demo")
    credit = release.credits.get()
    data = {
        "title": "The Winning",
        "slug": release.slug,
        "kind": "ep",
        "released_on": "2024-02-20",
        **inline(
            "credits",
            [
                {
                    "id": credit.pk,
                    "release": release.pk,
                    "artist": iu.pk,
                    "position": "0",
                    "join_phrase": "",
                    "credited_as": "",
                }
            ],
            initial=1,
        ),
        **inline(
            "tracks",
            [
                {"id": first.pk, "release": release.pk, **track(3, "Shopper")},
                {"id": second.pk, "release": release.pk, **track(1, "Holssi")},
                {
                    "id": gone.pk,
                    "release": release.pk,
                    **track(2, "Demo"),
                    "DELETE": "on",
                },
                {**track(2, "Love wins all")},
            ],
            initial=3,
        ),
        **inline(
            "streaming_links",
            [],
        ),
    }
    response = admin_client.post(
        f"/admin/discography/release/{release.pk}/change/", data
    )
    assert response.status_code == 302, response.context["errors"]
    assert [t.title for t in release.tracks.order_by("position")] == [
        "Holssi",
        "Love wins all",
        "Shopper",
    ]
