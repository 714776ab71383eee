"""The story page's precompiled query answers exactly as the queryset would."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from articles.models import Article, Correction, Section, Source
from articles.views.article import live_story
from newsroom.precompiled import Placeholder, PrecompiledQuery
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def orm_story(slug: str) -> Article | None:
    return Article.objects.for_detail().published().filter(slug=slug).first()


def lists_of(story: Article) -> dict:
    return {
        "bylines": [b.author.display_name for b in story.bylines.all()],
        "tags": sorted(t.name for t in story.tags.all()),
        "artists": sorted(a.name for a in story.artists.all()),
        "sources": [(s.name, s.url) for s in story.sources.all()],
        "corrections": [c.note for c in story.corrections.all()],
        "posts": [p.pk for p in story.social_posts.all()],
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


def test_each_call_is_one_query_and_no_compiling(
    django_assert_num_queries, monkeypatch
):
    story = ArticleFactory(published=True, tags=["a", "b"], authors=1)
    live_story(story.slug)  # compiled here (once per process and database)
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *a, **k: compiled.append(1) or original(self, *a, **k),
    )
    with django_assert_num_queries(1):
        assert live_story(story.slug).pk == story.pk
    assert compiled == []


def test_a_placeholder_must_reach_the_parameters_exactly_once():
    slug_field = Article._meta.get_field("slug")
    query = PrecompiledQuery(
        lambda slug: Article.objects.filter(headline="x"),
        slug=Placeholder(slug_field, "never-used"),
    )
    with pytest.raises(ImproperlyConfigured, match="appears 0 times"):
        query.first(using="default", slug="a")
    twice = PrecompiledQuery(
        lambda slug: (
            Article.objects.filter(slug=slug) | Article.objects.filter(slug=slug)
        ),
        slug=Placeholder(slug_field, "twice"),
    )
    with pytest.raises(ImproperlyConfigured, match="appears 2 times"):
        twice.first(using="default", slug="a")
