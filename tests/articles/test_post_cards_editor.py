"""Post cards in the editor at once, posts missing their words, writers filling in."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import SocialPost
from discography.models import ReleaseCredit
from tests.articles.factories import (
    ArticleFactory,
    ArtistFactory,
    ReleaseFactory,
    TrackFactory,
    editor,
    writer,
)

pytestmark = pytest.mark.django_db
X_URL = "https://x.com/lilacnotes/status/1762049872336609286"
TIKTOK_URL = "https://www.tiktok.com/@newjeans_official/video/7341170395049774344"


def cards_url(story=None):
    if story is None:
        return reverse("admin:articles_article_post_cards_new")
    return reverse("admin:articles_article_post_cards", args=[story.pk])


def fill_url(story, post):
    return reverse("admin:articles_article_fill_in_post", args=[story.pk, post.pk])


def test_a_pasted_url_gets_its_card_at_once_from_the_address_alone(client):
    client.force_login(writer())
    body = f"<p>Before</p><p>{X_URL}</p><p>{TIKTOK_URL}</p>"
    html = client.post(cards_url(), {"body": body}).json()["html"]
    assert "@lilacnotes" in html and "26 Feb 2024" in html and "View on X" in html
    assert "@newjeans_official" in html and "TikTok" in html
    assert "2 posts without their text" in html
    assert "save the story, then fill in" in html
    assert not SocialPost.objects.exists()  # nothing stored before the story is


def test_the_writer_fills_in_a_post_of_her_story_recorded_as_an_edit(client):
    alice = writer()
    story = ArticleFactory(created_by=alice, body=f"<p>{X_URL}</p>")
    post = SocialPost.objects.get()
    assert post.author_handle == "lilacnotes" and post.is_missing_text
    client.force_login(alice)
    html = client.post(cards_url(story), {"body": story.body}).json()["html"]
    assert fill_url(story, post) in html and "1 post without its text" in html
    response = client.post(
        fill_url(story, post),
        {"author_name": "Lilac Notes", "author_handle": "@other", "text": "고마워요 V"},
    )
    assert response.json()["changed"] == ["author_name", "text"]  # handle was set
    post.refresh_from_db()
    assert (post.author_name, post.author_handle, post.text) == (
        "Lilac Notes",
        "lilacnotes",
        "고마워요 V",
    )
    entry = LogEntry.objects.get()
    assert entry.user == alice and entry.object_id == str(post.pk)
    assert "author name" in entry.get_change_message()
    # Filled once, a writer no longer replaces it; an editor may.
    client.post(fill_url(story, post), {"text": "Something else"})
    post.refresh_from_db()
    assert post.text == "고마워요 V"
    client.force_login(editor())
    client.post(fill_url(story, post), {"text": "Corrected by the desk"})
    post.refresh_from_db()
    assert post.text == "Corrected by the desk"


def test_only_posts_of_the_story_and_only_its_editors(client):
    alice = writer()
    story = ArticleFactory(created_by=alice, body=f"<p>{X_URL}</p>")
    other = ArticleFactory(created_by=writer(), body=f"<p>{TIKTOK_URL}</p>")
    tiktok = SocialPost.objects.get(platform="tiktok")
    client.force_login(alice)
    assert client.post(fill_url(story, tiktok), {"text": "x"}).status_code == 404
    post = SocialPost.objects.get(platform="x")
    client.force_login(other.created_by)
    assert client.post(fill_url(story, post), {"text": "x"}).status_code in (302, 404)
    post.refresh_from_db()
    assert post.text == "" and not LogEntry.objects.exists()


def test_tracks_are_chosen_by_title_release_or_artist_with_both_shown(
    client, django_assert_max_num_queries
):
    iu = ArtistFactory(name="IU")
    winning = ReleaseFactory(
        title="The Winning", released_on=datetime.date(2024, 2, 20)
    )
    ReleaseCredit.objects.create(release=winning, artist=iu)
    TrackFactory(release=winning, title="Love wins all", position=1)
    TrackFactory(release=ReleaseFactory(title="Other"), title="Intro", position=1)
    url = reverse("admin:articles_article_track_choices")
    client.force_login(writer())
    client.get(url, {"term": "x"})
    with django_assert_max_num_queries(8):
        results = client.get(url, {"term": "iu"}).json()["results"]
    assert [r["text"] for r in results] == ["Love wins all — The Winning · IU, 2024"]
    assert client.get(url, {"term": "love"}).json()["results"] == results
    story = ArticleFactory(created_by=writer())
    client.force_login(story.created_by)
    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert url in page.content.decode()  # the select2 widget asks this search
