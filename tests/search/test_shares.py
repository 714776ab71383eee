"""How common the stories' words are (search.shares): the estimate that chooses how
PostgreSQL finds a query's newest matches, and that either way finds the same."""

from __future__ import annotations

import pytest
from django.db import connection

from articles.models import Article
from search.backends.postgres import WALK_FROM_SHARE, PostgresBackend
from search.names import name_index
from search.query import parse_query
from search.shares import StoryShares, story_word_shares
from tests.articles.factories import ArticleFactory
from tests.search.conftest import on_postgres


def test_a_phrasing_is_as_common_as_its_rarest_word_a_query_as_its_commonest():
    shares = StoryShares({"chart": 0.9, "comeback": 0.5, "iu": 0.02})
    assert shares.share([("Chart",)]) == 0.9  # as to_tsvector('simple'): lowercased
    assert shares.share([("comeback", "chart")]) == 0.5
    assert shares.share([("chart", "qqxyzzq")]) == 0.0  # a word not listed is rare
    assert shares.share([("IU",), ("comeback",), ("이지은",)]) == 0.5
    assert shares.share([]) == 0.0


def test_without_statistics_nothing_is_known():
    assert StoryShares().share([("chart",)]) is None


@pytest.mark.django_db
def test_off_postgresql_no_query_is_made(django_assert_num_queries):
    if connection.vendor == "postgresql":
        pytest.skip("off PostgreSQL only")
    with django_assert_num_queries(0):
        assert story_word_shares("default") == StoryShares()


@pytest.fixture
def analysed_stories(db):
    """Thirty stories with "encore", three of them with "ballad" as well; analysed."""
    made = []
    for n in range(30):
        extra = " ballad" if n % 10 == 0 else ""
        made.append(
            ArticleFactory(
                headline=f"Encore night {n}",
                body=f"<p>encore{extra}</p>",
                published=True,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Article._meta.db_table}")
    return made


@on_postgres
def test_shares_come_from_the_statistics_with_the_name_index(analysed_stories):
    shares = story_word_shares("default")
    assert shares.share([("encore",)]) >= WALK_FROM_SHARE
    assert shares.share([("qqxyzzq",)]) == 0.0
    assert name_index().story_shares == shares  # read when the names are


@on_postgres
def test_the_newest_matches_are_the_same_whichever_way_they_are_found(
    analysed_stories,
):
    stories = Article.objects.published()
    answers = []
    for shares in (
        StoryShares(),  # the planner chooses
        StoryShares({"encore": 1.0, "ballad": 1.0}),  # walked newest first
        StoryShares({"encore": 0.001, "ballad": 0.001}),  # through the index
    ):
        backend = PostgresBackend("default")
        backend.story_shares = shares
        for query in ("encore", "ballad", "encore ballad"):
            ranked = backend.ranked_stories(
                stories, parse_query(query), candidates=5, first=0, last=3
            )
            answers.append((query, ranked.ids, [s.pk for s in ranked.page]))
    by_way = [answers[:3], answers[3:6], answers[6:]]
    assert by_way[0] == by_way[1] == by_way[2]
    assert len(by_way[0][1][1]) == 3  # "ballad": the three stories holding it
    with connection.cursor() as cursor:  # the switches were reset
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)
