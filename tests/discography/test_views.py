import json
import re

import pytest
from django.core.management import call_command

from discography.models import Release
from tests.artists.factories import AgencyFactory, ArtistFactory
from tests.discography.factories import (
    MusicVideoFactory,
    ReleaseFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

# The release page, cold: release (+ label and its parent, joined); credits (+ artist);
# tracks; features (+ artist); music videos (+ director profile); cast; the drop
# event's history (+ the event, joined; issue 22); the stories about the release
# (its streaming links ride in the release's own query).
RELEASE_QUERIES = 8


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def jsonld_of(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_the_winning_shows_its_tracklist_credits_and_marks(client, demo):
    response = client.get("/albums/the-winning/")
    assert response.status_code == 200
    html = response.content.decode()
    titles = [t.title for t in response.context["tracks"]]
    assert titles == ["Shopper", "Holssi", "Love wins all", "Shh..", "Stan U"]
    for text in [
        "Mini album (EP)",
        "20 February 2024",
        'href="/artists/iu/"',
        "EDAM Entertainment",
        "Title track",
        "Pre-released",
        "24 Jan 2024",
        'href="/artists/hyein/"',
        'href="/artists/dpr-ian/"',
        "https://www.youtube.com/watch?v=JleoAppaxi0",
        "Directed by Um Tae-hwa",
        'href="/artists/v/"',
        "Running time",
    ]:
        assert text in html, text
    assert "feat." in html


def test_release_jsonld_is_a_music_album_with_recordings(client, demo):
    data = jsonld_of(client.get("/albums/the-winning/"))
    assert data["@type"] == "MusicAlbum"
    assert data["albumReleaseType"] == "https://schema.org/EPRelease"
    assert data["byArtist"][0]["name"] == "IU"
    assert data["datePublished"] == "2024-02-20"
    assert data["numTracks"] == 5
    recordings = data["track"]
    assert [r["@type"] for r in recordings] == ["MusicRecording"] * 5
    assert recordings[3]["name"] == "Shh.."
    assert [a["name"] for a in recordings[3]["byArtist"]] == ["IU", "Hyein"]
    assert recordings[2]["duration"].startswith("PT4M")


def test_unknown_release_is_404(client):
    assert client.get("/albums/nothing/").status_code == 404


def test_a_release_without_tracks_says_so(client):
    release = ReleaseFactory()
    html = client.get(release.get_absolute_url()).content.decode()
    assert "The tracklist has not been added yet." in html


def test_multi_disc_release_shows_disc_headings(client):
    release = ReleaseFactory()
    TrackFactory(release=release, disc=1, position=1)
    TrackFactory(release=release, disc=2, position=1)
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Disc 1" in html and "Disc 2" in html


def test_release_page_escapes_hostile_titles_and_cleans_description(client):
    release = ReleaseFactory(
        title="</script><script>alert(1)</script>",
        description='<p>Good</p><img src=x onerror="alert(2)">',
    )
    response = client.get(release.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "onerror" not in html
    assert jsonld_of(response)["name"] == "</script><script>alert(1)</script>"


def _release(size: int) -> Release:
    artists = [ArtistFactory() for _ in range(size)]
    release = ReleaseFactory(
        artists=artists, label=AgencyFactory(parent=AgencyFactory())
    )
    for position in range(1, size * 3 + 1):
        track = TrackFactory(release=release, position=position, featuring=artists[:2])
        MusicVideoFactory(track=track, cast=artists, director_artist=artists[0])
    return release


def test_release_query_count_is_the_same_for_a_single_and_a_long_album(
    client, django_assert_max_num_queries
):
    for release in [_release(1), _release(8)]:
        with django_assert_max_num_queries(RELEASE_QUERIES):
            response = client.get(release.get_absolute_url())
        assert response.status_code == 200
