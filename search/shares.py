"""How common the stories' words are: which way PostgreSQL finds the newest matches.

There are two ways to find the newest stories holding a query's words: walk the
stories newest first and test each (cheap for a common word: the 200 candidates come
early), or ask the full-text index for every match and sort them (cheap for a rare
word). Measured at 100,000 stories, the walk costs about 2.6 µs a story read and the
index about 4.3 µs a match, so they break even near 3% of the stories.

PostgreSQL's planner picks between them from the same statistics but estimates a
query of several phrasings (a name and its other names, "or") by adding and
multiplying shares, and walked the whole table for words in 27 stories (340 ms for
the suggestions of "pre re"). :class:`StoryShares` estimates as the cost does: a
phrasing is as common as its rarest word, a query as its most common phrasing, and
a word missing from the statistics' most common ones is rare (the index, whose cost
is bounded by the real matches, is the safe way when in doubt).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connections

from articles.models import Article

# The column's most common words with the share of stories holding each
# (pg_stats' element statistics, renewed by ANALYZE and autovacuum).
_SHARES_SQL = """
SELECT most_common_elems::text::text[], most_common_elem_freqs
  FROM pg_stats
 WHERE schemaname = current_schema() AND tablename = %s AND attname = %s
"""


@dataclass(frozen=True)
class StoryShares:
    """The share of stories holding each common word (empty when unknown)."""

    shares: Mapping[str, float] = field(default_factory=dict)

    def share(self, phrasings: Iterable[Iterable[str]]) -> float | None:
        """About how many of the stories (0..1) match any of ``phrasings`` (each
        phrasing: every one of its words); None without statistics.

        The most common phrasing's share: the phrasings are names of one thing and
        its stories hold several of them, so adding their shares counts a story
        again for each; and an estimate too low costs the index a few milliseconds
        more, one too high walks thousands of stories for nothing.
        """
        if not self.shares:
            return None
        # to_tsvector('simple') lowercases; a word not listed is rare.
        return max(
            (
                min((self.shares.get(word.lower(), 0.0) for word in words), default=0)
                for words in phrasings
            ),
            default=0.0,
        )


def story_word_shares(using: str) -> StoryShares:
    """The stories' common words on ``using``, in one query (none off PostgreSQL)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return StoryShares()
    with connection.cursor() as cursor:
        cursor.execute(_SHARES_SQL, [Article._meta.db_table, "search_vector"])
        row = cursor.fetchone()
    if not row or not row[0]:
        return StoryShares()
    words, frequencies = row
    # The frequencies end with three summary numbers (min, max, null share): zip
    # stops at the last word.
    return StoryShares(dict(zip(words, frequencies, strict=False)))
