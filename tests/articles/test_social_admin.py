"""Editors fix social posts in the admin; writers may add them but not change them."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article, SocialPost
from articles.social_urls import Platform
from newsroom.groups import EDITORS, WRITERS

pytestmark = pytest.mark.django_db

X_URL = "https://x.com/lilac_notes_fan/status/1750091641508766131"
CHANGELIST = "/admin/articles/socialpost/"


@pytest.fixture(autouse=True)
def _oembed_off(settings):
    settings.EMBEDS_OEMBED_ENABLED = False


def staff(group: str, username: str = "staffer") -> User:
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(staff(EDITORS, "editor"))
    return client


def make_post(**fields) -> SocialPost:
    values = {"platform": Platform.X, "post_id": "1750091641508766131", "url": X_URL}
    return SocialPost.objects.create(**(values | fields))


def test_changelist_lists_posts_and_shows_failed_fetches(editor_client):
    make_post(author_handle="lilac_notes_fan", text="Hello 안녕하세요")
    make_post(
        post_id="42",
        url="https://x.com/other/status/42",
        fetch_error="HTTP 500 from publish.twitter.com",
        fetched_at=timezone.now(),
    )
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "@lilac_notes_fan" in response.content.decode()
    failed = editor_client.get(CHANGELIST, {"fetch": "failed"})
    assert list(failed.context["cl"].queryset.values_list("post_id", flat=True)) == [
        "42"
    ]
    assert editor_client.get(CHANGELIST, {"q": "안녕"}).context["cl"].result_count == 1
    assert editor_client.get(CHANGELIST, {"platform__exact": "x"}).status_code == 200


def test_change_page_shows_the_fetch_error_and_the_stories(editor_client):
    post = make_post(fetch_error="timed out after 3 s", fetched_at=timezone.now())
    story = Article.objects.create(
        headline="IU <em>story</em>", slug="iu", body=f"<p>{X_URL}</p>"
    )
    assert list(post.articles.all()) == [story]
    html = editor_client.get(f"{CHANGELIST}{post.pk}/change/").content.decode()
    assert "Failed: timed out after 3 s" in html
    assert "IU &lt;em&gt;story&lt;/em&gt;" in html
    assert f"/admin/articles/article/{story.pk}/change/" in html


def test_editor_corrects_author_text_and_date(editor_client):
    post = make_post()
    response = editor_client.post(
        f"{CHANGELIST}{post.pk}/change/",
        {
            "author_name": "Lilac Notes",
            "author_handle": "lilac_notes_fan",
            "text": "Corrected words",
            "posted_at_0": "2024-01-24",
            "posted_at_1": "18:42:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.text == "Corrected words"
    assert post.posted_at.date() == datetime.date(2024, 1, 24)
    assert post.platform == "x" and post.post_id == "1750091641508766131"


def test_editor_adds_a_post_by_pasting_any_shape_of_its_url(editor_client):
    response = editor_client.post(
        f"{CHANGELIST}add/",
        {
            "pasted_url": "https://mobile.twitter.com/lilac_notes_fan/status/1750091641508766131?s=20",
            "author_name": "Lilac Notes",
            "text": "",
        },
    )
    assert response.status_code == 302
    post = SocialPost.objects.get()
    assert post.url == X_URL and post.platform == "x"
    assert post.posted_at.date() == datetime.date(2024, 1, 24)


def test_a_post_added_by_hand_is_fetched_when_oembed_is_on(
    editor_client, settings, django_capture_on_commit_callbacks
):
    settings.EMBEDS_OEMBED_ENABLED = True
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        "x": "",
        "youtube": "",
        "tiktok": "",
        "instagram": "",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        editor_client.post(f"{CHANGELIST}add/", {"pasted_url": X_URL})
    assert len(callbacks) == 1
    post = SocialPost.objects.get()
    assert post.fetch_error == "no oEmbed endpoint configured for x"
    assert post.fetched_at is not None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://x.com/lilac_notes_fan", "not a link to a single post"),
        ("https://x.com.evil.example/a/status/1", "not a link to a single post"),
        (X_URL, "already in the CMS"),
    ],
)
def test_adding_a_profile_or_a_duplicate_is_refused(editor_client, url, message):
    make_post(post_id="1750091641508766131")
    response = editor_client.post(f"{CHANGELIST}add/", {"pasted_url": url})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SocialPost.objects.count() == 1


def test_fetch_action_records_failures_for_editors(editor_client, settings):
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        "x": "",
        "youtube": "",
        "tiktok": "",
        "instagram": "",
    }
    post = make_post()
    response = editor_client.post(
        CHANGELIST,
        {"action": "fetch_details", "_selected_action": [post.pk]},
        follow=True,
    )
    assert "could not be fetched" in response.content.decode()
    post.refresh_from_db()
    assert post.fetch_error == "no oEmbed endpoint configured for x"


def test_writers_may_add_but_not_change_posts(client):
    client.force_login(staff(WRITERS, "writer"))
    post = make_post()
    assert client.get(CHANGELIST).status_code == 200
    assert client.get(f"{CHANGELIST}add/").status_code == 200
    response = client.post(f"{CHANGELIST}{post.pk}/change/", {"text": "hijack"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.text == ""
    changelist = client.get(CHANGELIST).content.decode()
    assert "fetch_details" not in changelist  # the action needs change rights
