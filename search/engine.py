"""The one search module: what a reader's query finds, on PostgreSQL or on SQLite.

Views call :func:`parse_query` and :func:`run_search` and never ask which database
answers. PostgreSQL uses the stored, trigger-maintained ``search_vector`` columns
(GIN-indexed, 'simple' configuration so Hangul and romanised names match as written),
weighted ranking (headline over dek over body) and ``pg_trgm`` similarity on name keys
for misspelled and partial artist names. SQLite, the zero-setup development database,
falls back to case-insensitive ``LIKE`` matching with a headline/dek/body score: it
finds the same things for ordinary queries, ranks more coarsely and has no fuzzy
matching.

Every result group is one SQL query (rows, score and total together), so a results
page costs the same few queries whatever the data size.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import and_, or_
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.jsonrows import instances_from_rows
from articles.models import Article, StoryTopic
from artists.models import Artist, ArtistAlias
from artists.slugs import name_key
from discography.models import Release, ReleaseCredit, Track, TrackFeature

MAX_QUERY_LENGTH = 200  # characters kept from what the reader typed
MAX_TERMS = 12  # words used for matching and highlighting
# Stories are ranked among the newest matches only, so a common word over 100,000
# stories costs a bounded amount of matching and ranking work (measured at 100,000
# stories: a word in ~5% of them is the worst case); totals above it read "200+".
STORY_CANDIDATES = 200
STORIES_PER_PAGE = 20
GROUP_PREVIEW = 5  # artists, releases or tracks shown when every type is listed
GROUP_PER_PAGE = 20  # ... and per page when one type is chosen
SNIPPET_CHARS = 220
FACETS_SHOWN = 8  # values listed per facet (section, tag, artist)
CONFIG = "simple"

# The name a release's first credit shows ("credited as", else the artist's name).
_FIRST_CREDIT_SQL = """(SELECT COALESCE(NULLIF(rc.credited_as, ''), a.name)
          FROM discography_releasecredit rc
          JOIN artists_artist a ON a.id = rc.artist_id
         WHERE rc.release_id = r.id
         ORDER BY rc.position, rc.id
         LIMIT 1)"""

# Releases titled with the words, and every release of an artist named exactly (any
# name or alias, as Artist.objects.matching_name): title matches first, newest first.
_RELEASE_SQL = f"""
WITH named(id) AS (
    SELECT id FROM artists_artist WHERE name_key = %(key)s
    UNION SELECT id FROM artists_artist WHERE native_name_key = %(key)s
    UNION SELECT artist_id FROM artists_artistalias WHERE key = %(key)s
),
candidates(id) AS (
    SELECT id FROM discography_release
     WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
    UNION
    SELECT release_id FROM discography_releasecredit
     WHERE artist_id IN (SELECT id FROM named) AND %(key)s <> ''
)
SELECT r.id, r.title, r.slug, r.kind, r.released_on, r.cover, r.cover_alt,
       CASE WHEN r.search_vector
                 @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
            THEN 1 ELSE 0 END AS score,
       {_FIRST_CREDIT_SQL} AS artist_name,
       COUNT(*) OVER () AS total
  FROM candidates c
  JOIN discography_release r ON r.id = c.id
 ORDER BY score DESC, r.released_on DESC NULLS LAST, r.id DESC
 LIMIT %(limit)s OFFSET %(offset)s
"""

# The newest matches (the ORM's statement, with the reader's filters), ranked; the
# columns a hit shows for ranks first..last only. Parameters: the newest statement's,
# the text search configuration, the query text, first and last rank (1-based).
# The newest statement carries each candidate's date and vector, so ranking reads no
# row twice; only the page's rows are joined again, for the columns a hit shows (a
# NULL key for the other ranks finds nothing without touching the index).
_RANKED_STORIES_SQL = """
WITH newest(id, published_at, search_vector) AS ({newest}),
query AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS words),
scored AS (
    SELECT n.id, n.published_at,
           CASE WHEN ts_filter(n.search_vector, '{{a}}') @@ query.words
                THEN 1.0 ELSE 0.0 END
           + ts_rank(n.search_vector, query.words) AS score
      FROM newest n CROSS JOIN query
),
ordered AS (
    SELECT id, row_number() OVER (ORDER BY score DESC, published_at DESC, id DESC)
           AS position
      FROM scored
)
SELECT o.id, o.position, a.headline, a.slug, a.dek, a.body, a.published_at,
       a.section_id, s.id AS section__id, s.name AS section__name,
       s.slug AS section__slug
  FROM ordered o
  LEFT JOIN articles_article a
         ON a.id = CASE WHEN o.position BETWEEN %s AND %s THEN o.id END
  LEFT JOIN articles_section s ON s.id = a.section_id
 ORDER BY o.position
