"""The PostgreSQL backend: stored tsvectors with GIN indexes, trigram similarity.

Stories, artists, releases and tracks carry a ``search_vector`` kept current by
database triggers (the apps' migrations), in the ``simple`` configuration so Hangul
and romanised names match as written; artist name keys have ``pg_trgm`` indexes for
misspelled and partial names. Each result group is one hand-written statement (rows,
score and total together) from ``sql/*.sql``, read once per process; each is tested
against the portable backend's answer (tests/search/test_backends_agree.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from string import Template
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import JSONField, Model

from articles.models import Article, StoryTopic
from artists.models import Artist
from core.rows import instances_from_rows
from discography.models import Release, Track
from search.backends.base import Found, RankedStories, SearchBackend
from search.facets import FACETS_SHOWN, Facets, collect, no_facets
from search.names import edits_allowed
from search.query import SearchTerms

CONFIG = "simple"
# A query matching this share of the stories or more is found by walking them newest
# first; a rarer one through the GIN index (search.shares says why 3%).
WALK_FROM_SHARE = 0.03

_PART = re.compile(r"^-- name: (\w+)[ \t]*$", re.MULTILINE)


@functools.cache
def sql_parts(file: str) -> dict[str, str]:
    """The named statements and fragments of ``sql/<file>.sql``, read once.

    Each begins at a ``-- name: <part>`` line (the convention of yesql and aiosql);
    comment lines around a part document it and are left out of its text. Parts hold
    ``${slot}`` placeholders (string.Template) for the fragments they are built from;
    ``%(name)s`` and ``%s`` are the driver's parameters.
    """
    path = resources.files(__package__).joinpath("sql", f"{file}.sql")
    pieces = _PART.split(path.read_text(encoding="utf-8"))
    parts = {}
    for name, body in zip(pieces[1::2], pieces[2::2], strict=True):
        lines = body.splitlines()
        for end in (0, -1):  # comments and blank lines before and after the SQL
            while lines and (not lines[end].strip() or lines[end].startswith("--")):
                lines.pop(end)
        parts[name] = "\n".join(lines)
    return parts


@functools.cache
def _first_credit_sql(statement: str) -> str:
    template = Template(sql_parts(statement)[statement])
    return template.substitute(first_credit=sql_parts("releases")["first_credit"])


@functools.cache
def _ranked_stories_template() -> Template:
    return Template(sql_parts("ranked_stories")["ranked_stories"])


@functools.cache
def artist_statement(*, has_like: bool, has_fuzzy: bool, has_title: bool) -> str:
    """The artist statement with the branches this query's key and words allow."""
    parts = sql_parts("artists")

    def part(name: str, wanted: bool) -> str:
        return parts[name] if wanted else ""

    return Template(parts["artists"]).substitute(
        credited=parts["credited"] if has_title else parts["no_credits"],
        like_branches=part("like_branches", has_like),
        fuzzy_branches=part("fuzzy_branches", has_fuzzy),
        alias_like=part("alias_like", has_like),
        alias_fuzzy=part("alias_fuzzy", has_fuzzy),
        own_like=part("own_like", has_like),
        alias_level_like=part("alias_level_like", has_like),
    )


def _instances(
    model: type[Model], rows: list[dict[str, Any]], *, using: str
) -> list[Model]:
    """``instances_from_rows``, with JSON columns (a card's picture renditions) set
    as the driver decoded them: core.rows refuses JSON fields, whose values it could
    not tell from JSON-encoded text when a row is itself carried as JSON."""
    json_fields = {
        field.attname: field
        for field in model._meta.concrete_fields
        if isinstance(field, JSONField)
    }
    plain = [{k: v for k, v in row.items() if k not in json_fields} for row in rows]
    instances = instances_from_rows(model, plain, using=using)
    connection = connections[using]
    for instance, row in zip(instances, rows, strict=True):
        for name, field in json_fields.items():
            if name in row:
                value = field.from_db_value(row[name], None, connection)
                setattr(instance, name, value)
    return instances


