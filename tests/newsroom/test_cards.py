"""Pictures on every card, fresh times, share links, and the artist page's extras."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.sharing import share_links
from artists.models import Artist, ArtistLink, Membership
from newsroom import cards
from tests.articles.factories import ArticleFactory, ArtistFactory
from tests.discography.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def test_a_story_with_a_hero_shows_it_and_one_without_gets_the_stand_in(client):
    pictured = ArticleFactory(published=True, with_hero=True, headline="Pictured")
    plain = ArticleFactory(published=True, headline="Plain")
    ArticleFactory(published=True, headline="The lead")
    picture = cards.card_image(pictured, "story-card__image")
    assert picture.src and picture.is_cropped  # the library's crop, not the whole
    assert cards.card_image(plain) is None
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert picture.src in html
    assert "art--story" in html


def test_artists_and_releases_have_their_own_stand_ins():
    person = ArtistFactory(kind=Artist.Kind.PERSON)
    group = ArtistFactory(kind=Artist.Kind.GROUP)
    assert cards.card_image(person) is None
    assert cards.stand_in_kind(person) == "person"
    assert cards.stand_in_kind(group) == "group"
    assert cards.stand_in_kind(ReleaseFactory()) == "disc"
    assert cards.card_image("not a row") is None


def test_relative_times_within_a_day_exact_after():
    now = timezone.now()
    assert cards.time_ago(now - datetime.timedelta(seconds=20), now) == "just now"
    assert cards.time_ago(now - datetime.timedelta(minutes=1), now) == "1 minute ago"
    assert cards.time_ago(now - datetime.timedelta(hours=2), now) == "2 hours ago"
    assert cards.is_fresh(now - datetime.timedelta(hours=23), now)
    assert not cards.is_fresh(now - datetime.timedelta(hours=25), now)
    assert not cards.is_fresh(now + datetime.timedelta(hours=1), now)  # scheduled
    assert not cards.is_fresh(None, now)


def test_a_fresh_story_reads_hours_ago_with_the_exact_time_kept(client):
    story = ArticleFactory(published=True)  # an hour ago
    html = client.get(story.get_absolute_url()).content.decode()
    assert "data-relative" in html and "1 hour ago" in html
    assert (
        f'datetime="{timezone.localtime(story.published_at):%Y-%m-%dT%H:%M:%S}' in html
    )


def test_share_links_are_plain_links_with_everything_encoded():
    url = "https://news.example/news/아이유-interview/"
    links = {
        link.key: link for link in share_links(url, 'IU & V: "Love wins all" 홀씨')
    }
    assert set(links) == {"x", "facebook", "line", "whatsapp", "email"}
    x = parse_qs(urlsplit(links["x"].href).query)
    assert x == {"url": [url], "text": ['IU & V: "Love wins all" 홀씨']}
    assert parse_qs(urlsplit(links["facebook"].href).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["line"].href).query) == {"url": [url]}
    assert url in parse_qs(urlsplit(links["whatsapp"].href).query)["text"][0]
    assert links["email"].href.startswith("mailto:?subject=IU%20%26%20V")
    for link in links.values():
        assert "<" not in link.href and '"' not in link.href


def test_every_story_has_share_links_and_no_network_script(client):
    story = ArticleFactory(published=True, headline="<script>alert(1)</script>")
    html = client.get(story.get_absolute_url()).content.decode()
    for name in ("x.com/intent/post", "facebook.com/sharer", "social-plugins.line.me"):
        assert name in html
    assert "wa.me/?text=" in html and "mailto:?subject=" in html
    assert "data-share-copy" in html and "data-share-native" in html
    assert "<script>alert(1)</script>" not in html
    assert 'src="https://' not in html


def test_the_bts_page_lists_seven_members_with_positions_links_and_fandom(client):
    call_command("load_demo", verbosity=0)
    bts = Artist.objects.get(slug="bts")
    members = Membership.objects.filter(group=bts, ended_on__isnull=True)
    assert sorted(m.member.name for m in members) == [
        "J-Hope",
        "Jimin",
        "Jin",
        "Jung Kook",
        "RM",
        "Suga",
        "V",
    ]
    rm = Artist.objects.get(slug="rm")
    assert rm.began_on == datetime.date(1994, 9, 12)
    assert members.get(member=rm).role == "leader, rapper"
    assert Artist.objects.get(slug="jung-kook").began_on == datetime.date(1997, 9, 1)
    html = client.get("/artists/bts/").content.decode()
    assert "ARMY" in html
    for kind in ("x", "instagram", "weverse", "tiktok", "youtube"):
        assert bts.links.filter(kind=kind).exists()
        assert f"mark--{kind}" in html
    assert html.count('class="person"') == 7
    assert html.count("person__picture") == 7
    call_command("load_demo", verbosity=0)  # a second run adds nothing
    assert Membership.objects.filter(group=bts).count() == 7


def test_official_links_keep_their_order_and_escape_hostile_urls(client):
    artist = ArtistFactory(fandom_name="<b>Bunnies</b>")
    ArtistLink.objects.create(
        artist=artist, kind="tiktok", url='https://tiktok.com/@a"b', position=2
    )
    ArtistLink.objects.create(
        artist=artist, kind="x", url="https://x.com/a", position=1
    )
    html = client.get(artist.get_absolute_url()).content.decode()
    assert html.index("mark--x") < html.index("mark--tiktok")
    assert "&lt;b&gt;Bunnies&lt;/b&gt;" in html
    assert (
        "https://tiktok.com/@a&#34;b" in html or "https://tiktok.com/@a&quot;b" in html
    )


def test_the_artist_index_and_search_show_pictures_or_stand_ins(client):
    ArtistFactory(name="IU", kind=Artist.Kind.PERSON)
    ArtistFactory(name="NewJeans", kind=Artist.Kind.GROUP)
    index = client.get("/artists/").content.decode()
    assert "art--person" in index and "art--group" in index
    ArticleFactory(published=True, headline="IU talks")
    results = client.get("/search/", {"q": "IU"}).content.decode()
    assert "search-hit__picture" in results
