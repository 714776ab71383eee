"""The story page's query answers exactly as the queryset would."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Correction, Section, Source
from articles.views.article import live_story
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def orm_story(slug: str) -> Article | None:
    return Article.objects.for_detail().published().filter(slug=slug).first()


def lists_of(story: Article) -> dict:
    return {
        "bylines": [b.author.display_name for b in story.byline_list],
        "tags": sorted(t.name for t in story.tag_list),
        "artists": sorted(a.name for a in story.artist_list),
        "sources": [(s.name, s.url) for s in story.source_list],
        "corrections": [c.note for c in story.correction_list],
        "posts": [p.pk for p in story.social_post_list],
    }


def test_a_live_story_comes_back_as_the_orm_gives_it():
    section = Section.objects.create(name="인터뷰", slug="인터뷰-섹션")
    story = ArticleFactory(
        published=True,
        headline="아이유 인터뷰",
        slug="아이유-인터뷰",
        section=section,
        authors=2,
        tags=["IU", "Love wins all"],
        artists=2,
    )
    Source.objects.create(article=story, name="Marie Claire Korea", position=1)
    Correction.objects.create(
        article=story, note="A date was wrong.", noted_at=timezone.now()
    )
    found = live_story("아이유-인터뷰")
    expected = orm_story("아이유-인터뷰")
    assert found is not None and found.pk == expected.pk == story.pk
    assert found.section.name == "인터뷰"
    assert {f.attname: getattr(found, f.attname) for f in Article._meta.fields} == {
        f.attname: getattr(expected, f.attname) for f in Article._meta.fields
    }
    assert lists_of(found) == lists_of(expected)
    assert len(lists_of(found)["bylines"]) == 2
    assert lists_of(found)["sources"] == [("Marie Claire Korea", "")]


@pytest.mark.parametrize("state", ["scheduled", "in_review", "archived"])
def test_stories_readers_may_not_see_are_not_found(state):
    story = ArticleFactory(**{state: True})
    assert orm_story(story.slug) is None
    assert live_story(story.slug) is None


def test_an_unknown_address_is_not_found():
    ArticleFactory(published=True, slug="known")
    assert live_story("unknown") is None


def test_the_moment_is_bound_on_every_call():
    story = ArticleFactory(
        published=True, published_at=timezone.now() + datetime.timedelta(seconds=60)
    )
    assert live_story(story.slug) is None  # scheduled a minute from now
    Article.objects.filter(pk=story.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert live_story(story.slug).pk == story.pk


def test_each_call_is_one_query(django_assert_num_queries):
    story = ArticleFactory(published=True, tags=["a", "b"], authors=1, artists=1)
    with django_assert_num_queries(1):
        found = live_story(story.slug)
        assert [t.name for t in found.tag_list] == ["a", "b"]
        assert len(found.byline_list) == 1 and len(found.artist_list) == 1
