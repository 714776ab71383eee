"""RSS and Atom feeds: parse cleanly, carry what aggregators need, never drafts."""

from __future__ import annotations

import datetime
import html

import feedparser
import pytest
from django.utils import timezone

from articles.models import Byline
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.artists.factories import ArtistFactory

pytestmark = pytest.mark.django_db


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.fixture
def story(db):
    section = SectionFactory(name="Interviews", slug="interviews")
    article = ArticleFactory(
        headline="IU on <Love wins all> & V",
        dek="The singer talks about a cold shoot.",
        section=section,
        published=True,
        with_hero=True,
    )
    article.tags.add("IU", "Interview")
    Byline.objects.create(
        article=article, author=AuthorFactory(display_name="Mina Seo"), position=0
    )
    return article


def test_latest_rss_has_title_link_dek_author_categories_date_and_image(client, story):
    response, feed = parse(client, "/feeds/latest/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    [item] = feed.entries
    # RSS readers render titles as HTML: the headline goes out escaped, as text.
    assert item.title_detail.type == "text/html"
    assert html.unescape(item.title) == "IU on <Love wins all> & V"
    assert item.link == "http://testserver" + story.get_absolute_url()
    assert item.summary == "The singer talks about a cold shoot."
    assert item.author == "Mina Seo"
    assert {t.term for t in item.tags} == {"Interviews", "IU", "Interview"}
    published = datetime.datetime(*item.published_parsed[:6], tzinfo=datetime.UTC)
    assert abs(published - story.published_at) < datetime.timedelta(seconds=1)
    [media] = item.media_content
    assert media["url"].startswith("http://testserver/")
    assert media["medium"] == "image" and media["type"] == "image/jpeg"
    assert client.get(media["url"].removeprefix("http://testserver")).status_code in (
        200,
        404,  # media is served by the web server in production, not by Django
    )


def test_latest_atom_parses_with_the_same_items(client, story):
    response, feed = parse(client, "/feeds/latest/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    [item] = feed.entries
    assert item.title == story.headline
    assert item.author == "Mina Seo"
    assert item.media_content


def test_feeds_never_carry_drafts_scheduled_or_archived(client, db):
    artist = ArtistFactory(slug="iu")
    live = ArticleFactory(headline="Live", published=True)
    live.artists.add(artist)
    live.tags.add("IU")
    for trait in ["in_review", "scheduled", "archived"]:
        hidden = ArticleFactory(headline=f"Hidden {trait}", **{trait: True})
        hidden.artists.add(artist)
        hidden.tags.add("IU")
    ArticleFactory(headline="Hidden draft").artists.add(artist)
    for url in [
        "/feeds/latest/",
        "/feeds/latest/atom/",
        "/artists/iu/feed/",
        "/tags/iu/feed/",
    ]:
        _, feed = parse(client, url)
        assert [e.title for e in feed.entries] == ["Live"], url


def test_latest_feed_is_newest_first_and_bounded(client, db):
    now = timezone.now()
    for n in range(35):
        ArticleFactory(
            headline=f"Story {n}",
            published=True,
            published_at=now - datetime.timedelta(minutes=n + 1),
        )
    _, feed = parse(client, "/feeds/latest/")
    assert len(feed.entries) == 30
    assert feed.entries[0].title == "Story 0"


def test_artist_feed_lists_only_that_artist(client, db):
    iu, v = ArtistFactory(name="IU", slug="iu"), ArtistFactory(name="V", slug="v")
    ArticleFactory(headline="About IU", published=True).artists.add(iu)
    ArticleFactory(headline="About V", published=True).artists.add(v)
    _, feed = parse(client, "/artists/iu/feed/")
    assert feed.feed.title.startswith("IU")
    assert feed.feed.link == "http://testserver/artists/iu/"
    assert [e.title for e in feed.entries] == ["About IU"]


def test_tag_feed_lists_only_that_tag(client, db):
    ArticleFactory(headline="Tagged", published=True).tags.add("Comeback")
    ArticleFactory(headline="Untagged", published=True)
    _, feed = parse(client, "/tags/comeback/feed/")
    assert [e.title for e in feed.entries] == ["Tagged"]


def test_unknown_artist_or_tag_feed_is_404(client, db):
    assert client.get("/artists/nobody/feed/").status_code == 404
    assert client.get("/tags/nothing/feed/").status_code == 404


def test_feed_query_count_does_not_grow(client, django_assert_max_num_queries, db):
    ArticleFactory.create_batch(2, published=True, tags=2, authors=2)
    client.get("/feeds/latest/")
    with django_assert_max_num_queries(3):  # stories, bylines, tags
        client.get("/feeds/latest/")
    ArticleFactory.create_batch(10, published=True, tags=2, authors=2)
    with django_assert_max_num_queries(3):
        client.get("/feeds/latest/")


def test_pages_advertise_their_feeds(client, db):
    ArtistFactory(name="IU", slug="iu")
    assert 'href="/feeds/latest/"' in client.get("/").content.decode()
    assert 'href="/artists/iu/feed/"' in client.get("/artists/iu/").content.decode()
    ArticleFactory(published=True).tags.add("Comeback")
    assert (
        'href="/tags/comeback/feed/"' in client.get("/tags/comeback/").content.decode()
    )
