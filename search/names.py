"""The name index: every name a reader may mean, held in memory, matched forgivingly.

Artists (name, native name, aliases, editors' synonyms), releases and tracks are
small tables next to the stories (thousands of rows at 100,000 stories), so each
process keeps them in memory, read in one query and renewed when any of those rows
changes (:func:`search.name_version.names_changed`, connected in ``SearchConfig.ready``: a version number
in the shared cache, so every process renews its copy).
Each name also answers to the forms fans type: the given name without the family
name, the Revised Romanization of a Hangul name, romanisation variants folded
(:func:`search.hangul.roman_key`), and one or two wrong, missing, swapped or doubled
letters (RapidFuzz's optimal string alignment distance, over jamo for Hangul).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from artists.models import Artist, ArtistAlias
from artists.slugs import name_key
from core.urlcache import reverse_or_none
from discography.models import Release, Track
from search.hangul import given_names, has_hangul, jamo, roman_key, romanisations
from search.models import Synonym
from search.name_version import names_version
from search.shares import StoryShares, story_word_shares

EXACT, VARIANT, PREFIX, TYPO = "exact", "variant", "prefix", "typo"
SYNONYM = "synonym"  # the source of a name from search.models.Synonym
_WORD = re.compile(r"\w+")
PREFIX_RESULTS = 40  # names a prefix may match before it says little


def edits_allowed(key: str) -> int:
    """Wrong letters forgiven in a name this long (jamo counted for Hangul): none in
    three letters or fewer, one up to five, two from six."""
    length = len(jamo(key))
    return 0 if length <= 3 else 1 if length <= 5 else 2


@dataclass(frozen=True, slots=True)
class Thing:
    """An artist, release or track a reader may mean."""

    kind: str  # "artist", "release" or "track"
    pk: int
    label: str  # its name or title as shown
    slug: str  # its own, or a track's release's
    detail: str = ""  # who or what it is: a disambiguation, a release's title
    extra: str = ""  # a track's place on its release ("1-3")

    @property
    def url(self) -> str | None:
        """Its address (None for a slug that makes none), worked out when shown:
        reversing all of them made half the index's build time (thousands of
        names, on every renewal, in every process)."""
        return _url(self.kind, self.slug, self.extra)


@dataclass(frozen=True, slots=True)
class Form:
    """One way of writing a thing's name, and its keys."""

    thing: Thing
    name: str
    is_stored: bool  # typed by an editor (searchable as it is), not derived by us
    source: str  # the stored name it was derived from (itself, if stored)
    key: str
    roman: str


@dataclass(frozen=True, slots=True)
class Match:
    thing: Thing
    name: str  # the form that matched
    score: float  # 1.0 as typed; less for a variant, a prefix, a misspelling
    how: str
    is_stored: bool
    source: str  # the stored name the form comes from: what the database finds


