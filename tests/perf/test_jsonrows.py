"""The story's small lists carried as JSON come back as the same model instances."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Correction, Source
from tests.articles.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def detail(story) -> Article:
    return Article.objects.for_detail().get(pk=story.pk)


def test_text_survives_the_round_trip_exactly():
    story = ArticleFactory(published=True, tags=["케이팝", 'quote "me"'])
    author = AuthorFactory(display_name='이지은 "IU" <b>& 💜</b>', role="Editor")
    story.bylines.create(author=author)
    Source.objects.create(article=story, name="Agency's note \\ 🎤", url="")
    loaded = detail(story)
    assert [b.author.display_name for b in loaded.bylines.all()] == [
        author.display_name
    ]
    assert loaded.bylines.all()[0].author.role == "Editor"
    assert [s.name for s in loaded.sources.all()] == ["Agency's note \\ 🎤"]
    assert sorted(t.name for t in loaded.tags.all()) == ['quote "me"', "케이팝"]


def test_datetimes_come_back_aware_and_equal():
    story = ArticleFactory(published=True)
    noted = timezone.now().replace(microsecond=123456) - datetime.timedelta(days=1)
    Correction.objects.create(article=story, note="Fixed.", noted_at=noted)
    (correction,) = detail(story).corrections.all()
    assert timezone.is_aware(correction.noted_at)
    assert correction.noted_at == noted


def test_lists_are_ordered_as_the_models_order_them():
    story = ArticleFactory(published=True)
    later, first = AuthorFactory(), AuthorFactory()
    story.bylines.create(author=later, position=2)
    story.bylines.create(author=first, position=1)
    loaded = detail(story)
    assert [b.author for b in loaded.bylines.all()] == [first, later]


def test_reading_the_lists_costs_no_query(django_assert_num_queries):
    story = ArticleFactory(published=True, tags=2, artists=2, authors=2, sources=1)
    loaded = detail(story)
    with django_assert_num_queries(0):
        names = [b.author.display_name for b in loaded.bylines.all()]
        assert len(names) == 2 and all(
            b.article is loaded for b in loaded.bylines.all()
        )
        assert len(loaded.artists.all()) == 2 and len(loaded.tags.all()) == 2
        assert (
            list(loaded.corrections.all()) == [] and list(loaded.releases.all()) == []
        )
        assert list(loaded.social_posts.all()) == []


def test_a_field_not_carried_is_loaded_on_demand_not_faked(django_assert_num_queries):
    story = ArticleFactory(published=True)
    story.bylines.create(author=AuthorFactory(bio="Covers idol groups."))
    author = detail(story).bylines.all()[0].author
    with django_assert_num_queries(1):
        assert author.bio == "Covers idol groups."


def test_listings_still_count_and_distinct():
    for _ in range(3):
        ArticleFactory(published=True, authors=2, tags=["pop", "ballad"])
    stories = Article.objects.published().for_listing()
    assert stories.count() == 3
    assert stories.filter(tags__name__in=["pop", "ballad"]).distinct().count() == 3
    assert len(list(stories.filter(tags__name__in=["pop", "ballad"]).distinct())) == 3


def test_going_on_from_a_carried_list_asks_about_this_story_only(
    django_assert_num_queries,
):
    story = ArticleFactory(published=True, tags=["IU", "ballad", "live"], authors=1)
    ArticleFactory(published=True, tags=["IU", "other"], authors=2)
    (loaded,) = Article.objects.for_detail().filter(pk=story.pk)
    with django_assert_num_queries(0):
        assert sorted(t.name for t in loaded.tags.all()) == ["IU", "ballad", "live"]
        assert loaded.tags.all().count() == 3
    with django_assert_num_queries(1):
        narrowed = loaded.tags.all().filter(name__in=["IU", "other"])
        assert [t.name for t in narrowed] == ["IU"]
    with django_assert_num_queries(1):
        assert loaded.bylines.all().filter(position__gte=0).count() == 1


def test_a_story_with_carried_lists_can_be_pickled():
    import pickle

    story = ArticleFactory(published=True, tags=["IU"], authors=1)
    (loaded,) = Article.objects.for_detail().filter(pk=story.pk)
    copy = pickle.loads(pickle.dumps(loaded))
    assert [t.name for t in copy.tags.all()] == ["IU"]
    assert copy.tags.all().filter(name="IU").count() == 1
