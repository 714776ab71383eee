"""What every search backend answers; the engine asks nothing else of a database.

A backend is chosen per search by the database's vendor (:func:`search.engine.backend`)
and bound to one database alias, so every statement of a search reads the same copy.
Each method is one query (the portable story ranking, two), whatever the data size, so
a results page keeps a fixed budget. A backend returns rows; the engine decides what
is shown (highlighting, snippets, pages).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

from articles.models import Article
from artists.models import Artist
from discography.models import Release, Track
from search.facets import Facets
from search.query import SearchTerms
from search.shares import StoryShares

M = TypeVar("M", bound=Model)

# What an artist's or a release's result card shows as its picture (newsroom/cards.py).
ARTIST_PICTURE_FIELDS = ("photo", "photo_width", "photo_height", "photo_renditions")
RELEASE_PICTURE_FIELDS = (
    "cover",
    "cover_alt",
    "cover_width",
    "cover_height",
    "cover_renditions",
)
# What a story hit shows: kicker, headline, snippet and date.
STORY_HIT_FIELDS = (
    "headline",
    "slug",
    "dek",
    "body",
    "published_at",
    "section__name",
    "section__slug",
    # The result's picture (newsroom/cards.py).
    "hero_image",
    "hero_width",
    "hero_height",
    "hero_renditions",
)


@dataclass(frozen=True)
class Found(Generic[M]):
    """One page of a result group, and how many matched in all (0 past the end)."""

    rows: list[M]
    total: int


@dataclass(frozen=True)
class RankedStories:
    """Every candidate story's id, best first, and the rows of the requested ranks."""

    ids: list[int]
    page: list[Article]


class SearchBackend(ABC):
    """Finding and ranking on one kind of database.

    Rows come back as model instances with only the fields a hit shows loaded (the
    others deferred), plus these attributes: artists ``credited_on`` (the title of an
    exactly named song or release they are credited on, else ``""``),
    ``matched_alias`` (the other name that matched, never a misspelling) and
    ``score``; releases ``artist_name`` (the first credit) and ``score``; tracks
    ``artist_name``, with ``release`` loaded.
    """

    # How common the stories' words are (search.shares): set by the engine from the
    # name index it reads for every search anyway; unknown until then.
    story_shares: StoryShares = StoryShares()

    def __init__(self, using: str) -> None:
        self.using = using

    @abstractmethod
    def story_matches(self, stories: QuerySet, terms: SearchTerms) -> QuerySet:
        """``stories`` narrowed to those holding every word of the query."""

    @abstractmethod
    def ranked_stories(
        self,
        stories: QuerySet,
        terms: SearchTerms,
        *,
        candidates: int,
        first: int,
        last: int,
    ) -> RankedStories:
        """The newest ``candidates`` matches among ``stories``, best first: a headline
        match above a dek, a dek above a body; and the rows ranked first..last-1."""

    @abstractmethod
    def artists(self, terms: SearchTerms, *, limit: int, offset: int) -> Found[Artist]:
        """Artists by any name, alias, misspelling, or a song the reader remembers;
        the best named first, then by sort name."""

    @abstractmethod
    def releases(
        self, terms: SearchTerms, *, limit: int, offset: int
    ) -> Found[Release]:
        """Releases titled with the words, and every release of an artist named
        exactly: title matches first, then the newest."""

    @abstractmethod
    def tracks(self, terms: SearchTerms, *, limit: int, offset: int) -> Found[Track]:
        """Tracks titled with the words, the newest release first, in tracklist order."""

    @abstractmethod
    def facets(self, story_ids: Sequence[int], *, keep: Mapping[str, str]) -> Facets:
        """Section, tag and artist counts over ``story_ids``: per facet the
        ``FACETS_SHOWN`` most frequent values (with every value tied with the last of
        them) and the value the reader has chosen (``keep``), whatever its rank."""

    def story_words(self, words: Sequence[str]) -> dict[str, list[str]]:
        """Per word, the words of the stories spelled like it (itself, if a story
        holds it), in one query; a backend without a vocabulary knows none."""
        return {}

    def typed_matches(
        self, stories: QuerySet, terms: SearchTerms, candidates: int
    ) -> QuerySet | None:
        """The newest ``candidates`` stories holding the words as the reader typed
        them, when search.forgive runs another query (a correction, the name a
        misspelling or a romanisation stands for), else None. They rank first, so
        they are candidates however many newer stories only the correction finds.
        (A name typed as stored is the query itself: its other names, rarer, add
        candidates without crowding it out.)"""
        if terms.typed_text == terms.text:
            return None
        typed = SearchTerms(text=terms.typed_text, terms=terms.typed_words)
        return self.newest_matches(stories, typed, candidates)

    def newest_matches(
        self, stories: QuerySet, terms: SearchTerms, candidates: int
    ) -> QuerySet:
        """The newest ``candidates`` matches, which are all a search ranks: a common
        word over 100,000 stories costs a bounded amount of work."""
        return (
            self.story_matches(stories.using(self.using), terms)
            .order_by("-published_at", "-pk")
            .values("pk")[:candidates]
        )
