"""Related stories: the one-query union keeps the rules the ORM version had."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article
from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory

pytestmark = pytest.mark.django_db


def _story(**kwargs) -> Article:
    return Article.objects.for_detail().get(pk=ArticleFactory(**kwargs).pk)


def _hours_ago(hours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def test_newest_sharing_an_artist_or_tag_once_each_and_only_live_ones():
    artist = ArtistFactory()
    story = ArticleFactory(published=True, tags=["Lilac"])
    story.artists.add(artist)
    both = ArticleFactory(published=True, tags=["Lilac"], published_at=_hours_ago(2))
    both.artists.add(artist)
    by_tag = ArticleFactory(published=True, tags=["Lilac"], published_at=_hours_ago(3))
    older = ArticleFactory(published=True, tags=["Lilac"], published_at=_hours_ago(50))
    ArticleFactory(tags=["Lilac"], headline="A draft")
    ArticleFactory(scheduled=True, tags=["Lilac"], headline="Not yet")
    ArticleFactory(published=True, tags=["Other"], headline="Unrelated")
    story = Article.objects.for_detail().get(pk=story.pk)
    with CaptureQueriesContext(connection) as queries:
        related = Article.objects.related_to(story, limit=3)
    assert len(queries) == 1
    assert [s.pk for s in related] == [both.pk, by_tag.pk, older.pk]
    assert related[0].headline == both.headline
    assert related[0].published_at == Article.objects.get(pk=both.pk).published_at


def test_hand_picked_win_and_unpublished_picks_stay_hidden():
    story = ArticleFactory(published=True, tags=["IU"])
    ArticleFactory(published=True, tags=["IU"])
    picked = ArticleFactory(published=True, published_at=_hours_ago(30))
    draft_pick = ArticleFactory()
    story.related_articles.add(picked, draft_pick)
    related = Article.objects.related_to(Article.objects.for_detail().get(pk=story.pk))
    assert [s.pk for s in related] == [picked.pk]


def test_a_tag_on_another_kind_of_object_with_the_same_id_does_not_leak():
    story = ArticleFactory(published=True, tags=["V"])
    lone = ArticleFactory(published=True)
    artist_type = ContentType.objects.get_for_model(ArtistFactory._meta.model)
    TaggedItem.objects.create(
        tag=Tag.objects.get(name="V"), content_type=artist_type, object_id=lone.pk
    )
    related = Article.objects.related_to(Article.objects.for_detail().get(pk=story.pk))
    assert related == []


def test_a_story_with_no_artists_or_tags_has_no_related():
    ArticleFactory(published=True)
    assert Article.objects.related_to(_story(published=True)) == []