"""

# Tracks titled with the words, newest release first, with the release's first credit.
_TRACK_SQL = f"""
SELECT t.id, t.title, t.disc, t.position, t.duration, t.release_id,
       r.id AS release__id, r.title AS release__title, r.slug AS release__slug,
       r.released_on AS release__released_on,
       {_FIRST_CREDIT_SQL} AS artist_name,
       COUNT(*) OVER () AS total
  FROM discography_track t
  JOIN discography_release r ON r.id = t.release_id
 WHERE t.search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
 ORDER BY r.released_on DESC NULLS LAST, t.release_id, t.disc, t.position
 LIMIT %(limit)s OFFSET %(offset)s
"""

# --- the artist search on PostgreSQL (see _PostgresBackend.artist_rows) ---------------
# Exactly titled tracks and releases (every word of the title, no other): the artists
# credited on them, with the title to show ("sings “Holssi”").
_EXACT_TITLE = """{table}.search_vector @@ phraseto_tsquery(%(config)s::regconfig, %(phrase)s)
      AND length(ts_filter({table}.search_vector, '{{a}}'))
          = length(to_tsvector(%(config)s::regconfig, %(phrase)s))"""
_ARTIST_CREDITED = f"""
credited_titles AS (
    SELECT rc.artist_id, t.title, 0 AS preference, r.released_on, t.disc, t.position
      FROM discography_track t
      JOIN discography_release r ON r.id = t.release_id
      JOIN discography_releasecredit rc ON rc.release_id = r.id
     WHERE {_EXACT_TITLE.format(table="t")}
    UNION ALL
    SELECT tf.artist_id, t.title, 0, r.released_on, t.disc, t.position
      FROM discography_track t
      JOIN discography_release r ON r.id = t.release_id
      JOIN discography_trackfeature tf ON tf.track_id = t.id
     WHERE {_EXACT_TITLE.format(table="t")}
    UNION ALL
    SELECT rc.artist_id, r.title, 1, r.released_on, 0, 0
      FROM discography_release r
      JOIN discography_releasecredit rc ON rc.release_id = r.id
     WHERE {_EXACT_TITLE.format(table="r")}
),
credited AS (
    SELECT DISTINCT ON (artist_id) artist_id, title
      FROM credited_titles
     ORDER BY artist_id, preference, released_on DESC NULLS LAST, disc, position
),"""
_NO_CREDITS = """
credited(artist_id, title) AS (SELECT NULL::bigint, NULL::varchar WHERE false),"""
_ARTIST_LIKE_BRANCHES = """
    UNION SELECT id FROM artists_artist WHERE name_key LIKE %(like)s
    UNION SELECT id FROM artists_artist WHERE native_name_key LIKE %(like)s"""
_ARTIST_FUZZY_BRANCHES = """
    UNION SELECT id FROM artists_artist WHERE name_key %% %(key)s
    UNION SELECT id FROM artists_artist WHERE native_name_key %% %(key)s"""
_ARTIST_OWN_LIKE = """
               WHEN a.name_key LIKE %(like)s OR a.native_name_key LIKE %(like)s
               THEN 2.0"""
_ALIAS_LEVEL_LIKE = """
                       WHEN key LIKE %(like)s THEN 2.0"""
_ARTIST_SQL = """
WITH {credited}
candidates(id) AS (
    SELECT id FROM artists_artist WHERE name_key = ANY(%(keys)s)
    UNION SELECT id FROM artists_artist WHERE native_name_key = ANY(%(keys)s)
    UNION SELECT id FROM artists_artist
           WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
    {like_branches}{fuzzy_branches}
    UNION SELECT artist_id FROM artists_artistalias
           WHERE key = ANY(%(keys)s) {alias_like} {alias_fuzzy}
    UNION SELECT artist_id FROM credited
),
scored AS (
    SELECT a.id, a.name, a.native_name, a.slug, a.kind, a.disambiguation, a.photo,
           a.sort_name, COALESCE(cr.title, '') AS credited_on,
           GREATEST(
               CASE WHEN a.name_key = %(key)s OR a.native_name_key = %(key)s THEN 4.0
               WHEN a.name_key = ANY(%(words)s) OR a.native_name_key = ANY(%(words)s)
               THEN 2.5{own_like}
               ELSE 0.0 END,
               COALESCE(alias.level, 0.0),
               CASE WHEN COALESCE(cr.title, '') <> '' THEN 3.0 ELSE 0.0 END
           ) + GREATEST(
               similarity(a.name_key, %(key)s),
               similarity(a.native_name_key, %(key)s),
               COALESCE(alias.similarity, 0.0)
           ) AS score,
           alias.shown AS matched_alias
      FROM candidates c
      -- Row by row through the primary key: a hash join read all 5,000 artists
      -- to score a hundred.
      CROSS JOIN LATERAL (
          SELECT * FROM artists_artist WHERE id = c.id OFFSET 0  -- kept apart
      ) AS a
      LEFT JOIN credited cr ON cr.artist_id = a.id
      LEFT JOIN LATERAL (
           SELECT MAX(level) AS level,
                  MAX(similarity(key, %(key)s)) AS similarity,
                  (array_agg(name ORDER BY level DESC, kind, name)
                      FILTER (WHERE level > 0 AND kind <> 'misspelling'))[1] AS shown
             FROM (SELECT name, kind, key,
                          CASE WHEN key = %(key)s THEN 4.0
                          WHEN key = ANY(%(words)s) THEN 2.5{alias_level_like}
                          ELSE 0.0 END AS level
                     FROM artists_artistalias
                    WHERE artist_id = a.id) AS aliases
      ) AS alias ON true
)
SELECT *, COUNT(*) OVER () AS total
  FROM scored
 ORDER BY score DESC, sort_name, id
 LIMIT %(limit)s OFFSET %(offset)s
