"""The SQLite backend: whole-word full-text search with FTS5, the rest portable.

Stories are indexed in an FTS5 table (``search_storytext``: headline, dek and the
body's plain text, case and accents folded), kept by triggers the search app's first
migration creates; a word matches as a whole word, so "V" finds V, not every story
with a "v". Titles of releases and tracks match whole words too. Artists are found as
on any database (their names are keys, not text).
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

from articles.models import Article
from search.backends.base import STORY_HIT_FIELDS, RankedStories
from search.backends.portable import PortableBackend
from search.query import SearchTerms

FTS_TABLE = "search_storytext"
VOCABULARY = "search_storyvocab"  # fts5vocab: one row per word of the index
SPELLING_SLACK = 2  # letters a misspelling may have more or fewer
# Column weights for bm25: a word in the headline outweighs a dek, a dek a body.
WEIGHTS = (10.0, 4.0, 1.0)


def fts_query(terms: SearchTerms) -> str:
    """An FTS5 query: every word of one phrasing (each quoted, so nothing a reader
    types is FTS5 syntax), any phrasing."""
    return " OR ".join(_every_word(words) for words in terms.phrasings)


def _every_word(words: tuple[str, ...]) -> str:
    return "(" + " AND ".join('"' + w.replace('"', '""') + '"' for w in words) + ")"


def _matching_ids(terms: SearchTerms) -> RawSQL:
    return RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
        (fts_query(terms),),
    )


class SqliteBackend(PortableBackend):
    """FTS5 for stories, word-boundary patterns for titles."""

    def story_matches(self, stories, terms):
        return stories.filter(pk__in=_matching_ids(terms))

    def ranked_stories(self, stories, terms, *, candidates, first, last):
        # Two queries, as the portable backend: ranked ids, then one page's rows.
        newest = Q(pk__in=self.newest_matches(stories, terms, candidates))
        typed = self.typed_matches(stories, terms, candidates)
        if typed is not None:
            newest |= Q(pk__in=typed)
        weights = ", ".join(str(w) for w in WEIGHTS)
        score = RawSQL(
            f"SELECT bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND rowid = articles_article.id",
            (fts_query(terms),),
        )
        # Every word as the reader typed it first (search.forgive's corrections
        # and other names after).
        as_typed = RawSQL(
            f"articles_article.id IN (SELECT rowid FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s)",
            (_every_word(terms.typed_words),),
        )
        ranked = list(
            Article.objects.using(self.using)
            .filter(newest)
            .annotate(score=score, as_typed=as_typed)
            # bm25: lower is better
            .order_by("-as_typed", "score", "-published_at", "-pk")
            .values_list("pk", flat=True)
        )
        ranked = ranked[:candidates]  # the typed ones first, then the newest
        shown = ranked[first:last]
        by_id = (
            Article.objects.using(self.using)
            .select_related("section")
            .only(*STORY_HIT_FIELDS)
            .in_bulk(shown)
        )
        return RankedStories(ranked, [by_id[pk] for pk in shown if pk in by_id])

    def story_words(self, words):
        # One query: per word, the index's words with its first letter (a range
        # scan of the vocabulary) and a length within two letters.
        words = [w for w in dict.fromkeys(words) if w]
        if not words:
            return {}
        branches, params = [], []
        for word in words:
            branches.append(
                f"SELECT %s, term FROM {VOCABULARY} "  # noqa: S608
                "WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s"
            )
            first = word[0]
            params += [
                word,
                first,
                chr(ord(first) + 1),
                len(word) - SPELLING_SLACK,
                len(word) + SPELLING_SLACK,
            ]
        nearby: dict[str, list[str]] = {word: [] for word in words}
        with connections[self.using].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(branches), params)
            for word, term in cursor.fetchall():
                nearby[word].append(term)
        return nearby

    def title_matches(self, terms: SearchTerms) -> Q:
        """Titles holding every word of a phrasing as a whole word ("V" is not in
        "Love wins all")."""
        return reduce(
            or_,
            (
                reduce(
                    and_,
                    (Q(title__iregex=rf"(?<!\w){re.escape(w)}(?!\w)") for w in words),
                )
                for words in terms.phrasings
            ),
        )
