"""PostgreSQL only: stored vectors kept by triggers, GIN indexes in use, pg_trgm."""

from __future__ import annotations

import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from articles.models import Article
from artists.models import Artist
from discography.models import Track
from newsroom import search
from tests.articles.factories import ArticleFactory
from tests.search.conftest import on_postgres
from tests.search.test_search_page import artist_names, story_headlines

pytestmark = [pytest.mark.django_db, on_postgres]


def vector(model, pk) -> str:
    return model.objects.values_list("search_vector", flat=True).get(pk=pk)


def test_story_vector_weights_headline_dek_and_body_text():
    story = ArticleFactory(
        headline="Holssi", dek="LILAC", body='<p><a href="https://x.test">Shh</a></p>'
    )
    stored = vector(Article, story.pk)
    assert "'holssi':1A" in stored
    assert "'lilac':2B" in stored
    assert "'shh':3C" in stored
    assert "href" not in stored  # tags are not words


def test_story_vector_follows_edits_and_bulk_writes():
    story = ArticleFactory(headline="Old words")
    story.headline = "New words"
    story.save()
    assert "'new'" in vector(Article, story.pk)
    Article.objects.filter(pk=story.pk).update(body="<p>bulk edit</p>")
    assert "'bulk'" in vector(Article, story.pk)
    [created] = Article.objects.bulk_create([Article(headline="Bulk made", slug="bulk")])
    assert "'made':2A" in vector(Article, created.pk)


def test_artist_vector_follows_aliases(iu):
    assert "'이지은':" in vector(Artist, iu.pk)
    alias = iu.aliases.create(name="Dlwlrma", kind="nickname")
    assert "'dlwlrma':" in vector(Artist, iu.pk)
    alias.delete()
    assert "dlwlrma" not in vector(Artist, iu.pk)


def test_track_vector_is_the_title(the_winning):
    track = Track.objects.get(title="Love wins all")
    assert vector(Track, track.pk) == "'all':3A 'love':1A 'wins':2A"


def test_misspelled_name_not_in_any_alias_finds_the_artist(client, v):
    for typo in ["Taehyng", "Teahyung", "kim taehyun"]:
        response = client.get("/search/", {"q": typo})
        assert artist_names(response.content.decode()) == ["V"], typo


def test_misspelled_hangul_group_name_is_similar_enough(client, db):
    from tests.artists.factories import ArtistFactory

    ArtistFactory(name="BTS", native_name="방탄소년단")
    response = client.get("/search/", {"q": "방탄소년"})
    assert artist_names(response.content.decode()) == ["BTS"]


def test_best_alias_similarity_orders_fuzzy_matches(client, v, iu):
    html = client.get("/search/", {"q": "Taehyeong"}).content.decode()
    assert artist_names(html)[0] == "V"


def test_websearch_syntax_is_accepted(client, db):
    ArticleFactory(headline="IU and V", published=True)
    ArticleFactory(headline="IU alone", published=True)
    html = client.get("/search/", {"q": '"IU and" -alone'}).content.decode()
    assert story_headlines(html) == ["IU and V"]


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        # The test tables hold a handful of rows, where a sequential scan is
        # cheaper and the planner rightly prefers it; switching sequential scans
        # off (for this transaction only) asks whether the GIN index CAN serve
        # the query, which is what this test is about.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_explain_shows_the_gin_index_serving_story_text_search():
    ArticleFactory.create_batch(3, published=True)
    terms = search.parse_query("holssi singer")
    matches = search.backend().story_matches(Article.objects.published(), terms)
    sql, params = matches.values("pk").query.sql_with_params()
    plan = _plan(sql, params)
    assert "article_search_vector_idx" in plan, plan
    assert re.search(r"Bitmap Index Scan on article_search_vector_idx", plan)


def test_explain_shows_trigram_index_serving_misspelled_names(v):
    query = Artist.objects.filter(
        search._PostgresBackend().artist_conditions(search.parse_query("Taehyng"))[0]
    ).values("pk")
    sql, params = query.query.sql_with_params()
    plan = _plan(sql, params)
    assert "artist_name_key_trgm_idx" in plan, plan
    assert "artistalias_key_trgm_idx" in plan, plan


def test_text_search_config_is_simple_so_words_are_not_stemmed(client, db):
    ArticleFactory(headline="Singers", published=True)
    assert story_headlines(client.get("/search/", {"q": "singer"}).content.decode()) == []
    assert SearchQuery("x", config=search.CONFIG).config.value == "simple"
