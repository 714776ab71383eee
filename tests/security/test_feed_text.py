"""Feeds carry plain text as text: a dek typed as markup never becomes markup.

RSS readers render an item's title and description (and the channel's) as HTML, so
those go out escaped; Atom says ``type="text"``. Checked with feedparser, which
reads feeds the way aggregators do, on the latest, per-artist and per-tag feeds.
"""

from __future__ import annotations

import html

import feedparser
import pytest

from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<img src=x onerror=alert(1)>"
DEK = f"IU answers {HOSTILE} & more"
HEADLINE = "IU on <b>Love wins all</b> & V"
NAME = "<script>alert(2)</script>"


@pytest.fixture
def hostile_story(db):
    artist = ArtistFactory(name=f"V {NAME}", slug="v")
    story = ArticleFactory(headline=HEADLINE, dek=DEK, published=True)
    story.artists.add(artist)
    story.tags.add(f"tag {NAME}")
    return story


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


def shown(detail) -> str:
    """What a reader displays for a feedparser text construct: HTML is rendered,
    so it must hold no element at all, only text (and character references)."""
    if detail.type == "text/html":
        assert "<" not in detail.value, f"markup reached the reader: {detail.value!r}"
        return html.unescape(detail.value)
    assert detail.type == "text/plain", detail.type
    return detail.value


def feed_urls(story) -> list[str]:
    tag = story.tags.get()
    return [
        "/feeds/latest/",
        "/feeds/latest/atom/",
        "/artists/v/feed/",
        f"/tags/{tag.slug}/feed/",
    ]


def test_a_hostile_dek_is_shown_as_its_characters_in_every_feed(client, hostile_story):
    for url in feed_urls(hostile_story):
        response, feed = parse(client, url)
        [item] = feed.entries
        assert shown(item.summary_detail) == DEK, url
        assert shown(item.title_detail) == HEADLINE, url
        # No element in the document, whatever the reader does with entities.
        assert b"<img" not in response.content, url
        assert b"<b>" not in response.content, url


def test_rss_escapes_title_and_description_for_html_rendering_readers(
    client, hostile_story
):
    response, feed = parse(client, "/feeds/latest/")
    [item] = feed.entries
    assert item.summary_detail.type == "text/html"  # RSS: readers render HTML
    assert item.summary == html.escape(DEK, quote=False)
    assert "onerror" not in html.unescape(item.summary).replace(HOSTILE, "")


def test_atom_says_the_summary_is_text(client, hostile_story):
    response, feed = parse(client, "/feeds/latest/atom/")
    assert b'<summary type="text">' in response.content
    assert b'type="html"' not in response.content
    [item] = feed.entries
    assert item.summary_detail.type == "text/plain"
    assert item.summary == DEK
    assert item.title_detail.type == "text/plain"
    assert item.title == HEADLINE


def test_artist_and_tag_names_in_channel_titles_are_text(client, hostile_story):
    tag = hostile_story.tags.get()
    for url in ("/artists/v/feed/", f"/tags/{tag.slug}/feed/"):
        response, feed = parse(client, url)
        assert NAME in shown(feed.feed.title_detail), url
        assert NAME in shown(feed.feed.subtitle_detail), url
        assert b"<script" not in response.content, url


def test_a_story_without_a_dek_still_has_a_text_description(client, db):
    ArticleFactory(headline="Plain & simple", dek="", published=True)
    for url in ("/feeds/latest/", "/feeds/latest/atom/"):
        _, feed = parse(client, url)
        [item] = feed.entries
        assert shown(item.summary_detail) == "Plain & simple", url
