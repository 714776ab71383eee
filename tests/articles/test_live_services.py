"""Posting, editing and removing live entries: rights, sanitizing and the audit trail."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from reversion.models import Version

from articles import live, live_updates
from articles.models import Article, Byline, LiveEntry, Transition
from articles.social_demo import DEMO_POST_URLS
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    editor,
    image_file,
    writer,
)
from tests.articles.live_factories import live_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin():
    return editor(username="erin")


def test_editor_starts_coverage_posts_and_ends_it(erin):
    story = ArticleFactory(published=True)
    live.start_live_coverage(article=story, by=erin)
    story.refresh_from_db()
    assert story.is_live_blog and story.is_covered_live
    assert story.coverage_started_at is not None
    entry = live.post_live_entry(article=story, by=erin, body="<p>Doors open.</p>")
    assert entry.created_at == entry.updated_at
    assert [a.user for a in entry.authors.all()] == [erin]
    live.end_live_coverage(article=story, by=erin)
    story.refresh_from_db()
    assert story.coverage_ended_at is not None and not story.is_covered_live
    notes = list(
        Transition.objects.filter(article=story)
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == ["Live coverage started.", "Live coverage ended."]


def test_entry_body_is_sanitized_like_a_story_body(erin):
    story = live_story()
    entry = live.post_live_entry(
        article=story,
        by=erin,
        body='<p onclick="x()">Hi <script>alert(1)</script><b>방탄</b></p>',
    )
    assert entry.body == "<p>Hi <b>방탄</b></p>"
    with pytest.raises(ValidationError):
        live.post_live_entry(article=story, by=erin, body="<p> </p><script></script>")


def test_key_event_needs_a_title(erin):
    story = live_story()
    with pytest.raises(ValidationError):
        live.post_live_entry(article=story, by=erin, body="<p>x</p>", is_key_event=True)


def test_edit_and_remove_are_recorded_and_move_the_cursor(erin):
    story = live_story()
    entry = live.post_live_entry(article=story, by=erin, body="<p>First</p>")
    first = entry.updated_at
    live.edit_live_entry(
        entry=entry, by=erin, body="<p>Fixed</p>", is_key_event=True, key_title="Win"
    )
    entry.refresh_from_db()
    assert entry.body == "<p>Fixed</p>" and entry.updated_at > first
    live.remove_live_entry(entry=entry, by=erin)
    entry.refresh_from_db()
    assert entry.deleted_at is not None and entry.updated_at >= entry.deleted_at
    comments = [
        v.revision.comment for v in Version.objects.get_for_object(entry).order_by("pk")
    ]
    assert comments == ["Posted", "Edited", "Removed"]
    assert {v.revision.user for v in Version.objects.get_for_object(entry)} == {erin}
    with pytest.raises(ValidationError):
        live.edit_live_entry(entry=entry, by=erin, body="<p>again</p>")


def test_pinning_one_entry_unpins_the_other(erin):
    story = live_story()
    one = live.post_live_entry(article=story, by=erin, body="<p>1</p>", is_pinned=True)
    two = live.post_live_entry(article=story, by=erin, body="<p>2</p>", is_pinned=True)
    pinned = LiveEntry.objects.filter(article=story, is_pinned=True)
    assert list(pinned.values_list("pk", flat=True)) == [two.pk]
    one.refresh_from_db()
    assert one.updated_at >= two.created_at  # readers' pages hear of the unpin


def test_writer_posts_on_own_story_but_not_on_others():
    alice, bob = writer(username="alice"), writer(username="bob")
    own = live_story(created_by=alice)
    bylined = live_story(created_by=bob)
    Byline.objects.create(article=bylined, author=AuthorFactory(user=alice))
    other = live_story(created_by=bob)
    assert live.post_live_entry(article=own, by=alice, body="<p>mine</p>")
    assert live.post_live_entry(article=bylined, by=alice, body="<p>byline</p>")
    with pytest.raises(PermissionDenied):
        live.post_live_entry(article=other, by=alice, body="<p>not mine</p>")
    with pytest.raises(PermissionDenied):
        live.remove_live_entry(
            entry=LiveEntry.objects.get(article=own), by=writer(username="carol")
        )


def test_readers_and_moderators_cannot_post():
    story = live_story()
    moderator = writer(username="mo")
    moderator.groups.clear()
    for user in (AnonymousUser(), moderator):
        with pytest.raises(PermissionDenied):
            live.post_live_entry(article=story, by=user, body="<p>x</p>")


def test_entries_need_live_coverage(erin):
    story = ArticleFactory(published=True)
    with pytest.raises(ValidationError):
        live.post_live_entry(article=story, by=erin, body="<p>x</p>")
    assert not Article.objects.get(pk=story.pk).is_live_blog


def test_a_photo_entry_needs_alt_text_and_gets_renditions(erin):
    story = live_story()
    picture = ContentFile(image_file(900, 500), name="hall.jpg")
    with pytest.raises(ValidationError):
        live.post_live_entry(article=story, by=erin, body="", photo=picture)
    entry = live.post_live_entry(
        article=story,
        by=erin,
        body="",
        photo=ContentFile(image_file(900, 500), name="hall.jpg"),
        photo_alt="Fans with light sticks",
    )
    entry.refresh_from_db()
    assert entry.photo_width == 900 and entry.photo_renditions
    html = live_updates.entry_html(entry)
    assert 'alt="Fans with light sticks"' in html and "srcset=" in html


@pytest.mark.django_db(transaction=True)  # the request's transaction, fresh
def test_the_updates_mark_precedes_the_page_cache_invalidation_at_commit(
    erin, settings
):
    # Else a poll between the two could be stored as current for the new pages.
    settings.PAGE_CACHE_ENABLED = True
    story = live_story()
    with transaction.atomic():
        live.post_live_entry(article=story, by=erin, body=f"<p>{DEMO_POST_URLS[0]}</p>")
        names = [
            getattr(func, "__qualname__", type(func).__name__)
            for _, func, _ in connection.run_on_commit
        ]
    assert names[0].startswith("_announce") and "_commit_flusher" in names
