import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artists.models import Artist, ArtistAlias
from tests.artists.factories import (
    AgencyFactory,
    ArtistAliasFactory,
    ArtistFactory,
    ArtistLinkFactory,
    MembershipFactory,
)
from tests.discography.factories import (
    MusicVideoFactory,
    ReleaseFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db

# The profile page, cold: artist; aliases; links; agencies (+ parent, joined);
# memberships on both sides (+ both artists, joined); releases; music videos;
# the artist's latest stories. Issue 9's budget for the artist page is 8; issue 22
# adds the artist's upcoming events ("Coming up").
PROFILE_QUERIES = 9


def jsonld_of(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_index_lists_artists_a_to_z_by_sort_name(client):
    ArtistFactory(name="NewJeans")
    ArtistFactory(name="BTS")
    ArtistFactory(name="IU")
    html = client.get("/artists/").content.decode()
    assert html.index("BTS") < html.index("IU") < html.index("NewJeans")


def test_index_filters_by_kind_agency_and_letter(client):
    hybe = AgencyFactory(name="ADOR")
    group = ArtistFactory(name="NewJeans", group=True, agencies=[hybe])
    person = ArtistFactory(name="IU")
    other = ArtistFactory(name="아이유")

    def names(query):
        response = client.get("/artists/" + query)
        assert response.status_code == 200
        return [a.name for a in response.context["page_obj"]]

    assert names("?kind=group") == [group.name]
    assert names(f"?agency={hybe.slug}") == [group.name]
    assert names("?letter=I") == [person.name]
    assert names("?letter=0-9") == [other.name]


def test_index_ignores_unknown_filter_values(client):
    ArtistFactory(name="IU")
    response = client.get("/artists/?agency=nope&kind=robot")
    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_index_is_paginated_and_keeps_filters_in_page_links(client):
    ArtistFactory.create_batch(50, group=True)
    response = client.get("/artists/?kind=group")
    html = response.content.decode()
    assert len(response.context["page_obj"]) == 48
    assert 'href="?kind=group&amp;page=2"' in html


def test_index_query_count_does_not_grow_with_artists(
    client, django_assert_max_num_queries
):
    ArtistFactory.create_batch(3, agencies=[AgencyFactory()])
    client.get("/artists/")
    with CaptureQueriesContext(connection) as few:
        client.get("/artists/")
    ArtistFactory.create_batch(40, agencies=[AgencyFactory()])
    with django_assert_max_num_queries(len(few)):
        client.get("/artists/")


def test_unknown_artist_is_404(client):
    assert client.get("/artists/nobody/").status_code == 404


def test_iu_profile_shows_names_agency_discography_and_video(client, demo):
    response = client.get("/artists/iu/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "아이유",
        "Lee Ji-eun",
        "이지은",
        "EDAM Entertainment",
        "the LILAC singer",
        "16 May 1993",
        "Mini albums (EPs)",
        'href="/albums/the-winning/"',
        "Love wins all (official music video)",
        "Um Tae-hwa",
        "Latest news",
    ]:
        assert text in html, text
    assert "Yi Ji-eun" in html  # a romanisation is shown; misspellings are not
    # The demo's IU interview is listed under "Latest news".
    assert "IU on filming" in html or "Love wins all" in html


def test_v_profile_shows_his_group_and_agency_parent(client, demo):
    html = client.get("/artists/v/").content.decode()
    assert 'href="/artists/bts/"' in html
    assert "BIGHIT MUSIC" in html and "a label of HYBE" in html
    assert "김태형" in html
    assert "Taheyung" not in html


def test_group_profile_lists_current_and_former_members(client):
    group = ArtistFactory(name="Band", group=True)
    MembershipFactory(
        group=group, member__name="Stays", began_on=datetime.date(2013, 6, 13)
    )
    MembershipFactory(
        group=group,
        member__name="Left",
        began_on=datetime.date(2013, 6, 13),
        ended_on=datetime.date(2019, 1, 1),
    )
    response = client.get(group.get_absolute_url())
    html = response.content.decode()
    assert [m.member.name for m in response.context["current_members"]] == ["Stays"]
    assert [m.member.name for m in response.context["former_members"]] == ["Left"]
    assert "Former members" in html
    assert "2013</time>–present" in html and "2019</time>" in html


def test_hyein_profile_shows_featured_on_the_winning(client, demo):
    html = client.get("/artists/hyein/").content.decode()
    assert "Featured on" in html
    assert 'href="/albums/the-winning/"' in html
    assert 'href="/artists/newjeans/"' in html


def test_profile_escapes_hostile_names_and_sanitizes_the_bio(client):
    artist = ArtistFactory(
        name="<img src=x onerror=alert(1)>",
        bio="<p>Fine</p><script>alert(2)</script>",
    )
    ArtistAliasFactory(artist=artist, name="</script><script>alert(3)</script>")
    html = client.get(artist.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "alert(2)" not in html
    assert "<script>alert(3)" not in html
    assert "<p>Fine</p>" in html


def test_person_jsonld(client, demo):
    data = jsonld_of(client.get("/artists/v/"))
    assert data["@type"] == "Person"
    assert data["name"] == "V"
    assert data["birthDate"] == "1995-12-30"
    assert "Kim Taehyung" in data["alternateName"]
    assert "Taheyung" not in data["alternateName"]
    assert data["memberOf"][0]["memberOf"]["name"] == "BTS"
    assert data["memberOf"][0]["startDate"] == "2013-06-13"
    assert data["url"] == "http://testserver/artists/v/"


def test_group_jsonld(client, demo):
    data = jsonld_of(client.get("/artists/bts/"))
    assert data["@type"] == "MusicGroup"
    assert data["foundingDate"] == "2013-06-13"
    names = [m["member"]["name"] for m in data["member"]]
    assert sorted(names) == ["J-Hope", "Jimin", "Jin", "Jung Kook", "RM", "Suga", "V"]
    assert data["sameAs"][0] == "https://ibighit.com/bts/"
    assert "https://weverse.io/bts" in data["sameAs"]


def _big_artist(name: str, size: int) -> Artist:
    """A group with ``size`` members, aliases, links, agencies, releases and videos."""
    parent = AgencyFactory()
    group = ArtistFactory(
        name=name,
        group=True,
        agencies=[AgencyFactory(parent=parent) for _ in range(size)],
        aliases=size,
        members=size,
    )
    for _ in range(size):
        ArtistLinkFactory(artist=group)
        release = ReleaseFactory(artists=[group, ArtistFactory()], tracks=3)
        MusicVideoFactory(track=release.tracks.first(), cast=[group])
        guest = ReleaseFactory(artists=[ArtistFactory()])
        TrackFactory(release=guest, featuring=[group])
    MembershipFactory(group=group, ended_on=datetime.date(2030, 1, 1))
    return group


def test_profile_query_count_is_the_same_for_small_and_large_artists(
    client, django_assert_max_num_queries
):
    small, large = _big_artist("Small", 1), _big_artist("Large", 12)
    person = MembershipFactory(group=large).member
    ArtistAliasFactory(artist=person, kind=ArtistAlias.Kind.BIRTH_NAME)
    for artist in [small, large, person]:
        with django_assert_max_num_queries(PROFILE_QUERIES):
            response = client.get(artist.get_absolute_url())
        assert response.status_code == 200
    assert len(response.context["groups"]) == 1


def test_a_unicode_slug_is_a_working_address(client):
    artist = ArtistFactory(name="아이유", slug="아이유")
    assert artist.get_absolute_url() == "/artists/%EC%95%84%EC%9D%B4%EC%9C%A0/"
    response = client.get(artist.get_absolute_url())
    assert response.status_code == 200
    assert "아이유" in response.content.decode()