"""

TYPES = [
    ("article", "Stories"),
    ("artist", "Artists"),
    ("release", "Releases"),
    ("track", "Tracks"),
]

# What a story hit shows: kicker, headline, snippet and date.
_STORY_HIT_FIELDS = (
    "headline",
    "slug",
    "dek",
    "body",
    "published_at",
    "section__name",
    "section__slug",
)

_WORD = re.compile(r"\w+", re.UNICODE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Words around a title in "the Holssi singer" or "who sang Love wins all": dropped
# to find the track or release the reader remembers.
FILLER_WORDS = frozenset(
    "a an the of by from who whose sang sings sung singer singers song songs track "
    "tracks album albums record ep single group band artist act idol rapper vocalist "
    "performer that with s".split()
)


@dataclass(frozen=True)
class SearchTerms:
    """A reader's query, cleaned: the text kept in the box and the words to match."""

    text: str = ""
    terms: tuple[str, ...] = ()
    is_truncated: bool = False

    @property
    def is_blank(self) -> bool:
        """Nothing searchable: empty, spaces or punctuation only."""
        return not self.terms

    @property
    def key(self) -> str:
        """The whole query as a name key ("Kim Tae-hyung" -> "kimtaehyung")."""
        return name_key(self.text)

    @property
    def marked(self) -> tuple[str, ...]:
        """Words to highlight: filler such as "the" only when nothing else was typed."""
        return self.title_words or self.terms

    @property
    def title_words(self) -> tuple[str, ...]:
        """The words left when the filler of an epithet is dropped."""
        return tuple(t for t in self.terms if t.casefold() not in FILLER_WORDS)


def parse_query(raw: str | None) -> SearchTerms:
    """Trim, cap and split what was typed; never fails, whatever the input."""
    text = _SPACE.sub(" ", (raw or "").replace("\x00", "")).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        text = text[:MAX_QUERY_LENGTH].rstrip()
    words: list[str] = []
    for word in _WORD.findall(text):
        word = word.strip("_")
        if word and word.casefold() not in (w.casefold() for w in words):
            words.append(word)
    return SearchTerms(
        text=text, terms=tuple(words[:MAX_TERMS]), is_truncated=truncated
    )


# --- snippets and highlighting -------------------------------------------------------


def plain_text(stored_html: str) -> str:
    """Readable text from stored (sanitised) HTML; the result is still untrusted."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", stored_html or ""))).strip()


@lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with the words that matched wrapped in ``<mark>``.

    Matches are found on the plain text, then every piece is escaped before the
    marks go around it, so nothing stored (or typed) can inject markup.
    """
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text)
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(text: str, terms: tuple[str, ...], *, size: int = SNIPPET_CHARS) -> str:
    """A window of ``text`` around the first matching word, cut at word boundaries."""
    if len(text) <= size:
        return text
    pattern = _term_pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0 if match is None else max(0, match.start() - size // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def _text_around(stored_html: str, start: int, end: int) -> tuple[str, bool, bool]:
    """Plain text of ``stored_html[start:end]``, without the tags cut at its edges;
    and whether text was left out before and after it."""
    piece = stored_html[start:end]
    if start > 0 and 0 <= piece.find(">") < (piece.find("<") % (len(piece) + 1)):
        piece = piece[piece.find(">") + 1 :]  # began inside a tag
    if end < len(stored_html) and piece.rfind("<") > piece.rfind(">"):
        piece = piece[: piece.rfind("<")]  # ended inside one
    return plain_text(piece), start > 0, end < len(stored_html)


def story_snippet(story: Any, terms: SearchTerms) -> str:
    """The text shown under a story's headline: the dek when it holds a word of the
    query, else the body around the first word that matched, else the dek (or the
    body's opening).

    Only a window of the body around the match is turned into text: bodies run to
    thousands of characters and a results page shows twenty of them.
    """
    pattern = _term_pattern(terms.marked)
    dek = story.dek or ""
    if pattern is not None and pattern.search(dek):
        return dek
    body = story.body or ""
    reach = SNIPPET_CHARS * 3
    match = pattern.search(body) if pattern is not None else None
    if match is not None:
        text, before, after = _text_around(
            body, max(0, match.start() - reach), match.end() + reach
        )
        if pattern.search(text):  # not only inside a tag's attribute
            cut = snippet(text, terms.marked)
            if before and not cut.startswith("… "):
                cut = "… " + cut
            if after and not cut.endswith(" …"):
                cut += " …"
            return cut
    if dek:
        return dek
    text, _, after = _text_around(body, 0, reach)
    cut = snippet(text, ())
    return cut + " …" if after and not cut.endswith(" …") else cut


# --- results ---------------------------------------------------------------------------


@dataclass
class Group:
    """One type of result: the rows shown and how many matched in all."""

    kind: str
    label: str
    items: list[Any] = field(default_factory=list)
    total: int = 0
    is_capped: bool = False
    page: Page | None = None


@dataclass
class SearchResults:
    terms: SearchTerms
    groups: dict[str, Group]
    facets: dict[str, list[dict[str, Any]]]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups.values())


