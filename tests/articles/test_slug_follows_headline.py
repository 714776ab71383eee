"""The slug follows the headline until first publication, in Article.save."""

import pytest

from articles import services
from articles.models import Article, ArticleSlugHistory
from tests.articles.factories import ArticleFactory, editor

pytestmark = pytest.mark.django_db


def test_draft_slug_follows_a_fixed_headline():
    story = ArticleFactory(headline="Stage test 1", slug="")
    assert story.slug == "stage-test-1"
    story.headline = "IU opens her world tour in Seoul"
    story.save()
    assert story.slug == "iu-opens-her-world-tour-in-seoul"
    assert not story.slug_is_manual
    assert not ArticleSlugHistory.objects.filter(article=story).exists()


def test_headline_saved_with_update_fields_moves_the_slug_too():
    story = ArticleFactory(headline="Draft title", slug="")
    story.headline = "아이유 새 앨범"
    story.save(update_fields=["headline"])
    story.refresh_from_db()
    assert story.slug == "아이유-새-앨범"


def test_a_typed_slug_stops_following_and_an_emptied_one_follows_again():
    story = ArticleFactory(headline="First try", slug="")
    story.slug = "my-own-address"
    story.save()
    assert story.slug_is_manual
    story.headline = "Second try"
    story.save()
    assert story.slug == "my-own-address"
    story.slug = ""
    story.save()
    assert (story.slug, story.slug_is_manual) == ("second-try", False)
    story.headline = "Third try"
    story.save()
    assert story.slug == "third-try"


def test_following_slug_stays_unique():
    ArticleFactory(headline="Taken", slug="taken")
    story = ArticleFactory(headline="Other", slug="")
    story.headline = "Taken"
    story.save()
    assert story.slug == "taken-2"


def test_published_slug_is_frozen_and_a_change_keeps_its_301():
    story = ArticleFactory(headline="Before publication", slug="")
    services.publish_article(article=story, by=editor())
    story.refresh_from_db()
    story.headline = "After publication"
    story.save()
    assert story.slug == "before-publication"
    story.slug = "after-publication"
    story.save()
    assert ArticleSlugHistory.objects.get(slug="before-publication").article == story
    assert Article.objects.get(pk=story.pk).slug == "after-publication"
