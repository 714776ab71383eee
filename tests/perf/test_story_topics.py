"""The story-topic rows follow every way a story, its artists or its tags change."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, StoryTopic
from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="kept by PostgreSQL triggers: run with DATABASE_URL=postgres://...",
    ),
]


def topics(story: Article) -> set[tuple[str, int, datetime.datetime]]:
    return {
        (row.kind, row.topic_id, row.published_at)
        for row in StoryTopic.objects.filter(article_id=story.pk)
    }


def expected(story: Article) -> set[tuple[str, int, datetime.datetime]]:
    story.refresh_from_db()
    if story.status != Article.Status.PUBLISHED or story.published_at is None:
        return set()
    return {("a", a.pk, story.published_at) for a in story.artists.all()} | {
        ("t", t.pk, story.published_at) for t in story.tags.all()
    }


def test_a_published_story_has_its_artists_and_tags_and_a_draft_none():
    artist = ArtistFactory()
    story = ArticleFactory(published=True, tags=["IU", "Lilac"])
    story.artists.add(artist)
    draft = ArticleFactory(tags=["IU"])
    draft.artists.add(artist)
    assert topics(story) == expected(story) and len(topics(story)) == 3
    assert topics(draft) == set()


def test_publishing_rescheduling_and_archiving_move_the_rows():
    story = ArticleFactory(tags=["IU"])
    story.artists.add(ArtistFactory())
    assert topics(story) == set()
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert topics(story) == expected(story) and len(topics(story)) == 2
    later = timezone.now() + datetime.timedelta(days=1)
    Article.objects.filter(pk=story.pk).update(published_at=later)
    assert {row[2] for row in topics(story)} == {later}
    story.refresh_from_db()
    story.status = Article.Status.ARCHIVED
    story.save()
    assert topics(story) == set()


def test_adding_and_removing_artists_and_tags_follow():
    story = ArticleFactory(published=True, tags=["IU"])
    first, second = ArtistFactory(), ArtistFactory()
    story.artists.add(first, second)
    story.tags.add("Love wins all")
    assert topics(story) == expected(story) and len(topics(story)) == 4
    story.artists.remove(first)
    story.tags.remove("IU")
    assert topics(story) == expected(story) and len(topics(story)) == 2
    story.artists.clear()
    story.tags.clear()
    assert topics(story) == set()


def test_deleting_a_story_or_an_artist_removes_their_rows():
    artist = ArtistFactory()
    story = ArticleFactory(published=True, tags=["IU"])
    story.artists.add(artist)
    other = ArticleFactory(published=True)
    other.artists.add(artist)
    artist.delete()
    assert topics(other) == set()
    assert {row[0] for row in topics(story)} == {"t"}
    story_pk = story.pk
    story.delete()
    assert not StoryTopic.objects.filter(article_id=story_pk).exists()


def test_related_stories_come_from_the_topic_rows(django_assert_num_queries):
    artist = ArtistFactory()
    story = ArticleFactory(published=True, tags=["Lilac"])
    story.artists.add(artist)
    newest = ArticleFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(hours=1)
    )
    newest.artists.add(artist)
    story = Article.objects.for_detail().get(pk=story.pk)
    with django_assert_num_queries(1) as queries:
        related = Article.objects.related_to(story)
    assert [s.pk for s in related] == [newest.pk]
    assert "articles_storytopic" in queries.captured_queries[0]["sql"]
