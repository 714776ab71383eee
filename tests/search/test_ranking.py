"""Stories holding the words as the reader typed them rank above those found only
through a correction or another name (search.forgive), on every backend."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from search import engine
from search.backends.portable import PortableBackend
from search.query import parse_query
from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory
from tests.search.test_search_page import search, story_headlines

pytestmark = pytest.mark.django_db


def _story(headline: str, *, hours_ago: int, body: str = "<p>News.</p>") -> Article:
    return ArticleFactory(
        headline=headline,
        body=body,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


@pytest.fixture
def ben(db):
    # "Pen" is a real word and, romanisation folded (b for p), the singer BEN.
    return ArtistFactory(name="BEN", slug="ben", disambiguation="singer")


def test_a_real_word_that_reads_as_a_name_finds_its_own_stories_first(client, ben):
    _story("A pen pal for every fan", hours_ago=48)
    _story("BEN sings a winter ballad", hours_ago=1)  # newer, found as "BEN"
    headlines = story_headlines(search(client, "pen"))
    assert headlines[0] == "A pen pal for every fan"
    assert "BEN sings a winter ballad" in headlines  # found, but below


def test_a_misspelling_corrected_ranks_under_the_words_as_typed(client):
    # "Taehyun" is a name of its own, one letter from "Taehyung".
    ArtistFactory(name="V", slug="v", native_name="뷔")
    ArtistFactory(name="Taehyung", slug="taehyung-actor")
    _story("Taehyun leads the new unit", hours_ago=72)
    _story("Taehyung films in the cold", hours_ago=1)
    headlines = story_headlines(search(client, "Taehyun"))
    assert headlines[:1] == ["Taehyun leads the new unit"]


def test_another_name_of_the_artist_meant_ranks_under_the_name_typed(client):
    iu = ArtistFactory(name="IU", slug="iu", native_name="아이유")
    newer = _story("아이유 콘서트 소식", hours_ago=1)
    older = _story("IU announces a tour", hours_ago=96)
    newer.artists.add(iu)
    older.artists.add(iu)
    headlines = story_headlines(search(client, "IU"))
    assert headlines == ["IU announces a tour", "아이유 콘서트 소식"]


def test_the_portable_backend_ranks_the_words_as_typed_first(ben):
    """The reference backend (any database Django runs on) agrees."""
    pen = _story("A pen pal for every fan", hours_ago=48)
    sings = _story("BEN sings a winter ballad", hours_ago=1)
    forgiven = engine.understand(parse_query("pen"), engine.backend())
    assert forgiven.terms.text == "BEN" and forgiven.terms.typed_text == "pen"
    using = engine.backend().using
    ranked = PortableBackend(using).ranked_stories(
        Article.objects.published(), forgiven.terms, candidates=10, first=0, last=10
    )
    assert ranked.ids == [pen.pk, sings.pk]


def test_the_words_as_typed_are_candidates_however_many_newer_corrections(ben):
    """Stories are ranked among the newest matches; those holding the words as
    typed are among them even when more newer stories only match the correction."""
    pen = _story("A pen pal for every fan", hours_ago=96)
    newer = [_story(f"BEN sings ballad {n}", hours_ago=n + 1) for n in range(3)]
    db = engine.backend()
    terms = engine.understand(parse_query("pen"), db).terms
    for backend in (db, PortableBackend(db.using)):
        ranked = backend.ranked_stories(
            Article.objects.published(), terms, candidates=2, first=0, last=2
        )
        assert ranked.ids == [pen.pk, newer[0].pk], type(backend).__name__
        assert [story.pk for story in ranked.page] == ranked.ids
