"""What a reader typed, cleaned: the text kept in the box and the words to match.

Parsing never fails and never touches the database: every backend receives the same
:class:`SearchTerms`, whatever arrived in ``?q=`` (nothing, punctuation, a NUL byte,
Hangul, a page of text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from artists.slugs import name_key

MAX_QUERY_LENGTH = 200  # characters kept from what the reader typed
MAX_TERMS = 12  # words used for matching and highlighting

_WORD = re.compile(r"\w+", re.UNICODE)
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
    # Other ways of saying the same (a misspelling corrected, another name of the
    # artist meant): a story matching any of them matches (search.forgive).
    alternates: tuple[str, ...] = ()
    # What the reader typed, when search.forgive runs another query: stories
    # holding these words as typed rank above those found only another way.
    typed: str = ""

    @property
    def phrasings(self) -> tuple[tuple[str, ...], ...]:
        """The words of the query and of each alternate, without empty ones."""
        words = [self.terms, *(_words(a) for a in self.alternates)]
        return tuple(dict.fromkeys(w for w in words if w))

    @property
    def match_text(self) -> str:
        """The query for PostgreSQL's websearch_to_tsquery: as typed, or each
        alternate as another way ("or") to match."""
        if not self.alternates:
            return self.text
        return " or ".join(" ".join(words) for words in self.phrasings)

    @property
    def typed_text(self) -> str:
        """The query as the reader typed it."""
        return self.typed or self.text

    @property
    def typed_words(self) -> tuple[str, ...]:
        """The words of the query as the reader typed it."""
        return _words(self.typed) if self.typed else self.terms

    @property
    def is_blank(self) -> bool:
        """Nothing searchable: empty, spaces or punctuation only."""
        return not self.terms

    @property
    def key(self) -> str:
        """The whole query as a name key ("Kim Tae-hyung" -> "kimtaehyung")."""
        return name_key(self.text)

    @property
    def word_keys(self) -> list[str]:
        """Each word as a name key, sorted, without repeats or blanks."""
        return sorted({name_key(t) for t in self.terms} - {""})

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
    return SearchTerms(text=text, terms=_words(text), is_truncated=truncated)


def _words(text: str) -> tuple[str, ...]:
    """The distinct words of ``text`` (case ignored), at most ``MAX_TERMS``."""
    words: list[str] = []
    for word in _WORD.findall(text):
        word = word.strip("_")
        if word and word.casefold() not in (w.casefold() for w in words):
            words.append(word)
    return tuple(words[:MAX_TERMS])
