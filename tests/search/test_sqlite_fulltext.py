"""SQLite's whole-word story index (FTS5): precise words, kept current by triggers."""

from __future__ import annotations

import pytest
from django.db import connection

from articles.models import Article
from search.backends.sqlite import SqliteBackend, fts_query
from search.query import parse_query
from tests.articles.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index"),
]


def found(query: str) -> set[str]:
    backend = SqliteBackend(connection.alias)
    matches = backend.story_matches(Article.objects.published(), parse_query(query))
    return set(matches.values_list("headline", flat=True))


@pytest.fixture
def stories(db):
    ArticleFactory(
        published=True,
        headline="V films a video",
        body="<p>The BTS member <em>V</em> in the cold.</p>",
    )
    ArticleFactory(
        published=True,
        headline="Every vivid verse",
        dek="Seven very varied voices",
        body='<p class="lead"><a href="https://example.com/v">Link</a></p>',
    )
    ArticleFactory(
        published=True, headline="김태형 인터뷰", body="<p>Café &amp; crème</p>"
    )


def test_a_letter_is_a_word_not_a_substring(stories):
    assert found("V") == {"V films a video"}


def test_a_word_nowhere_finds_nothing(stories):
    assert found("xyzzyq") == set()
    assert found("vid") == set()  # whole words only


def test_tags_and_attributes_are_not_words_but_entities_are_read(stories):
    assert found("href") == set()
    assert found("lead") == set()
    assert found("em") == set()
    assert found("cafe creme") == {"김태형 인터뷰"}  # accents folded, &amp; read


def test_hangul_words_match_whole(stories):
    assert found("김태형") == {"김태형 인터뷰"}


def test_edits_and_deletes_reach_the_index(stories):
    story = Article.objects.get(headline="V films a video")
    story.headline = "Jungkook films a video"
    story.save()
    assert found("Jungkook") == {"Jungkook films a video"}
    assert found("films") == {"Jungkook films a video"}
    story.delete()
    assert found("films") == set()


def test_alternates_widen_the_match(stories):
    terms = parse_query("Taehyung")
    widened = type(terms)(text=terms.text, terms=terms.terms, alternates=("김태형",))
    backend = SqliteBackend(connection.alias)
    matches = backend.story_matches(Article.objects.published(), widened)
    assert set(matches.values_list("headline", flat=True)) == {"김태형 인터뷰"}


def test_typed_syntax_is_only_words():
    assert fts_query(parse_query('NEAR(a b) "x" OR -y*')) == (
        '("NEAR" AND "a" AND "b" AND "x" AND "OR" AND "y")'
    )
