"""One "live" rule (approved and due); every copy of it answers as it does.

``articles.models.live()`` states it; ``published()``, ``scheduled()``,
``Article.is_live``, the related-stories statements and (on PostgreSQL) the
story-topic triggers each repeat it in their own language, and are held to it here
over stories in every state.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, StoryTopic, approved, live
from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def stories():
    """A story in each state readers might or might not see, sharing one artist and
    one tag (and picked as related) with a live subject story."""
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    states = {
        "draft": (Status.DRAFT, None),
        "draft once published": (Status.DRAFT, now - hour),
        "in review": (Status.REVIEW, None),
        "changes requested": (Status.CHANGES_REQUESTED, now - hour),
        "live": (Status.PUBLISHED, now - hour),
        "live a second ago": (Status.PUBLISHED, now - datetime.timedelta(seconds=1)),
        "scheduled": (Status.PUBLISHED, now + hour),
        "scheduled far ahead": (Status.PUBLISHED, now + 100 * hour),
        "published without a time": (Status.PUBLISHED, None),
        "archived": (Status.ARCHIVED, now - 2 * hour),
    }
    artist = ArtistFactory(name="IU")
    subject = ArticleFactory(published=True, tags=["Love wins all"])
    subject.artists.add(artist)
    made = {}
    for label, (status, published_at) in states.items():
        story = ArticleFactory(headline=label, tags=["Love wins all"])
        story.artists.add(artist)
        # The states are written as they are stored (the services are tested apart).
        Article.objects.filter(pk=story.pk).update(
            status=status, published_at=published_at
        )
        made[label] = Article.objects.get(pk=story.pk)
    return subject, made


def labels(found) -> set[str]:
    return {story.headline for story in found}


def expected_live(made, at) -> set[str]:
    return {
        label
        for label, story in made.items()
        if story.status == Status.PUBLISHED
        and story.published_at is not None
        and story.published_at <= at
    }


def test_published_is_the_rule(stories):
    subject, made = stories
    now = timezone.now()
    found = Article.objects.published(at=now).exclude(pk=subject.pk)
    assert labels(found) == expected_live(made, now) == {"live", "live a second ago"}
    assert labels(Article.objects.filter(live(now)).exclude(pk=subject.pk)) == labels(
        found
    )


def test_the_in_memory_rule_agrees(stories):
    _, made = stories
    live_now = labels(Article.objects.published())
    for label, story in made.items():
        assert story.is_live is (label in live_now), label
        assert story.is_scheduled is (label in {"scheduled", "scheduled far ahead"})


def test_scheduled_is_approved_but_not_yet_due(stories):
    subject, made = stories
    assert labels(Article.objects.scheduled()) == {"scheduled", "scheduled far ahead"}
    approved_now = labels(Article.objects.filter(approved()).exclude(pk=subject.pk))
    assert approved_now == labels(Article.objects.scheduled()) | expected_live(
        made, timezone.now()
    )
    assert Article.objects.next_go_live() == made["scheduled"].published_at


def test_related_stories_by_topic_are_live_ones_only(stories):
    subject, made = stories
    related = Article.objects.related_to(subject, limit=50)
    assert labels(related) == expected_live(made, timezone.now())


def test_hand_picked_related_stories_are_live_ones_only(stories):
    subject, made = stories
    subject.related_articles.set(made.values())
    related = Article.objects.related_to(subject, limit=50)
    assert labels(related) == expected_live(made, timezone.now())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="kept by PostgreSQL triggers"
)
def test_the_story_topic_triggers_keep_exactly_the_approved_stories(stories):
    subject, made = stories
    kept = set(StoryTopic.objects.values_list("article_id", flat=True).distinct()) - {
        subject.pk
    }
    expected = set(
        Article.objects.filter(approved())
        .exclude(pk=subject.pk)
        .values_list("pk", flat=True)
    )
    assert kept == expected
    assert {made[label].pk for label in ("live", "scheduled")} <= kept
