"""The admin index's desk: per role, full width, no empty panels, fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ReactionReport
from tests.articles.factories import ArticleFactory, UserFactory, editor, writer
from tests.articles.reaction_factories import FanReactionFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/"


def desk_html(client, user) -> str:
    client.force_login(user)
    html = client.get(INDEX).content.decode()
    start = html.index('<section class="desk"')
    return html[start : html.index("</section>", start)]


def test_writer_sees_their_own_drafts_sent_back_review_and_published(client):
    alice = writer(username="alice")
    other = writer(username="bob")
    erin = editor(username="erin")
    ArticleFactory(created_by=alice, headline="Alice draft")
    ArticleFactory(created_by=other, headline="Bob draft")
    ArticleFactory(created_by=alice, headline="Alice in review", in_review=True)
    ArticleFactory(created_by=alice, headline="Alice live", published=True)
    sent = ArticleFactory(created_by=alice, headline="Alice fix", in_review=True)
    services.request_changes(article=sent, by=erin, note="Name the agency.")
    html = desk_html(client, alice)
    assert "Your desk" in html and "Editors’ desk" not in html
    for title in ("Sent back to you", "Your drafts", "Yours in review"):
        assert title in html
    assert "Yours, recently published" in html and "Alice live" in html
    assert "Name the agency." in html
    assert "Bob draft" not in html
    assert "Fan reactions" not in html  # not a writer's panel


def test_writer_with_nothing_sees_no_empty_panels(client):
    html = desk_html(client, writer(username="new"))
    assert 'class="desk__panel' not in html
    assert "Nothing needs you right now." in html


def test_editor_sees_review_oldest_first_with_the_writers_note(client):
    alice = writer(username="alice")
    erin = editor(username="erin")
    first = ArticleFactory(created_by=alice, headline="Older story")
    services.submit_for_review(article=first, by=alice, note="Fixed the dates.")
    second = ArticleFactory(created_by=alice, headline="Newer story")
    services.submit_for_review(article=second, by=alice)
    Article.objects.filter(pk=first.pk).update(
        updated_at=second.updated_at.replace(year=2025)
    )
    ArticleFactory(headline="Due soon", scheduled=True)
    # Published this moment: "an hour ago" was yesterday in Seoul between 00:00
    # and 01:00, when the site's day has just begun.
    ArticleFactory(headline="Out today", published=True, published_at=timezone.now())
    FanReactionFactory.create_batch(2)
    html = desk_html(client, erin)
    assert "Editors’ desk" in html
    assert html.index("Older story") < html.index("Newer story")
    assert "Fixed the dates." in html
    assert "Scheduled, next 24 hours" in html and "Due soon" in html
    assert "Published today" in html and "Out today" in html
    assert "<strong>2</strong> held for moderation" in html


def test_moderator_sees_counts_linking_to_the_filtered_queue(client):
    FanReactionFactory.create_batch(3)
    FanReactionFactory(status="spam")
    reported = FanReactionFactory(approved=True)
    ReactionReport.objects.create(reaction=reported, reason="spam", fingerprint="a")
    ArticleFactory(headline="Waiting", in_review=True)
    html = desk_html(client, UserFactory(group="Moderators"))
    assert "Moderation desk" in html and "Waiting" not in html
    queue = reverse("admin:articles_fanreaction_changelist")
    assert f'href="{queue}?status__exact=pending"><strong>3</strong> pending' in html
    assert f'href="{queue}?reported=open"><strong>1</strong> reported' in html
    assert f'href="{queue}?status__exact=spam"><strong>1</strong> in spam' in html


def test_desk_query_count_does_not_grow_with_stories(client):
    erin = editor(username="erin")
    client.force_login(erin)

    def fill(n):
        for _ in range(n):
            story = ArticleFactory(authors=2)
            services.submit_for_review(article=story, by=erin, note="n")
            ArticleFactory(scheduled=True, authors=1)

    fill(1)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    fill(8)
    with CaptureQueriesContext(connection) as many:
        client.get(INDEX)
    assert len(many) == len(few)
