"""The story list (tabs, order, columns) and the workflow around the story form."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import Article
from tests.articles.factories import ArticleFactory, editor, writer
from tests.articles.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db
LIST = "/admin/articles/article/"
Status = Article.Status


@pytest.fixture
def alice():
    return writer(username="alice")


@pytest.fixture
def erin():
    return editor(username="erin")


def test_tabs_show_counts_for_what_the_user_sees(client, erin, alice):
    ArticleFactory.create_batch(2)  # drafts
    ArticleFactory(created_by=erin)
    ArticleFactory(in_review=True)
    ArticleFactory(scheduled=True)
    ArticleFactory.create_batch(3, published=True)
    ArticleFactory(archived=True)
    client.force_login(erin)
    response = client.get(LIST)
    tabs = {t["label"]: t["count"] for t in response.context["status_tabs"]}
    assert tabs == {
        "Mine": 1,
        "Drafts": 3,
        "In review": 1,
        "Scheduled": 1,
        "Published": 3,
        "Archived": 1,
    }
    html = response.content.decode()
    assert 'href="?state=review"' in html and 'href="?mine=1"' in html
    mine = client.get(LIST + "?mine=1")
    assert [a.created_by for a in mine.context["cl"].result_list] == [erin]
    assert 'aria-current="page">Mine' in mine.content.decode()


def test_drafts_come_first_by_last_change_and_columns_fit(client, erin):
    live = ArticleFactory(published=True, headline="Live story")
    older = ArticleFactory(headline="Older draft")
    newer = ArticleFactory(headline="Newer draft")
    Article.objects.filter(pk=older.pk).update(
        updated_at=live.updated_at.replace(year=2025)
    )
    client.force_login(erin)
    response = client.get(LIST)
    assert list(response.context["cl"].result_list) == [newer, older, live]
    html = response.content.decode()
    assert "changed" in html and "published" in html
    assert "column-updated_at" not in html and "column-published_at" not in html


def test_story_list_query_count_does_not_grow(client, erin):
    client.force_login(erin)
    ArticleFactory.create_batch(2, authors=2)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    ArticleFactory.create_batch(12, authors=2)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_writer_withdraws_their_story_from_review(client, alice, erin):
    story = ArticleFactory(created_by=alice)
    services.submit_for_review(article=story, by=alice, note="Ready, I think.")
    client.force_login(alice)
    page = client.get(change_url(story)).content.decode()
    assert "Withdraw from review" in page
    url = reverse("admin:articles_article_withdraw", args=[story.pk])
    client.post(url)
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.transitions.first().from_status == Status.REVIEW
    # Not in review any more: a second withdrawal is refused and changes nothing.
    client.post(url)
    story.refresh_from_db()
    assert story.status == Status.DRAFT


def test_another_writer_cannot_withdraw(client, alice):
    story = ArticleFactory(created_by=alice, in_review=True)
    bob = writer(username="bob")
    with pytest.raises(services.PermissionDenied):
        services.withdraw_from_review(article=story, by=bob)
    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_editor_sees_the_latest_submission_note_at_the_top(client, alice, erin):
    story = ArticleFactory(created_by=alice)
    services.submit_for_review(article=story, by=alice, note="First try")
    services.request_changes(article=story, by=erin, note="Shorter")
    services.submit_for_review(article=story, by=alice, note="Cut it to 300 words.")
    client.force_login(erin)
    html = client.get(change_url(story)).content.decode()
    assert "Cut it to 300 words." in html and "First try" not in html
    assert html.index("Cut it to 300 words.") < html.index('name="headline"')


def test_request_changes_without_a_note_saves_nothing(client, alice, erin):
    story = ArticleFactory(created_by=alice, headline="Before")
    services.submit_for_review(article=story, by=alice)
    versions = Version.objects.get_for_object(story).count()
    client.force_login(erin)
    data = form_data(story, headline="After", _request_changes="Request changes")
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert "Nothing was saved: Say what needs to change" in response.content.decode()
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Before", Status.REVIEW)
    assert Version.objects.get_for_object(story).count() == versions
    # With the note, it goes through and saves.
    data["workflow_note"] = "Add the date."
    client.post(change_url(story), data)
    story.refresh_from_db()
    assert (story.headline, story.status) == ("After", Status.CHANGES_REQUESTED)