def _page(items: list, total: int, number: int, per_page: int) -> Page:
    """A Django Page for rows fetched with their total in one query."""
    paginator = Paginator([], per_page)
    paginator.count = total  # cached_property: the total came with the rows
    return Page(items, number, paginator)


def _total(rows: list) -> int:
    return rows[0].total if rows else 0


class _Backend:
    """Matching and scoring that differ between databases; everything else is shared."""

    def story_matches(self, stories: QuerySet, terms: SearchTerms) -> QuerySet:
        """The stories holding every word of the query."""
        raise NotImplementedError

    def story_score(self, terms: SearchTerms):
        """An expression ranking a headline match above a dek, a dek above a body."""
        raise NotImplementedError

    def ranked_stories(
        self, newest: QuerySet, terms: SearchTerms, *, first: int, last: int
    ) -> tuple[list[int], list[Article]]:
        """Every candidate's id, best first, and the stories ranked first..last-1.

        Two queries: the ranked ids (small integers only; the matching work is
        done once), then the rows of one page.
        """
        ranked = list(
            Article.objects.filter(pk__in=newest)
            .annotate(score=self.story_score(terms))
            .order_by("-score", "-published_at", "-pk")
            .values_list("pk", flat=True)
        )
        shown = ranked[first:last]
        by_id = (
            Article.objects.select_related("section")
            .only(*_STORY_HIT_FIELDS)
            .in_bulk(shown)
        )
        return ranked, [by_id[pk] for pk in shown if pk in by_id]

    def artist_rows(
        self, terms: SearchTerms, *, limit: int, offset: int
    ) -> list[Artist]:
        """One page of matching artists, best first, each with ``total``."""
        return _orm_artist_rows(self, terms, limit=limit, offset=offset)

    def release_rows(
        self, terms: SearchTerms, *, limit: int, offset: int
    ) -> list[Release]:
        """One page of releases (title matches first, newest first), with ``total``."""
        return _orm_release_rows(self, terms, limit=limit, offset=offset)

    def track_rows(self, terms: SearchTerms, *, limit: int, offset: int) -> list[Track]:
        """One page of tracks (newest release first), each with its release loaded."""
        return _orm_track_rows(self, terms, limit=limit, offset=offset)

    def title_matches(self, terms: SearchTerms) -> Q:
        """Releases or tracks whose title holds every word."""
        raise NotImplementedError

    def exact_title(self, words: tuple[str, ...]) -> Q:
        """Releases or tracks titled exactly ``words`` (annotated ``title_lower``)."""
        raise NotImplementedError


