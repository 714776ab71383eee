"""Lineups as of a story's day: chips, the group's members then, and JSON-LD."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def group():
    """A group with one member who left in 2023 and one who stays; one who joined
    in 2024."""
    band = ArtistFactory(name="Bandname", slug="bandname", group=True)
    left = ArtistFactory(name="Hana", slug="hana")
    stays = ArtistFactory(name="Duri", slug="duri")
    joined = ArtistFactory(name="Seti", slug="seti")
    MembershipFactory(
        group=band,
        member=left,
        began_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2023, 5, 1),
    )
    MembershipFactory(group=band, member=stays, began_on=datetime.date(2015, 1, 1))
    MembershipFactory(group=band, member=joined, began_on=datetime.date(2024, 1, 1))
    return band, left, stays, joined


def about(html: str) -> list[dict]:
    for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html
    ):
        data = json.loads(block)
        if data.get("@type") == "NewsArticle":
            return data["about"]
    raise AssertionError("no NewsArticle")


def test_a_story_before_a_member_left_says_then_a_member_of(client, group):
    band, left, stays, joined = group
    story = ArticleFactory(published=True, published_at=on(datetime.date(2019, 3, 1)))
    story.artists.add(left, stays)
    html = client.get(story.get_absolute_url()).text
    assert "then a member of Bandname" in html  # Hana left in 2023
    assert re.search(r"Duri</a> <span[^>]*>member of Bandname", html)
    people = {item["name"]: item for item in about(html)}
    role = people["Hana"]["memberOf"][0]
    assert role["memberOf"]["name"] == "Bandname" and role["endDate"] == "2023-05-01"


def test_a_story_about_a_group_lists_the_members_of_that_day(client, group):
    band, left, stays, joined = group
    old = ArticleFactory(published=True, published_at=on(datetime.date(2019, 3, 1)))
    old.artists.add(band)
    html = client.get(old.get_absolute_url()).text
    lineup = re.search(r'class="meta story__lineup">(.*?)</p>', html).group(1)
    assert "Hana" in lineup and "Duri" in lineup and "Seti" not in lineup
    [entry] = about(html)
    assert entry["@type"] == "MusicGroup"
    assert {m["name"] for m in entry["member"]} == {"Hana", "Duri"}
    new = ArticleFactory(published=True)
    new.artists.add(band)
    lineup = re.search(
        r'class="meta story__lineup">(.*?)</p>', client.get(new.get_absolute_url()).text
    ).group(1)
    assert "Seti" in lineup and "Duri" in lineup and "Hana" not in lineup


def test_a_story_without_memberships_keeps_plain_chips(client):
    story = ArticleFactory(published=True, artists=2)
    html = client.get(story.get_absolute_url()).text
    assert "member of" not in html and "story__lineup" not in html
    assert {item["@type"] for item in about(html)} == {"Thing"}