class NameIndex:
    """Names by exact key, by folded romanisation, by prefix and by edit distance."""

    def __init__(self, rows: list[tuple[str, int, str, str, str, str, str]]) -> None:
        things: dict[tuple[str, int], Thing] = {}
        self.names: dict[Thing, list[str]] = defaultdict(list)
        self.forms: list[Form] = []
        for kind, pk, name, slug, detail, source, extra in rows:
            if not name or not slug:  # nothing to find it by, nowhere to go
                continue
            thing = things.get((kind, pk))
            if thing is None:
                thing = Thing(kind, pk, name, slug, detail, extra)
                things[(kind, pk)] = thing
            if source != "misspelling" and name not in self.names[thing]:
                self.names[thing].append(name)
            # A synonym is ours, not the artist's: the database finds the artist
            # by the name it stands for.
            is_synonym = source == SYNONYM
            self._add(
                thing,
                name,
                thing.label if is_synonym else name,
                is_stored=not is_synonym,
            )
            for derived in [*given_names(name), *romanisations(name)]:
                self._add(thing, derived, name, is_stored=False)
        self.by_key: dict[str, list[Form]] = defaultdict(list)
        self.by_roman: dict[str, list[Form]] = defaultdict(list)
        for form in self.forms:
            self.by_key[form.key].append(form)
            self.by_roman[form.roman].append(form)
        self.sorted_keys = sorted((form.key, n) for n, form in enumerate(self.forms))
        self._keys_only = [key for key, _ in self.sorted_keys]
        self.jamo_keys = [jamo(form.key) for form in self.forms]
        self.roman_keys = [form.roman for form in self.forms]
        words = {w for f in self.forms for w in _WORD.findall(f.name)}
        self.words = sorted({name_key(w) for w in words} - {""})
        self.word_set = frozenset(self.words)
        self._jamo_lengths = _by_length(self.jamo_keys)
        self._roman_lengths = _by_length(self.roman_keys)
        self._word_lengths = _by_length(self.words)
        # Share of stories holding each common word (search.shares), set by
        # name_index(): empty when unknown (no statistics yet, or not PostgreSQL).
        self.story_shares: StoryShares = StoryShares()

    def _add(self, thing: Thing, name: str, source: str, *, is_stored: bool) -> None:
        key = name_key(name)
        if key:
            self.forms.append(
                Form(thing, name, is_stored, source, key, roman_key(name))
            )

    def match(
        self,
        text: str,
        *,
        prefix: bool = True,
        fuzzy: bool = True,
        prefix_from: int = 3,
    ) -> list[Match]:
        """Things ``text`` may name, best first, each once."""
        key = name_key(text)
        if not key:
            return []
        found: dict[Thing, Match] = {}

        def add(form: Form, score: float, how: str) -> None:
            held = found.get(form.thing)
            if held is None or held.score < score:
                found[form.thing] = Match(
                    form.thing, form.name, score, how, form.is_stored, form.source
                )

        for form in self.by_key.get(key, ()):
            add(form, 1.0 if form.is_stored else 0.97, EXACT)
        for form in self.by_roman.get(roman_key(text), ()):
            add(form, 0.95, VARIANT)
        edits = edits_allowed(key) if fuzzy else 0
        if edits:
            query, choices = (
                (jamo(key), self._jamo_lengths)
                if has_hangul(key)
                else (roman_key(text), self._roman_lengths)
            )
            for distance, n in _nearest(query, choices, edits, limit=20):
                add(self.forms[n], 0.9 - 0.1 * distance, TYPO)
        if prefix and len(jamo(key)) >= prefix_from:
            start = bisect.bisect_left(self._keys_only, key)
            for key_found, n in self.sorted_keys[start : start + PREFIX_RESULTS]:
                if not key_found.startswith(key):
                    break
                add(self.forms[n], 0.6 + 0.2 * len(key) / len(key_found), PREFIX)
        return sorted(
            found.values(), key=lambda m: (-m.score, m.thing.kind, m.thing.label)
        )

    def loosely_like(self, text: str, *, limit: int) -> list[Thing]:
        """Things whose names look somewhat like ``text`` (RapidFuzz's WRatio), best
        first: suggestions when nothing matched well."""
        key = roman_key(text)
        if not key:
            return []
        found: list[Thing] = []
        for _, _, n in process.extract(
            key, self.roman_keys, scorer=fuzz.WRatio, score_cutoff=60, limit=limit * 4
        ):
            thing = self.forms[n].thing
            if thing not in found:
                found.append(thing)
        return found[:limit]

    def closest_word(self, word: str) -> tuple[str, int] | None:
        """The word of a name nearest ``word`` (within the edits its length allows)."""
        edits = edits_allowed(word)
        if not edits:
            return None
        best = _nearest(jamo(word), self._word_lengths, edits, limit=1)
        return (self.words[best[0][1]], best[0][0]) if best else None


# Strings by length: (the strings, their places in the list they came from).
Lengths = dict[int, tuple[list[str], list[int]]]


def _by_length(keys: list[str]) -> Lengths:
    buckets: Lengths = {}
    for n, key in enumerate(keys):
        strings, places = buckets.setdefault(len(key), ([], []))
        strings.append(key)
        places.append(n)
    return buckets