class _PostgresBackend(_Backend):
    """Stored tsvectors with GIN indexes; trigram similarity on name keys."""

    def _query(self, terms: SearchTerms) -> SearchQuery:
        # websearch_to_tsquery accepts anything a person types ("quoted phrases",
        # -minus, or); terms joined keep it to the words we highlight.
        return SearchQuery(terms.text, config=CONFIG, search_type="websearch")

    def story_matches(self, stories, terms):
        return stories.filter(search_vector=self._query(terms))

    def ranked_stories(self, newest, terms, *, first, last):
        # One statement instead of the ORM's two: every candidate's rank, and the
        # columns of the page's stories only (the others come back as NULLs).
        # A story whose headline holds every word ranks above any body-only match,
        # however often the body repeats it; ts_rank orders within each tier.
        newest = newest.values("pk", "published_at", "search_vector")
        newest_sql, newest_params = newest.query.sql_with_params()
        sql = _RANKED_STORIES_SQL.format(newest=newest_sql)
        params = (*newest_params, CONFIG, terms.text, first + 1, last)
        found = _fetch_dicts(sql, params)
        ranked = [row["id"] for row in found]
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
        return ranked, instances_from_rows(Article, page, using=connection.alias)

    def artist_rows(self, terms, *, limit, offset):
        sql, params = self.artist_sql(terms, limit=limit, offset=offset)
        rows = Artist.objects.raw(sql, params)
        with _generic_plans(rows.db):
            return list(rows)

    def release_rows(self, terms, *, limit, offset):
        # Hand-written for the same reason as the artists': the ORM's expression
        # took longer to compile than PostgreSQL took to answer it.
        params = {
            "key": terms.key,
            "text": terms.text,
            "config": CONFIG,
            "limit": limit,
            "offset": offset,
        }
        return list(Release.objects.raw(_RELEASE_SQL, params))

    def track_rows(self, terms, *, limit, offset):
        params = {
            "text": terms.text,
            "config": CONFIG,
            "limit": limit,
            "offset": offset,
        }
        with _generic_plans(connection.alias):
            rows = _fetch_dicts(_TRACK_SQL, params)
        # Tracks with their release attached (release__* columns), as select_related
        # would; every other field is deferred.
        tracks = instances_from_rows(Track, rows, using=connection.alias)
        for track, row in zip(tracks, rows, strict=True):
            track.artist_name, track.total = row["artist_name"], row["total"]
        return tracks

    def artist_sql(
        self, terms: SearchTerms, *, limit: int, offset: int
    ) -> tuple[str, dict[str, Any]]:
        """The artist search statement and its parameters.

        One hand-written statement: each way of matching is its own indexed
        branch (b-tree on the keys, GIN trigram for partial and misspelled names,
        GIN tsvector), only their union of candidates is scored, and the song an
        artist is credited on comes from one pass over the exact titles. The ORM's
        version cost ~15 ms to compile per request and, its conditions ORed into
        one scan, scored every artist (100+ ms at 5,000 artists).
        """
        key = terms.key
        keys = sorted({key, *(name_key(t) for t in terms.terms)} - {""})
        words = sorted({name_key(t) for t in terms.terms} - {""})
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # Part of a name: anywhere in it from three letters on; two letters ("IU")
        # only begin a name, or every name holding "iu" would be a candidate.
        like = f"%{escaped}%" if len(key) >= 3 else f"{escaped}%"
        has_like = len(key) >= 2
        has_fuzzy = len(key) >= 3
        phrase = " ".join(terms.title_words)
        params = {
            "key": key,
            "keys": keys,
            "words": words,
            "like": like,
            "text": terms.text,
            "phrase": phrase,
            "config": CONFIG,
            "limit": limit,
            "offset": offset,
        }
        sql = _ARTIST_SQL.format(
            like_branches=_ARTIST_LIKE_BRANCHES if has_like else "",
            fuzzy_branches=_ARTIST_FUZZY_BRANCHES if has_fuzzy else "",
            alias_like="OR key LIKE %(like)s" if has_like else "",
            alias_fuzzy="OR key %% %(key)s" if has_fuzzy else "",
            own_like=_ARTIST_OWN_LIKE if has_like else "",
            alias_level_like=_ALIAS_LEVEL_LIKE if has_like else "",
            credited=_ARTIST_CREDITED if phrase else _NO_CREDITS,
        )
        return sql, params

    def title_matches(self, terms):
        return Q(search_vector=self._query(terms))

    def exact_title(self, words):
        # Every word of the title, and no other: "Holssi" is the song, "Holssi
        # remix" another. length() counts a title vector's distinct words.
        phrase = " ".join(words)
        title_vector = Func(F("search_vector"), Value("{a}"), function="ts_filter")
        return Q(
            search_vector=SearchQuery(phrase, config=CONFIG, search_type="phrase")
        ) & Q(
            Func(
                Func(title_vector, function="length"),
                Func(
                    Func(Value(CONFIG), Value(phrase), function="to_tsvector"),
                    function="length",
                ),
                template="%(expressions)s",
                arg_joiner=" = ",
                output_field=BooleanField(),
            )
        )


class _SqliteBackend(_Backend):
    """LIKE on the text columns: every word must appear somewhere (as a substring,
    so "win" also finds "winning", and the body's HTML is searched as stored);
    scored by where each word appears. No stemming, no misspellings, no index: fine
    for development and small sites, which is what SQLite is here for."""

    def story_matches(self, stories, terms):
        return stories.filter(
            reduce(
                and_,
                (
                    Q(headline__icontains=t)
                    | Q(dek__icontains=t)
                    | Q(body__icontains=t)
                    for t in terms.terms
                ),
            )
        )

    def story_score(self, terms):
        parts = [
            Case(
                When(headline__icontains=t, then=Value(4.0)),
                When(dek__icontains=t, then=Value(2.0)),
                default=Value(1.0),
                output_field=FloatField(),
            )
            for t in terms.terms
        ]
        return reduce(lambda a, b: a + b, parts)

    def title_matches(self, terms):
        return reduce(and_, (Q(title__icontains=t) for t in terms.terms))

    def exact_title(self, words):
        return Q(title_lower=" ".join(words).lower())


def _fetch_dicts(sql: str, params) -> list[dict[str, Any]]:
    """Rows of a hand-written statement as dicts keyed by column name."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def backend() -> _Backend:
    """PostgreSQL's full-text search where available, else the LIKE fallback."""
    if connection.vendor == "postgresql":
        return _PostgresBackend()
    return _SqliteBackend()


# --- the groups ------------------------------------------------------------------------