class PostgresBackend(SearchBackend):
    """Full text with ``websearch_to_tsquery`` (quoted phrases, -minus, or: anything
    a person types is accepted), weighted ranking, trigram similarity on names."""

    def story_matches(self, stories, terms):
        return stories.filter(search_vector=_text_query(terms))

    def ranked_stories(self, stories, terms, *, candidates, first, last):
        # One statement instead of the ORM's two: every candidate's rank, and the
        # columns of the page's stories only (the others come back as NULLs).
        columns = ("pk", "published_at", "search_vector", "headline")
        newest = self.newest_matches(stories, terms, candidates).values(*columns)
        share = self.story_shares.share(terms.phrasings)
        typed_matches = self.typed_matches(stories, terms, candidates)
        if typed_matches is not None and self._adds_typed(share):
            newest = newest.union(typed_matches.values(*columns))
        newest_sql, newest_params = newest.query.sql_with_params()
        sql = _ranked_stories_template().substitute(newest=newest_sql)
        # Without other phrasings every match holds the words as typed.
        typed = terms.typed_text if terms.alternates else None
        params = (*newest_params, terms.match_text, typed, CONFIG, first + 1, last)
        with self._planned_for_these_words(share):
            found = self._fetch(sql, params)[:candidates]
        page = [
            {
                key: value
                for key, value in row.items()
                if key != "position"
                # No section: the story's section stays None, not an empty one.
                and not (key.startswith("section__") and row["section__id"] is None)
            }
            for row in found
            if row["headline"] is not None
        ]
        stories_page = _instances(Article, page, using=self.using)
        return RankedStories([row["id"] for row in found], stories_page)

    @staticmethod
    def _adds_typed(share: float | None) -> bool:
        """Whether the statement adds the newest stories holding the words as typed
        to the candidates: when the query goes through the index (its rarest
        phrasings cost little more), or the planner chooses. Not when its stories
        are walked newest first: the typed words, one of its phrasings, are common
        then and among the candidates (a second walk cost as much as the first)."""
        return share is None or share < WALK_FROM_SHARE

    def artists(self, terms, *, limit, offset):
        sql, params = self.artist_sql(terms, limit=limit, offset=offset)
        with self._generic_plans():
            rows = self._fetch(sql, params)
        extras = ("credited_on", "matched_alias", "score")
        return self._found(Artist, rows, extras)

    def releases(self, terms, *, limit, offset):
        # The planner's custom plans win here: no generic plan forced (see below).
        params = {
            "key": terms.key,
            "text": terms.match_text,
            "config": CONFIG,
            "limit": limit,
            "offset": offset,
        }
        rows = self._fetch(_first_credit_sql("releases"), params)
        return self._found(Release, rows, ("artist_name", "score"))

    def tracks(self, terms, *, limit, offset):
        params = {
            "text": terms.match_text,
            "config": CONFIG,
            "limit": limit,
            "offset": offset,
        }
        with self._generic_plans():
            rows = self._fetch(_first_credit_sql("tracks"), params)
        return self._found(Track, rows, ("artist_name",))

    def story_words(self, words):
        words = [w for w in dict.fromkeys(words) if w]
        if not words:
            return {}
        nearby: dict[str, list[str]] = {word: [] for word in words}
        with connections[self.using].cursor() as cursor:
            # A word too short to be corrected is only looked up.
            exact = [w for w in words if not edits_allowed(w)]
            near = [w for w in words if edits_allowed(w)]
            params = {"exact": exact, "near": near}
            cursor.execute(sql_parts("story_words")["story_words"], params)
            for word, found in cursor.fetchall():
                nearby[word].append(found)
        return nearby

    def facets(self, story_ids: Sequence[int], *, keep: Mapping[str, str]) -> Facets:
        if not story_ids:
            return no_facets()
        params = {
            # Integers from our own query, bound as a parameter all the same.
            "ids": list(story_ids),
            "tag_kind": StoryTopic.Kind.TAG.value,
            "artist_kind": StoryTopic.Kind.ARTIST.value,
            "shown": FACETS_SHOWN,
            **{name: keep.get(name, "") for name in ("section", "tag", "artist")},
        }
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql_parts("facets")["facets"], params)
            return collect(cursor.fetchall())

    def artist_sql(
        self, terms: SearchTerms, *, limit: int, offset: int
    ) -> tuple[str, dict[str, Any]]:
        """The artist statement for ``terms`` and its parameters."""
        key = terms.key
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # Part of a name: anywhere in it from three letters on; two letters ("IU")
        # only begin a name, or every name holding "iu" would be a candidate.
        like = f"%{escaped}%" if len(key) >= 3 else f"{escaped}%"
        phrase = " ".join(terms.title_words)
        params = {
            "key": key,
            "keys": sorted({key, *terms.word_keys} - {""}),
            "words": terms.word_keys,
            "like": like,
            "text": terms.match_text,
            "phrase": phrase,
            "config": CONFIG,
            "limit": limit,
            "offset": offset,
        }
        sql = artist_statement(
            has_like=len(key) >= 2, has_fuzzy=len(key) >= 3, has_title=bool(phrase)
        )
        return sql, params

    def _fetch(self, sql: str, params) -> list[dict[str, Any]]:
        """Rows of a hand-written statement as dicts keyed by column name."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column.name for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def _found(
        self, model: type[Model], rows: list[dict[str, Any]], extras: tuple[str, ...]
    ) -> Found:
        """Instances of ``model`` (``fk__attr`` columns build the related row), with
        ``extras`` as attributes, and the total the statement counted."""
        instances = _instances(model, rows, using=self.using)
        for instance, row in zip(instances, rows, strict=True):
            for name in extras:
                setattr(instance, name, row[name])
        return Found(instances, rows[0]["total"] if rows else 0)

    @contextmanager
    def _generic_plans(self) -> Iterator[None]:
        """The prepared statements run inside use their generic plan, planned once.

        PostgreSQL re-plans a prepared statement on every call while it estimates
        that a plan made for the values beats the generic one, and for the artist and
        track statements it always did: planning (ten indexed branches, trigram
        estimates) took 2 to 5 ms against about 1 ms of running. Over twenty queries
        at 100,000 stories the generic plans returned the same rows as fast or faster
        every time (not so the release statement's, which keeps the default).
        ``plan_cache_mode`` is set and reset on the driver's connection: a session
        setting, not a query, so it stays out of Django's query log, as Django's own
        health check does.
        """
        target = connections[self.using]
        target.ensure_connection()
        driver = target.connection
        driver.execute("SET plan_cache_mode = force_generic_plan", prepare=False)
        try:
            yield
        finally:
            driver.execute("RESET plan_cache_mode", prepare=False)

    @contextmanager
    def _planned_for_these_words(self, share: float | None) -> Iterator[None]:
        """Story matching gets a fresh plan every time, never a prepared generic one,
        and the way to the newest matches that ``share`` (search.shares) calls for.

        Other statements are prepared (settings._postgres_options), the artist,
        release and track statements included: their plans hold for any word. Not
        so the stories': a rare word wants the GIN index, a word in 5% of 100,000
        stories wants the newest-first walk, and the generic plan picked one for all
        (90+ ms for common words). psycopg's documented switch turns preparation off.
        The planner's own choice walked every story for rare phrasings it thought
        common (340 ms), so the estimate of search.shares decides, through the
        planner's documented enable_* settings, set on the driver's connection for
        this statement only (as ``_generic_plans`` does); without statistics (a new
        database) the planner chooses.
        """
        target = connections[self.using]
        target.ensure_connection()
        driver = target.connection
        if share is None:
            switches: tuple[str, ...] = ()
        elif share >= WALK_FROM_SHARE:
            switches = ("enable_bitmapscan",)  # newest first, testing each story
        else:
            switches = ("enable_indexscan", "enable_seqscan")  # the GIN index
        # One round trip each way (several statements, no parameters).
        if switches:
            driver.execute("; ".join(f"SET {n} = off" for n in switches), prepare=False)
        threshold = driver.prepare_threshold
        driver.prepare_threshold = None
        try:
            yield
        finally:
            driver.prepare_threshold = threshold
            if switches:
                driver.execute("; ".join(f"RESET {n}" for n in switches), prepare=False)


def _text_query(terms: SearchTerms) -> SearchQuery:
    # websearch_to_tsquery accepts anything a person types ("quoted phrases",
    # -minus, or); the text as typed, so quotes and minus keep their meaning.
    return SearchQuery(terms.match_text, config=CONFIG, search_type="websearch")
