"""What a reader meant: misspellings corrected, names resolved, before any search.

:func:`forgive` turns the query as typed into the query the backends run: each word
found nowhere (not in a name, not in any story) replaced by the nearest word that is
(one or two letters off); a query naming an artist, release or track by a form the
database does not hold (a misspelling, a given name, a romanisation, a prefix)
replaced by its name. The other names of what was meant, and the query as typed,
become alternates: a story matching any of them matches. Backends never know.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import OSA

from artists.slugs import name_key
from search.names import EXACT, PREFIX, TYPO, Match, NameIndex, edits_allowed
from search.query import FILLER_WORDS, SearchTerms, parse_query

MAX_ALTERNATES = 6
SHORT_WORD = 3  # a last word this short may be half typed
NAMES_PER_THING = 3  # other names of a thing meant that also find its stories
# A match this much below the best is another reading, not what was meant.
CLOSE_TO_BEST = 0.12

# Words near each of the given words in the stories: word -> words found.
StoryWords = Callable[[list[str]], dict[str, list[str]]]


@dataclass(frozen=True)
class Forgiven:
    terms: SearchTerms  # what the backends run
    typed: SearchTerms  # what the reader typed
    matches: list[Match] = field(default_factory=list)  # things meant, best first
    suggestion: str = ""  # "Did you mean …": the corrected query, if corrected

    @property
    def is_changed(self) -> bool:
        return self.terms.text != self.typed.text


def forgive(terms: SearchTerms, index: NameIndex, story_words: StoryWords) -> Forgiven:
    if terms.is_blank or _is_precise(terms.text):
        return Forgiven(terms, terms)
    words = [w.casefold() for w in terms.terms]
    # The stories' words are asked for only when a word is in no name: a query of
    # names (most of them) costs no query here.
    unnamed = [
        name_key(w)
        for w in words
        if not w.isdigit()
        and w not in FILLER_WORDS
        and name_key(w) not in index.word_set
    ]
    nearby = story_words(unnamed) if unnamed else {}
    corrected = [_corrected(w, index, nearby) for w in words]
    corrected_text = " ".join(corrected)
    was_corrected = corrected != words

    unknown = [w for w in words if not _is_known(w, index, nearby)]
    matches = index.match(terms.text)
    if was_corrected:
        # Named once corrected: a misspelling, whatever the corrected name's match.
        matches += [
            replace(m, how=TYPO, score=min(m.score, 0.9))
            for m in index.match(corrected_text, prefix=False)
        ]
    if not unknown:
        # Every word is spelled as some name or story spells it: only a name as
        # typed, or a half-typed last word ("love wins al"), stands for a thing.
        half_typed = len(words[-1]) <= SHORT_WORD and len(words) > 1
        matches = [
            m for m in matches if m.score >= 0.95 or (half_typed and m.how == PREFIX)
        ]
    matches = _meant(matches)
    best = matches[0] if matches else None
    text = terms.text
    suggestion = ""
    if best is not None and best.how == EXACT and best.is_stored:
        pass  # named as the database holds it: the backends find it as typed
    elif best is not None:
        # Named in a way no row holds: search by the stored name it stands for.
        text = best.source
        suggestion = text if best.how != EXACT else ""
    elif was_corrected:
        text = suggestion = corrected_text
    kept = [w for w in corrected if w not in FILLER_WORDS]
    # What is left without an epithet's filler: "the wining album" -> "winning".
    alternates = [terms.text, corrected_text, " ".join(kept)]
    for match in matches:
        alternates.extend(index.names[match.thing][:NAMES_PER_THING])
    alternates.extend(_spans(corrected, index))
    chosen = parse_query(text)
    alternates = [a for a in dict.fromkeys(alternates) if a and a != chosen.text]
    forgiven = replace(
        chosen, alternates=tuple(alternates[:MAX_ALTERNATES]), typed=terms.text
    )
    return Forgiven(forgiven, terms, matches, suggestion)


def _is_precise(text: str) -> bool:
    """Quoted phrases or excluded words: the reader says exactly what to match."""
    return '"' in text or text.startswith("-") or " -" in text


def _meant(matches: Iterable[Match]) -> list[Match]:
    """The matches close to the best, best first, each thing once."""
    ordered: dict = {}
    for match in sorted(matches, key=lambda m: -m.score):
        ordered.setdefault(match.thing, match)
    if not ordered:
        return []
    top = next(iter(ordered.values())).score
    return [m for m in ordered.values() if m.score >= top - CLOSE_TO_BEST][:3]


def _is_known(word: str, index: NameIndex, nearby: dict[str, list[str]]) -> bool:
    """A name or a story holds ``word`` (or it is a number, or filler)."""
    key = name_key(word)
    return (
        not key
        or key.isdigit()
        or key in index.word_set
        or key in nearby.get(key, ())
        or word in FILLER_WORDS
    )


def _corrected(word: str, index: NameIndex, nearby: dict[str, list[str]]) -> str:
    """``word`` if a name or a story holds it, else the nearest word one does."""
    if _is_known(word, index, nearby):
        return word
    key = name_key(word)
    found = nearby.get(key, [])
    edits = edits_allowed(key)
    # Nearest first; among as near, the same letters swapped ("singel" is
    # "single" before "singer"), then a name's word before a story's.
    candidates = [(OSA.distance(key, w), sorted(w) != sorted(key), 1, w) for w in found]
    closest = index.closest_word(key)
    if closest is not None:
        near = closest[0]
        candidates.append((closest[1], sorted(near) != sorted(key), 0, near))
    candidates = [c for c in candidates if c[3] and c[0] <= edits]
    return min(candidates)[3] if candidates else word


def _spans(words: list[str], index: NameIndex) -> list[str]:
    """The query with a part of it that names something exactly (a run of words)
    replaced by that thing's other names: "Taehyung interview" -> "V interview"."""
    out: list[str] = []
    if len(words) < 2:
        return out
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = " ".join(words[start : start + size])
            if part in FILLER_WORDS:
                continue
            for match in index.match(part, prefix=False, fuzzy=False)[:1]:
                if match.score < 0.95:
                    continue
                for name in index.names[match.thing][:NAMES_PER_THING]:
                    out.append(" ".join([*words[:start], name, *words[start + size :]]))
    return out