def _stories(
    db: _Backend, stories: QuerySet, terms: SearchTerms, *, page: int, per_page: int
) -> tuple[Group, list[int]]:
    """Ranked stories, best first, among the newest matches; and every ranked id."""
    newest = (
        db.story_matches(stories, terms)
        .order_by("-published_at", "-pk")
        .values("pk")[:STORY_CANDIDATES]
    )
    first = (page - 1) * per_page
    ranked, rows = db.ranked_stories(newest, terms, first=first, last=first + per_page)
    for story in rows:
        story.headline_html = highlight(story.headline, terms.marked)
        story.snippet_html = highlight(story_snippet(story, terms), terms.marked)
    total = len(ranked)
    group = Group("article", "Stories", rows, total, total >= STORY_CANDIDATES)
    return group, ranked


def _credited_artists(
    db: _Backend, words: tuple[str, ...]
) -> tuple[Any, list[QuerySet]]:
    """Artists credited on a track or release titled exactly ``words``.

    This is how "the Holssi singer" finds IU without anyone typing an alias. Gives
    the title (to show why, and to score) and the credit querysets.
    """
    if not words:
        return Value(""), []
    tracks = Track.objects.annotate(title_lower=Lower("title")).filter(
        db.exact_title(words)
    )
    releases = Release.objects.annotate(title_lower=Lower("title")).filter(
        db.exact_title(words)
    )
    on_release = ReleaseCredit.objects.filter(
        Q(release__in=releases.values("pk"))
        | Q(release__in=tracks.values("release_id"))
    )
    featured = TrackFeature.objects.filter(track__in=tracks.values("pk"))
    title = Coalesce(
        Subquery(
            tracks.filter(
                Q(release__credits__artist=OuterRef("pk"))
                | Q(features__artist=OuterRef("pk"))
            ).values("title")[:1]
        ),
        Subquery(releases.filter(credits__artist=OuterRef("pk")).values("title")[:1]),
        Value(""),
    )
    return title, [on_release, featured]


