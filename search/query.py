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
    words: list[str] = []
    for word in _WORD.findall(text):
        word = word.strip("_")
        if word and word.casefold() not in (w.casefold() for w in words):
            words.append(word)
    return SearchTerms(
        text=text, terms=tuple(words[:MAX_TERMS]), is_truncated=truncated
    )
