"""The story's small lists carried as JSON come back as the same model instances."""

import datetime
import pickle

import pytest
from django.utils import timezone

from articles.models import STORY_LISTS, Article, Correction, SocialPost, Source
from tests.articles.factories import ArticleFactory, AuthorFactory
from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def detail(story) -> Article:
    return Article.objects.for_detail().get(pk=story.pk)


def described(story: Article) -> dict:
    """What a page shows of each list, comparable across ways of loading them."""
    return {
        "bylines": [(b.author.display_name, b.author.slug) for b in story.byline_list],
        "sources": [(s.name, s.url, s.position) for s in story.source_list],
        "corrections": [(c.note, c.noted_at) for c in story.correction_list],
        "tags": [(t.name, t.slug) for t in story.tag_list],
        "artists": [(a.name, a.slug, a.photo.name) for a in story.artist_list],
        "releases": [(r.title, r.released_on) for r in story.release_list],
        "posts": [(p.platform, p.post_id, p.text) for p in story.social_post_list],
    }


def test_text_survives_the_round_trip_exactly():
    story = ArticleFactory(published=True, tags=["케이팝", 'quote "me"'])
    author = AuthorFactory(display_name='이지은 "IU" <b>& 💜</b>', role="Editor")
    story.bylines.create(author=author)
    Source.objects.create(article=story, name="Agency's note \\ 🎤", url="")
    loaded = detail(story)
    assert [b.author.display_name for b in loaded.byline_list] == [author.display_name]
    assert loaded.byline_list[0].author.role == "Editor"
    assert [s.name for s in loaded.source_list] == ["Agency's note \\ 🎤"]
    assert [t.name for t in loaded.tag_list] == ["케이팝", 'quote "me"']


def test_datetimes_come_back_aware_and_equal():
    story = ArticleFactory(published=True)
    noted = timezone.now().replace(microsecond=123456) - datetime.timedelta(days=1)
    Correction.objects.create(article=story, note="Fixed.", noted_at=noted)
    (correction,) = detail(story).correction_list
    assert timezone.is_aware(correction.noted_at)
    assert correction.noted_at == noted


def test_lists_are_ordered_as_the_models_order_them():
    story = ArticleFactory(published=True)
    later, first = AuthorFactory(), AuthorFactory()
    story.bylines.create(author=later, position=2)
    story.bylines.create(author=first, position=1)
    old, new = (
        ReleaseFactory(released_on=datetime.date(2021, 3, 25)),
        ReleaseFactory(released_on=datetime.date(2024, 2, 20)),
    )
    story.releases.add(old, new)
    loaded = detail(story)
    assert [b.author for b in loaded.byline_list] == [first, later]
    assert [r.pk for r in loaded.release_list] == [new.pk, old.pk]


def test_carried_and_queried_lists_are_the_same():
    story = ArticleFactory(
        published=True, tags=["IU", "ballad"], artists=2, authors=2, sources=2
    )
    story.releases.add(ReleaseFactory())
    Correction.objects.create(article=story, note="A date.", noted_at=timezone.now())
    post = SocialPost.objects.create(
        platform="x",
        post_id="1760000000000000001",
        url="https://x.com/newsroom/status/1760000000000000001",
        text="사랑은 이긴다 💜",
    )
    story.social_posts.add(post)
    ArticleFactory(published=True, tags=["IU", "other"], artists=1, authors=1)
    carried = described(detail(story))
    queried = described(Article.objects.get(pk=story.pk))
    assert carried == queried
    assert all(carried.values())


def test_reading_the_lists_costs_no_query(django_assert_num_queries):
    story = ArticleFactory(published=True, tags=2, artists=2, authors=2, sources=1)
    loaded = detail(story)
    with django_assert_num_queries(0):
        names = [b.author.display_name for b in loaded.byline_list]
        assert len(names) == 2 and all(b.article is loaded for b in loaded.byline_list)
        assert len(loaded.artist_list) == 2 and len(loaded.tag_list) == 2
        assert loaded.correction_list == [] and loaded.release_list == []
        assert loaded.social_post_list == []


def test_a_story_fetched_without_its_lists_reads_each_once(django_assert_num_queries):
    story = ArticleFactory(published=True, tags=2, authors=2)
    plain = Article.objects.get(pk=story.pk)
    with django_assert_num_queries(len(STORY_LISTS)):
        for name in STORY_LISTS:
            getattr(plain, name)
    with django_assert_num_queries(0):
        assert len(plain.byline_list) == 2 and len(plain.tag_list) == 2


def test_a_field_not_carried_is_loaded_on_demand_not_faked(django_assert_num_queries):
    story = ArticleFactory(published=True)
    story.bylines.create(author=AuthorFactory(bio="Covers idol groups."))
    author = detail(story).byline_list[0].author
    with django_assert_num_queries(1):
        assert author.bio == "Covers idol groups."


def test_listings_still_count_and_distinct():
    for _ in range(3):
        ArticleFactory(published=True, authors=2, tags=["pop", "ballad"])
    stories = Article.objects.published().for_listing()
    assert stories.count() == 3
    assert stories.filter(tags__name__in=["pop", "ballad"]).distinct().count() == 3
    assert len(list(stories.filter(tags__name__in=["pop", "ballad"]).distinct())) == 3


def test_a_tag_of_another_kind_of_object_is_not_the_storys():
    from django.contrib.auth.models import Group
    from taggit.models import Tag, TaggedItem

    story = ArticleFactory(published=True, tags=["IU"])
    other = Tag.objects.create(name="staff only", slug="staff-only")
    group = Group.objects.create(name="tagged group")
    TaggedItem.objects.create(tag=other, content_object=group, object_id=story.pk)
    assert [t.name for t in detail(story).tag_list] == ["IU"]
    assert [t.name for t in Article.objects.get(pk=story.pk).tag_list] == ["IU"]


def test_a_story_with_carried_lists_can_be_pickled():
    story = ArticleFactory(published=True, tags=["IU"], authors=1)
    (loaded,) = Article.objects.for_detail().filter(pk=story.pk)
    copy = pickle.loads(pickle.dumps(loaded))
    assert [t.name for t in copy.tag_list] == ["IU"]


def test_artists_come_in_the_artists_order():
    story = ArticleFactory(published=True)
    story.artists.add(ArtistFactory(name="V"), ArtistFactory(name="BTS"))
    assert [a.name for a in detail(story).artist_list] == ["BTS", "V"]