def _name_level(terms: SearchTerms, *fields: str) -> tuple[Case, Q]:
    """4 for a whole-name match, 2.5 for one of the words, 2 for part of a name;
    and the plain condition (index-friendly) that any of them holds."""
    key = terms.key
    keys = sorted({name_key(t) for t in terms.terms} - {""})

    def any_of(lookup: str, value) -> Q:
        return reduce(or_, (Q(**{f"{field}{lookup}": value}) for field in fields))

    conditions = [(any_of("", key), 4.0), (any_of("__in", keys), 2.5)]
    if len(key) >= 3:
        conditions.append((any_of("__contains", key), 2.0))
    elif len(key) == 2:  # as on PostgreSQL: two letters only begin a name
        conditions.append((any_of("__startswith", key), 2.0))
    level = Case(
        *(When(condition, then=Value(score)) for condition, score in conditions),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return level, reduce(or_, (condition for condition, _ in conditions))


def _marked_group(
    kind: str, label: str, rows: list, field: str, terms: SearchTerms
) -> Group:
    """A group whose rows carry ``<field>_html``: the field with the words marked."""
    for row in rows:
        setattr(row, f"{field}_html", highlight(getattr(row, field), terms.marked))
    return Group(kind, label, rows, _total(rows))


def _artists(db: _Backend, terms: SearchTerms, *, limit: int, offset: int = 0) -> Group:
    """Artists by any name, alias, misspelling, or a song the reader remembers."""
    rows = db.artist_rows(terms, limit=limit, offset=offset)
    return _marked_group("artist", "Artists", rows, "name", terms)


def _orm_artist_rows(
    db: _Backend, terms: SearchTerms, *, limit: int, offset: int
) -> list[Artist]:
    """The artist search through the ORM (SQLite): names, aliases, credited songs."""
    own_level, own_match = _name_level(terms, "name_key", "native_name_key")
    alias_level, alias_match = _name_level(terms, "key")
    credited_title, credits = _credited_artists(db, terms.title_words)
    # Each branch names candidates; their union alone is scored.
    branches = [
        Artist.objects.filter(own_match).values_list("pk"),
        ArtistAlias.objects.filter(alias_match).values_list("artist_id"),
        *(credit.values_list("artist_id") for credit in credits),
    ]
    candidates = reduce(lambda a, b: a.union(b), (b.order_by() for b in branches))
    best_alias = ArtistAlias.objects.filter(artist=OuterRef("pk")).annotate(
        level=alias_level
    )
    alias_score = Subquery(
        best_alias.order_by("-level").values("level")[:1], output_field=FloatField()
    )
    shown_alias = Subquery(
        best_alias.filter(level__gt=0)
        .exclude(kind=ArtistAlias.Kind.MISSPELLING)
        .order_by("-level", "kind", "name")
        .values("name")[:1]
    )
    return list(
        Artist.objects.filter(pk__in=candidates)
        .only("name", "native_name", "slug", "kind", "disambiguation", "photo")
        .annotate(
            credited_on=credited_title,
            score=Greatest(
                own_level,
                Coalesce(alias_score, Value(0.0)),
                Case(
                    When(~Q(credited_on=""), then=Value(3.0)),
                    default=Value(0.0),
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            ),
            matched_alias=shown_alias,
            total=Window(Count("pk")),
        )
        .order_by("-score", "sort_name", "pk")[offset : offset + limit]
    )


def _first_credit(release_ref: str) -> Subquery:
    return Subquery(
        ReleaseCredit.objects.filter(release=OuterRef(release_ref))
        .annotate(
            shown=Coalesce(NullIf(F("credited_as"), Value("")), F("artist__name"))
        )
        .order_by("position", "pk")
        .values("shown")[:1]
    )


def _releases(
    db: _Backend, terms: SearchTerms, *, limit: int, offset: int = 0
) -> Group:
    """Releases by title, and the releases of an artist named exactly."""
    rows = db.release_rows(terms, limit=limit, offset=offset)
    return _marked_group("release", "Releases", rows, "title", terms)


def _orm_release_rows(
    db: _Backend, terms: SearchTerms, *, limit: int, offset: int
) -> list[Release]:
    by_named_artist = ReleaseCredit.objects.filter(
        release=OuterRef("pk"), artist__in=Artist.objects.matching_name(terms.text)
    )
    title_hit = db.title_matches(terms)
    return list(
        Release.objects.filter(title_hit | Exists(by_named_artist))
        .only("title", "slug", "kind", "released_on", "cover", "cover_alt")
        .annotate(
            score=Case(
                When(title_hit, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            artist_name=_first_credit("pk"),
            total=Window(Count("pk")),
        )
        .order_by("-score", F("released_on").desc(nulls_last=True), "-pk")[
            offset : offset + limit
        ]
    )


def _tracks(db: _Backend, terms: SearchTerms, *, limit: int, offset: int = 0) -> Group:
    """Songs by title, with their release and its first credited artist."""
    rows = db.track_rows(terms, limit=limit, offset=offset)
    return _marked_group("track", "Tracks", rows, "title", terms)


def _orm_track_rows(
    db: _Backend, terms: SearchTerms, *, limit: int, offset: int
) -> list[Track]:
    return list(
        Track.objects.filter(db.title_matches(terms))
        .select_related("release")
        .only(
            "title",
            "disc",
            "position",
            "duration",
            "release__title",
            "release__slug",
            "release__released_on",
        )
        .annotate(artist_name=_first_credit("release_id"), total=Window(Count("pk")))
        .order_by(
            F("release__released_on").desc(nulls_last=True),
            "release_id",
            "disc",
            "position",
        )[offset : offset + limit]
    )


def _facets(
    story_ids: list[int], *, keep: dict[str, str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Section, tag and artist counts over the matching stories, in one query.

    Each facet lists what the page can show: its ``FACETS_SHOWN`` most frequent
    values (with every value tied with the last of them), and the value the reader
    has chosen (``keep``, by facet), most frequent first. Ranked in SQL, so a common
    word's 500-odd tags and artists never reach Python.

    Raw SQL for one reason: the three counts share one list of candidate ids (a
    common table expression), and taggit's content type is looked up in SQL.
    """
    facets: dict[str, list[dict[str, Any]]] = {"section": [], "tag": [], "artist": []}
    if not story_ids:
        return facets
    # Integers from our own query, bound as parameters all the same.
    if connection.vendor == "postgresql":
        # One array parameter: the same statement text for any number of ids, so
        # it is prepared once instead of planned with 200 placeholders each time.
        candidate_sql = "SELECT unnest(%s::bigint[])"
        params: tuple = (list(story_ids),)
    else:
        candidate_sql = "SELECT id FROM {} WHERE id IN ({})".format(
            Article._meta.db_table, ", ".join(["%s"] * len(story_ids))
        )
        params = tuple(story_ids)
    article = Article._meta
    tagged = Article.tags.through._meta
    tag = Article._meta.get_field("tags").related_model._meta
    section = Article._meta.get_field("section").related_model._meta
    links = Article.artists.through._meta
    artist = Artist._meta
    sections = f"""
        SELECT 'section', s.slug, s.name, COUNT(*)
          FROM c JOIN {article.db_table} a ON a.id = c.id
          JOIN {section.db_table} s ON s.id = a.section_id
         GROUP BY s.slug, s.name"""
    if connection.vendor == "postgresql":
        # The story-topic rows (kept by triggers) hold both links of a live story in
        # one index: one range per candidate instead of two joins.
        topics = StoryTopic._meta.db_table
        counts = f"""
        c(id) AS ({candidate_sql}),
        topics AS (
            SELECT kind, topic_id, COUNT(*) AS stories
              FROM {topics} WHERE article_id IN (SELECT id FROM c)
             GROUP BY kind, topic_id
        ),
        counted(facet, key, label, stories) AS (
        {sections}
        UNION ALL
        SELECT 'tag', t.slug, t.name, topics.stories
          FROM topics JOIN {tag.db_table} t ON t.id = topics.topic_id
         WHERE topics.kind = %s
        UNION ALL
        SELECT 'artist', ar.slug, ar.name, topics.stories
          FROM topics JOIN {artist.db_table} ar ON ar.id = topics.topic_id
         WHERE topics.kind = %s
        )"""
        params = (*params, StoryTopic.Kind.TAG.value, StoryTopic.Kind.ARTIST.value)
    else:
        counts = f"""
        c(id) AS ({candidate_sql}),
        counted(facet, key, label, stories) AS (
        {sections}
        UNION ALL
        SELECT 'tag', t.slug, t.name, COUNT(DISTINCT ti.object_id)
          FROM c JOIN {tagged.db_table} ti ON ti.object_id = c.id
          JOIN {tag.db_table} t ON t.id = ti.tag_id
         WHERE ti.content_type_id = (
               SELECT id FROM django_content_type
                WHERE app_label = %s AND model = %s)
         GROUP BY t.slug, t.name
        UNION ALL
        SELECT 'artist', ar.slug, ar.name, COUNT(*)
          FROM c JOIN {links.db_table} aa ON aa.article_id = c.id
          JOIN {artist.db_table} ar ON ar.id = aa.artist_id
         GROUP BY ar.slug, ar.name
        )"""
        params = (*params, article.app_label, article.model_name)
    # rank() gives tied counts one place, so the names that break a tie at the edge
    # all come back and Python orders them by name exactly as before.
    sql = f"""
        WITH {counts}
        SELECT facet, key, label, stories FROM (
            SELECT facet, key, label, stories,
                   rank() OVER (PARTITION BY facet ORDER BY stories DESC) AS place
              FROM counted
        ) ranked
         WHERE place <= %s{" OR (facet = %s AND key = %s)" * len(facets)}
    """
    keep = keep or {}
    chosen = [value for name in facets for value in (name, keep.get(name, ""))]
    params = (*params, FACETS_SHOWN, *chosen)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for facet, key, label, count in cursor.fetchall():
            facets[facet].append({"key": key, "label": label, "count": count})
    for rows in facets.values():
        rows.sort(key=lambda r: (-r["count"], r["label"].casefold()))
    return facets


@contextmanager
def _generic_plans(alias: str) -> Iterator[None]:
    """The prepared statements run inside use their generic plan, planned once.

    PostgreSQL re-plans a prepared statement on every call while it estimates that a
    plan made for the values beats the generic one, and for the artist and track
    statements it always did: planning (ten indexed branches, trigram estimates)
    took 2 to 5 ms against about 1 ms of running. Over twenty queries at 100,000
    stories the generic plans returned the same rows as fast or faster every time
    (not so the release statement's, which keeps the default). ``plan_cache_mode``
    is set and reset on the driver's connection: a session setting, not a query, so
    it stays out of Django's query log, as Django's own health check does.
    """
    target = connections[alias]
    if target.vendor != "postgresql":
        yield
        return
    target.ensure_connection()
    driver = target.connection
    driver.execute("SET plan_cache_mode = force_generic_plan", prepare=False)
    try:
        yield
    finally:
        driver.execute("RESET plan_cache_mode", prepare=False)


@contextmanager
def _planned_for_these_words() -> Iterator[None]:
    """Story matching gets a fresh plan every time, never a prepared generic one.

    Other statements are prepared (settings._postgres_options), search's artist,
    release and track statements included: their plans hold for any word. Not so
    the stories': a rare word wants the GIN index, a word in 5% of 100,000 stories
    wants the newest-first walk, and the generic plan picked one for all (90+ ms
    for common words). psycopg's documented switch turns preparation off here.
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def run_search(
    terms: SearchTerms,
    *,
    stories: QuerySet,
    kind: str = "",
    page: int = 1,
    chosen: dict[str, str] | None = None,
) -> SearchResults:
    """Every group for a query; ``stories`` is already narrowed by the filters.

    At most six queries whatever the data (five on PostgreSQL, which ranks the
    stories and reads that page's rows in one): ranked story ids, that page's stories,
    story facets, artists, releases, tracks.
    With ``kind`` set, that group is paginated and the others only counted (and
    previewed, which costs nothing extra). ``chosen`` names the facet values the
    reader has picked, which the facets keep whatever their rank.
    """
    db = backend()
    page = max(1, page)
    story_page = page if kind == "article" else 1
    group_limit = GROUP_PER_PAGE if kind else GROUP_PREVIEW
    with _planned_for_these_words():
        story_group, story_ids = _stories(
            db, stories, terms, page=story_page, per_page=STORIES_PER_PAGE
        )
    story_group.page = _page(
        story_group.items,
        min(story_group.total, STORY_CANDIDATES),
        story_page,
        STORIES_PER_PAGE,
    )
    groups = {"article": story_group}
    for name, function in (
        ("artist", _artists),
        ("release", _releases),
        ("track", _tracks),
    ):
        number = page if kind == name else 1
        group = function(
            db, terms, limit=group_limit, offset=(number - 1) * group_limit
        )
        group.page = _page(group.items, group.total, number, group_limit)
        groups[name] = group
    facets = _facets(story_ids, keep=chosen)
    return SearchResults(terms=terms, groups=groups, facets=facets)
