"""PostgreSQL only: stored vectors kept by triggers, GIN indexes in use, pg_trgm."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from articles.models import Article
from artists.models import Artist
from discography.models import Track
from search import engine
from search.backends.postgres import CONFIG, PostgresBackend
from search.query import parse_query
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
    [created] = Article.objects.bulk_create(
        [Article(headline="Bulk made", slug="bulk")]
    )
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
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _many_stories(count: int) -> None:
    """Thousands of published stories in one statement (the trigger indexes them)."""
    ArticleFactory(published=True)  # a section and a user to point at
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO articles_article (headline, slug, dek, body, status,
              is_featured, published_at, created_at, updated_at, hero_alt,
              hero_caption, hero_credit, hero_image, hero_renditions, version,
              preview_secret, slug_is_manual, seo_title, seo_description,
              is_published_with_event, reactions_closed, is_live_blog)
            SELECT 'Story ' || i, 'many-' || i, 'A dek', '<p>Common words ' ||
              (CASE WHEN i %% 1000 = 0 THEN 'holssi' ELSE 'filler' END) || '</p>',
              'published', false, now() - i * interval '1 minute', now(), now(),
              '', '', '', '', '[]', 1, gen_random_uuid(), false, '', '',
              false, false, false
            FROM generate_series(1, %s) AS i
            """,
            [count],
        )
        # Fresh rows wait in the GIN index's pending list until a vacuum merges
        # them, which makes the index look costly; merge now, as autovacuum would.
        cursor.execute(
            "SELECT gin_clean_pending_list('article_search_vector_idx'::regclass)"
        )
        cursor.execute("ANALYZE articles_article")


def test_explain_shows_the_gin_index_serving_story_text_search():
    _many_stories(5000)
    terms = parse_query("holssi")
    matches = engine.backend().story_matches(Article.objects.published(), terms)
    newest = matches.order_by("-published_at", "-pk").values("pk")
    sql, params = newest[: engine.STORY_CANDIDATES].query.sql_with_params()
    with connection.cursor() as cursor:
        # With 5,000 rows the planner already prefers the GIN index for a rare
        # word; sequential scans are switched off (for this transaction only) so
        # that a busy test machine's cost estimates cannot make the test flaky.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = _plan(sql, params)
    assert re.search(r"Bitmap Index Scan on article_search_vector_idx", plan), plan
    assert len(list(newest)) == 5


def test_explain_shows_trigram_indexes_serving_misspelled_names(v):
    sql, params = PostgresBackend(connection.alias).artist_sql(
        parse_query("Taehyng"), limit=5, offset=0
    )
    with connection.cursor() as cursor:
        # A handful of rows: sequential scans are cheaper and the planner rightly
        # prefers them; switched off (this transaction only) to ask whether the
        # trigram indexes can serve the misspelling branches at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = _plan(sql, params)
    assert "artist_name_key_trgm_idx" in plan
    assert "artistalias_key_trgm_idx" in plan


def test_text_search_config_is_simple_so_words_are_not_stemmed(client, db):
    ArticleFactory(headline="Singers", published=True)
    html = client.get("/search/", {"q": "singer"}).content.decode()
    assert story_headlines(html) == []
    assert CONFIG == "simple"


def test_connections_run_without_jit_compilation():
    # A search statement with a few subqueries is costed above jit_above_cost;
    # compiling it took ~90 ms to save nothing (settings._postgres_options).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_repeated_statements_are_prepared_on_the_server():
    # Server-side binding with psycopg's automatic preparation: a page's statements
    # are planned once per connection, not on every request (planning was ~2 ms of
    # a story page's ~8 ms). DATABASE_PREPARED_STATEMENTS=0 turns it off (poolers).
    for _ in range(3):
        list(Article.objects.published().filter(slug="any")[:1])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%articles_article%"],
        )
        assert cursor.fetchone()[0] >= 1


def test_story_matching_is_never_prepared_but_the_other_groups_are(client):
    # A prepared generic plan for story matching picks one plan for every word
    # (90+ ms for common words at 100,000 stories); artist, release and track
    # statements plan the same for any word, so they keep being prepared.
    ArticleFactory(headline="Chart news", published=True)
    for _ in range(4):
        assert client.get("/search/", {"q": "chart"}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%@@%"],
        )
        prepared = [row[0] for row in cursor.fetchall()]
    assert not any('FROM "articles_article"' in sql for sql in prepared), prepared
    assert any("artists_artist" in sql for sql in prepared), prepared
    assert connection.connection.prepare_threshold == 2  # restored afterwards


def test_artist_and_track_statements_keep_one_generic_plan(client):
    # PostgreSQL re-planned them on every call (2-5 ms each at 100,000 stories) while
    # it guessed a plan for the values would win; their generic plans are as fast.
    ArticleFactory(headline="Chart news", published=True)
    for word in ("chart", "holssi", "iu", "lilac", "taeyeon", "shh"):
        assert client.get("/search/", {"q": word}).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
        )
        plans = cursor.fetchall()
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"  # reset for every other statement
    artist = [row for row in plans if "credited_titles AS" in row[0]]
    track = [row for row in plans if row[0].lstrip().startswith("SELECT t.id")]
    assert artist and track, plans
    for _, generic, custom in artist + track:
        assert custom == 0 and generic >= 1, plans


def test_the_plan_setting_is_reset_when_a_statement_fails():
    with pytest.raises(ZeroDivisionError):
        with PostgresBackend(connection.alias)._generic_plans():
            raise ZeroDivisionError
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"


def test_facets_from_story_topics_match_the_link_tables():
    from django.db.models import Count

    from tests.artists.factories import ArtistFactory

    iu, v = ArtistFactory(name="IU"), ArtistFactory(name="V")
    stories = [
        ArticleFactory(published=True, tags=["IU", "Love wins all"]),
        ArticleFactory(published=True, tags=["IU"]),
        ArticleFactory(published=True, tags=[]),
    ]
    stories[0].artists.add(iu, v)
    stories[1].artists.add(iu)
    ids = [story.pk for story in stories]
    facets = engine.backend().facets(ids, keep={})
    by_tag = (
        Article.tags.through.objects.filter(object_id__in=ids)
        .values("tag__slug", "tag__name")
        .annotate(stories=Count("object_id", distinct=True))
    )
    assert sorted((r["key"], r["label"], r["count"]) for r in facets["tag"]) == sorted(
        (row["tag__slug"], row["tag__name"], row["stories"]) for row in by_tag
    )
    assert [(r["label"], r["count"]) for r in facets["artist"]] == [("IU", 2), ("V", 1)]
    assert sum(r["count"] for r in facets["section"]) == len(
        [s for s in stories if s.section_id]
    )