def _nearest(
    query: str, lengths: Lengths, edits: int, *, limit: int
) -> list[tuple[int, int]]:
    """(distance, place) of the strings within ``edits`` of ``query`` (RapidFuzz's
    optimal string alignment distance), nearest first, then by place. Only strings
    as long give or take ``edits`` are compared (each edit changes the length by one
    at most): a tenth of the names, where comparing all took most of a search's
    name matching (0.8 ms of CPU at 100,000 stories)."""
    found: list[tuple[int, int]] = []
    for length in range(len(query) - edits, len(query) + edits + 1):
        if length not in lengths:
            continue
        strings, places = lengths[length]
        for _, distance, n in process.extract(
            query, strings, scorer=OSA.distance, score_cutoff=edits, limit=limit
        ):
            found.append((distance, places[n]))
    return sorted(found)[:limit]


def _url(kind: str, slug: str, extra: str) -> str | None:
    if kind == "artist":
        return reverse_or_none("artists:detail", slug=slug)
    url = reverse_or_none("discography:release", slug=slug)
    return f"{url}#track-{extra}" if url and kind == "track" else url


def name_rows(using: str | None = None) -> list:
    """Every name, in one query: (kind, pk, name, slug, detail, source, extra)."""
    text = CharField()

    def shaped(queryset, kind, pk, name, slug, detail, source, extra):
        return queryset.order_by().values_list(
            Value(kind, output_field=text),
            pk,
            name,
            slug,
            detail,
            source,
            extra,
        )

    blank = Value("", output_field=text)
    artists = Artist.objects.all()
    parts = [
        shaped(
            artists,
            "artist",
            F("pk"),
            F("name"),
            F("slug"),
            F("disambiguation"),
            Value("name", output_field=text),
            blank,
        ),
        shaped(
            artists.exclude(native_name=""),
            "artist",
            F("pk"),
            F("native_name"),
            F("slug"),
            F("disambiguation"),
            Value("native", output_field=text),
            blank,
        ),
        shaped(
            ArtistAlias.objects.all(),
            "artist",
            F("artist_id"),
            F("name"),
            F("artist__slug"),
            F("artist__disambiguation"),
            F("kind"),
            blank,
        ),
        shaped(
            Synonym.objects.all(),
            "artist",
            F("artist_id"),
            F("name"),
            F("artist__slug"),
            F("artist__disambiguation"),
            Value(SYNONYM, output_field=text),
            blank,
        ),
        shaped(
            Release.objects.all(),
            "release",
            F("pk"),
            F("title"),
            F("slug"),
            F("kind"),
            Value("title", output_field=text),
            blank,
        ),
        shaped(
            Track.objects.all(),
            "track",
            F("pk"),
            F("title"),
            F("release__slug"),
            F("release__title"),
            Value("title", output_field=text),
            Concat(
                Cast("disc", text),
                Value("-"),
                Cast("position", text),
                output_field=text,
            ),
        ),
    ]
    query = parts[0].union(*parts[1:], all=True)
    if using:
        query = query.using(using)
    # Artists' own names first, so a thing's label is its name, not an alias.
    return sorted(query, key=lambda row: (row[0], row[1], row[5] != "name"))


_lock = threading.Lock()
_held: dict[str, tuple[int, NameIndex]] = {}


def name_index(using: str = "default") -> NameIndex:
    """This process's index of the names on ``using``, renewed after any change."""
    version = names_version()
    held = _held.get(using)
    if held is not None and version is not None and held[0] == version:
        return held[1]
    with _lock:
        held = _held.get(using)
        if held is None or version is None or held[0] != version:
            index = NameIndex(name_rows(using))
            # Read with the names, so a search costs no query more than the index
            # read it shares: how common the stories' words are (PostgreSQL only).
            index.story_shares = story_word_shares(using)
            held = _held[using] = (version, index)
    return held[1]


def forget() -> None:
    """Drop every held index (tests that roll back rows the index read)."""
    _held.clear()
