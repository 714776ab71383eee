"""The stories' words spelled like the reader's (PostgreSQL: search_storyword)."""

from __future__ import annotations

from search.backends.postgres import PostgresBackend
from tests.articles.factories import ArticleFactory
from tests.search.conftest import on_postgres


@on_postgres
def test_a_word_too_short_to_correct_is_only_looked_up(db):
    ArticleFactory(
        headline="Bus tour of Busan", body="<p>The bu stop, the comeback.</p>"
    )
    words = PostgresBackend("default").story_words(["bu", "bux", "comebak", "qqxyzzq"])
    assert words["bu"] == ["bu"]  # held by a story: itself, not "bus" or "busan"
    assert words["bux"] == []  # three letters, no story holds it: none near
    assert "comeback" in words["comebak"]  # long enough: the nearest words
    assert words["qqxyzzq"] == []
