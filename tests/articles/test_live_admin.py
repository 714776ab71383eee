"""The live desk: a compact form on the story's admin page, edit and remove."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from articles import live
from articles.admin.live import plain_text_as_html
from articles.models import LiveEntry
from tests.articles.factories import ArticleFactory, editor, writer
from tests.articles.live_factories import live_story

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def desk_url(story):
    return reverse("admin:articles_liveentry_desk", args=[story.pk])


def test_editor_posts_from_the_story_page_in_one_submit(client):
    erin = editor(username="erin")
    story = live_story()
    client.force_login(erin)
    page = client.get(change_url(story)).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)" class="live-desk__form"', page
    )
    assert form, "the compact form sits on the story's admin page"
    assert page.index("live-desk__form") < page.index('id="article_form"')
    response = client.post(
        form.group(1),
        {
            "text": "IU wins Album of the Year!\n\nhttps://x.com/iu/status/1750000000000000000",
            "is_key_event": "on",
            "key_title": "Album of the Year",
            "next": change_url(story),
        },
    )
    assert response.status_code == 302 and response["Location"] == change_url(story)
    entry = LiveEntry.objects.get(article=story)
    assert entry.is_key_event and entry.key_title == "Album of the Year"
    assert entry.body.startswith("<p>IU wins Album of the Year!</p>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "data-embed-card" in html  # the story body has none: the entry's post


def test_quick_text_is_escaped_not_markup():
    html = plain_text_as_html('<img src=x onerror=alert(1)>\nline two\n\n"방탄"')
    assert html == '<p>&lt;img src=x onerror=alert(1)&gt;<br>line two</p><p>"방탄"</p>'


def test_desk_lists_entries_with_edit_and_remove(client):
    erin = editor(username="erin")
    story = live_story()
    entry = live.post_live_entry(article=story, by=erin, body="<p>Typo here</p>")
    client.force_login(erin)
    page = client.get(desk_url(story)).content.decode()
    edit = reverse("admin:articles_liveentry_change", args=[entry.pk])
    remove = reverse("admin:articles_liveentry_remove", args=[entry.pk])
    assert edit in page and remove in page
    response = client.post(
        edit,
        {"body": "<p>Fixed here</p>", "key_title": "", "_save": "Save"},
    )
    assert response.status_code == 302, response.content[:2000]
    entry.refresh_from_db()
    assert entry.body == "<p>Fixed here</p>"
    assert client.post(remove).status_code == 302
    entry.refresh_from_db()
    assert entry.deleted_at is not None
    comments = {v.revision.comment for v in Version.objects.get_for_object(entry)}
    assert comments == {"Posted", "Edited", "Removed"}
    assert "removed" in client.get(desk_url(story)).content.decode()


def test_coverage_starts_and_ends_from_the_desk(client):
    erin = editor(username="erin")
    story = ArticleFactory(published=True)
    client.force_login(erin)
    assert "Start live coverage" in client.get(desk_url(story)).content.decode()
    coverage = reverse("admin:articles_liveentry_coverage", args=[story.pk])
    client.post(coverage, {"action": "start"})
    story.refresh_from_db()
    assert story.is_covered_live
    client.post(coverage, {"action": "end"})
    story.refresh_from_db()
    assert story.is_live_blog and not story.is_covered_live


def test_writer_posts_on_own_live_story_only(client):
    alice = writer(username="alice")
    own = live_story(created_by=alice)
    other = live_story(created_by=writer(username="bob"))
    client.force_login(alice)
    post = reverse("admin:articles_liveentry_post", args=[own.pk])
    assert client.post(post, {"text": "Mine"}).status_code == 302
    assert LiveEntry.objects.filter(article=own).count() == 1
    refused = reverse("admin:articles_liveentry_post", args=[other.pk])
    assert client.post(refused, {"text": "Not mine"}).status_code == 403
    assert client.get(desk_url(other)).status_code == 403
    assert not LiveEntry.objects.filter(article=other).exists()
    entry = live.post_live_entry(
        article=other, by=editor(username="erin"), body="<p>x</p>"
    )
    remove = reverse("admin:articles_liveentry_remove", args=[entry.pk])
    assert client.post(remove).status_code == 403


def test_next_never_leaves_the_admin(client):
    client.force_login(editor(username="erin"))
    story = live_story()
    post = reverse("admin:articles_liveentry_post", args=[story.pk])
    response = client.post(post, {"text": "x", "next": "https://evil.example/admin/"})
    assert response["Location"] == desk_url(story)
