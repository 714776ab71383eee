import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from discography.models import (
    MusicVideo,
    Release,
    ReleaseCredit,
    Track,
    credit_line,
    parse_video_url,
)
from tests.artists.factories import ArtistFactory
from tests.discography.factories import (
    MusicVideoFactory,
    ReleaseFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


def test_newest_first_puts_undated_releases_last():
    old = ReleaseFactory(released_on=datetime.date(2020, 1, 1))
    undated = ReleaseFactory(released_on=None)
    new = ReleaseFactory(released_on=datetime.date(2024, 2, 20))
    assert list(Release.objects.newest_first()) == [new, old, undated]


def test_release_slug_is_made_from_the_title_and_kept_unique():
    assert ReleaseFactory(title="The Winning").slug == "the-winning"
    assert ReleaseFactory(title="The Winning").slug == "the-winning-2"
    assert ReleaseFactory(title="꽃갈피").slug == "kkotgalpi"


def test_credit_lines_join_names_with_their_phrases():
    iu, v, hyein, ian = (ArtistFactory(name=n) for n in ["IU", "V", "Hyein", "DPR IAN"])
    release = ReleaseFactory(artists=[iu, v])
    assert release.artist_credit == "IU & V"
    track = TrackFactory(release=release, featuring=[hyein, ian])
    assert track.feature_credit == "feat. Hyein & DPR IAN"
    commas = [
        ReleaseCredit(artist=a, join_phrase=p)
        for a, p in [(iu, ""), (v, ","), (hyein, "&")]
    ]
    assert credit_line(commas) == "IU, V & Hyein"
    assert credit_line([]) == ""


def test_credited_as_overrides_the_artist_name():
    credit = ReleaseCredit(artist=ArtistFactory(name="Hyein"), credited_as="HYEIN")
    assert credit.display_name == "HYEIN"


def test_duplicate_track_position_is_refused_with_a_clear_message():
    track = TrackFactory(position=1)
    duplicate = Track(release=track.release, disc=1, position=1, title="Again")
    with pytest.raises(ValidationError, match="cannot share a disc and position"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_same_position_on_another_disc_is_fine():
    track = TrackFactory(position=1)
    Track(release=track.release, disc=2, position=1, title="Bonus").full_clean()


@pytest.mark.parametrize("seconds", [0, -5])
def test_non_positive_duration_is_refused(seconds):
    track = TrackFactory.build(
        release=ReleaseFactory(), duration=datetime.timedelta(seconds=seconds)
    )
    with pytest.raises(ValidationError) as caught:
        track.full_clean()
    assert caught.value.message_dict["duration"] == [
        "A duration must be longer than zero (for example 3:25)."
    ]


def test_running_time_is_the_sum_or_unknown():
    release = ReleaseFactory(tracks=3)
    release = Release.objects.for_page().get(pk=release.pk)
    assert release.running_time == datetime.timedelta(minutes=9)
    Track.objects.filter(release=release, position=2).update(duration=None)
    release = Release.objects.for_page().get(pk=release.pk)
    assert release.running_time is None


def test_a_cover_needs_alt_text():
    from tests.artists.images import image_upload

    release = Release(title="X", slug="x", cover=image_upload())
    with pytest.raises(ValidationError) as caught:
        release.full_clean()
    assert "cover_alt" in caught.value.message_dict


def test_a_cover_that_is_not_an_image_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    release = Release(
        title="X",
        slug="x",
        cover=SimpleUploadedFile("cover.png", b"<svg onload=alert(1)>"),
        cover_alt="A cover",
    )
    with pytest.raises(ValidationError) as caught:
        release.full_clean()
    assert "cover" in caught.value.message_dict


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=JleoAppaxi0", ("youtube", "JleoAppaxi0")),
        ("https://youtu.be/JleoAppaxi0", ("youtube", "JleoAppaxi0")),
        ("https://m.youtube.com/watch?v=JleoAppaxi0&t=3", ("youtube", "JleoAppaxi0")),
        ("https://www.youtube.com/embed/JleoAppaxi0", ("youtube", "JleoAppaxi0")),
        ("https://www.youtube.com/shorts/JleoAppaxi0", ("youtube", "JleoAppaxi0")),
        ("https://vimeo.com/123456", ("vimeo", "123456")),
        ("https://www.youtube.com/@dlwlrma", None),
        ("https://www.youtube.com/watch?v=short", None),
        ("https://example.com/watch?v=JleoAppaxi0", None),
        ("javascript:alert(1)//youtu.be/JleoAppaxi0", None),
        ("ftp://youtu.be/JleoAppaxi0", None),
        ("", None),
    ],
)
def test_parse_video_url(url, expected):
    assert parse_video_url(url) == expected


def test_a_video_url_that_is_not_a_video_link_is_refused():
    video = MusicVideo(
        track=TrackFactory(), video_url="https://example.com/love-wins-all"
    )
    with pytest.raises(ValidationError) as caught:
        video.full_clean()
    assert "video_url" in caught.value.message_dict
    assert "link to one video" in caught.value.message_dict["video_url"][0]


def test_music_video_title_and_director_fall_back_sensibly():
    director = ArtistFactory(name="DPR IAN")
    video = MusicVideoFactory(
        track__title="Love wins all", director="", director_artist=director
    )
    assert video.display_title == "Love wins all (official music video)"
    assert video.director_name == "DPR IAN"
    assert video.youtube_id == "abcdefghijk"


def test_by_artist_tells_own_releases_from_features():
    iu, hyein = ArtistFactory(name="IU"), ArtistFactory(name="Hyein")
    own = ReleaseFactory(artists=[hyein])
    guest = ReleaseFactory(artists=[iu])
    TrackFactory(release=guest, featuring=[hyein])
    ReleaseFactory(artists=[iu])
    found = {r.pk: r.is_main_credit for r in Release.objects.by_artist(hyein)}
    assert found == {own.pk: True, guest.pk: False}


def test_music_videos_for_artist_include_cast_and_own_releases():
    iu, v = ArtistFactory(name="IU"), ArtistFactory(name="V")
    track = TrackFactory(release=ReleaseFactory(artists=[iu]))
    video = MusicVideoFactory(track=track, cast=[iu, v])
    other = MusicVideoFactory(track=TrackFactory(release=ReleaseFactory(artists=[iu])))
    assert list(MusicVideo.objects.for_artist(v)) == [video]
    assert set(MusicVideo.objects.for_artist(iu)) == {video, other}
