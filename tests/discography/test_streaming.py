"""Streaming links on release pages: entered by editors, checked per service."""

import pytest
from django.core.exceptions import ValidationError

from discography.models import StreamingLink
from discography.streaming import Service, check_service_url
from tests.articles.factories import ArticleFactory
from tests.discography.factories import MusicVideoFactory, ReleaseFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "service, url",
    [
        (Service.MELON, "https://www.melon.com/album/detail.htm?albumId=11431360"),
        (Service.SPOTIFY, "https://open.spotify.com/album/0abc123"),
        (Service.APPLE_MUSIC, "https://music.apple.com/kr/album/the-winning/1"),
        (Service.YOUTUBE_MUSIC, "https://music.youtube.com/playlist?list=OLAK5uy"),
    ],
)
def test_each_service_takes_its_own_links(service, url):
    check_service_url(service, url)


@pytest.mark.parametrize(
    "service, url",
    [
        (Service.MELON, "https://open.spotify.com/album/0abc123"),  # wrong service
        (Service.SPOTIFY, "http://open.spotify.com/album/0abc123"),  # not https
        (Service.SPOTIFY, "https://open.spotify.com.evil.example/album/1"),
        (Service.APPLE_MUSIC, "javascript:alert(1)"),
        (Service.YOUTUBE_MUSIC, "https://www.youtube.com/watch?v=JleoAppaxi0"),
        (Service.MELON, ""),
        (Service.MELON, "https://[::1"),
        ("napster", "https://www.melon.com/"),
    ],
)
def test_links_to_another_place_are_refused(service, url):
    with pytest.raises(ValidationError) as error:
        check_service_url(service, url)
    assert "url" in error.value.message_dict


def test_the_admin_refuses_a_link_under_the_wrong_service(admin_client):
    release = ReleaseFactory(title="The Winning")
    data = {
        "title": "The Winning",
        "slug": release.slug,
        "kind": "ep",
        "released_on": "2024-02-20",
    }
    for prefix in ("credits", "tracks"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {
        "streaming_links-TOTAL_FORMS": "1",
        "streaming_links-INITIAL_FORMS": "0",
        "streaming_links-0-service": "melon",
        "streaming_links-0-url": "https://open.spotify.com/album/0abc123",
        "streaming_links-0-position": "0",
    }
    url = f"/admin/discography/release/{release.pk}/change/"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Enter an https link to Melon" in response.content.decode()
    assert not StreamingLink.objects.exists()
    data["streaming_links-0-url"] = "https://www.melon.com/album/detail.htm?albumId=1"
    assert admin_client.post(url, data).status_code == 302
    assert StreamingLink.objects.get().service == "melon"


def test_the_release_page_lists_streaming_stories_and_the_video_card(client):
    release = ReleaseFactory(title="The Winning")
    StreamingLink.objects.create(
        release=release,
        service="spotify",
        url="https://open.spotify.com/album/1",
        position=1,
    )
    StreamingLink.objects.create(
        release=release,
        service="melon",
        url="https://www.melon.com/album/detail.htm?albumId=1",
        position=0,
    )
    track = TrackFactory(release=release, title="Love wins all")
    MusicVideoFactory(track=track, video_url="https://youtu.be/JleoAppaxi0")
    about = ArticleFactory(published=True, headline="<b>Review</b>: 홀씨")
    about.releases.add(release)
    ArticleFactory(headline="A draft about it").releases.add(release)
    html = client.get(release.get_absolute_url()).content.decode()
    melon, spotify = html.index(">Melon<"), html.index(">Spotify<")
    assert melon < spotify
    assert "Stories about The Winning" in html
    assert "&lt;b&gt;Review&lt;/b&gt;: 홀씨" in html
    assert "A draft about it" not in html
    # The same privacy-first card as a story's video: nothing from YouTube yet.
    assert 'data-video-id="JleoAppaxi0"' in html
    assert "<iframe" not in html and "i.ytimg.com" not in html


def test_a_release_without_links_or_stories_shows_neither(client):
    html = client.get(ReleaseFactory().get_absolute_url()).content.decode()
    assert "listen-heading" not in html and "release-news-heading" not in html
