"""The portable backend: Django's ORM alone, so it runs on any database Django does.

It is what SQLite (the zero-setup development database) uses, and the reference the
PostgreSQL backend's hand-written statements are tested against. Matching is
case-insensitive ``LIKE``: every word must appear somewhere (as a substring, so "win"
also finds "winning", and a story's HTML is searched as stored), scored by where each
word appears. No stemming, no misspellings, no index: fine for development and small
sites.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import reduce
from operator import and_, or_

from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
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

from articles.models import Article
from artists.models import Artist, ArtistAlias
from discography.models import Release, ReleaseCredit, Track, TrackFeature
from search.backends.base import (
    ARTIST_PICTURE_FIELDS,
    RELEASE_PICTURE_FIELDS,
    STORY_HIT_FIELDS,
    Found,
    RankedStories,
    SearchBackend,
)
from search.facets import Facets, collect, most_frequent, no_facets
from search.query import SearchTerms


class PortableBackend(SearchBackend):
    """Matching with ``icontains``, ranking with ``Case`` expressions."""

    def story_matches(self, stories, terms):
        return stories.filter(
            reduce(
                or_,
                (
                    reduce(
                        and_,
                        (
                            Q(headline__icontains=t)
                            | Q(dek__icontains=t)
                            | Q(body__icontains=t)
                            for t in words
                        ),
                    )
                    for words in terms.phrasings
                ),
            )
        )

    def ranked_stories(self, stories, terms, *, candidates, first, last):
        # Two queries: the ranked ids (small integers only; the matching work is
        # done once), then the rows of one page.
        newest = Q(pk__in=self.newest_matches(stories, terms, candidates))
        typed = self.typed_matches(stories, terms, candidates)
        if typed is not None:
            newest |= Q(pk__in=typed)
        ranked = list(
            Article.objects.using(self.using)
            .filter(newest)
            .annotate(as_typed=_as_typed(terms), score=_story_score(terms))
            .order_by("-as_typed", "-score", "-published_at", "-pk")
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

    def artists(self, terms, *, limit, offset):
        own_level, own_match = _name_level(terms, "name_key", "native_name_key")
        alias_level, alias_match = _name_level(terms, "key")
        credited_title, credits = _credited_artists(terms.title_words)
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
            best_alias.order_by("-level").values("level")[:1],
            output_field=FloatField(),
        )
        shown_alias = Subquery(
            best_alias.filter(level__gt=0)
            .exclude(kind=ArtistAlias.Kind.MISSPELLING)
            .order_by("-level", "kind", "name")
            .values("name")[:1]
        )
        rows = list(
            Artist.objects.using(self.using)
            .filter(pk__in=candidates)
            .only(
                "name",
                "native_name",
                "slug",
                "kind",
                "disambiguation",
                *ARTIST_PICTURE_FIELDS,
            )
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
        return _found(rows)

    def releases(self, terms, *, limit, offset):
        by_named_artist = ReleaseCredit.objects.filter(
            release=OuterRef("pk"), artist__in=Artist.objects.matching_name(terms.text)
        )
        title_hit = self.title_matches(terms)
        rows = list(
            Release.objects.using(self.using)
            .filter(title_hit | Exists(by_named_artist))
            .only("title", "slug", "kind", "released_on", *RELEASE_PICTURE_FIELDS)
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
        return _found(rows)

    def tracks(self, terms, *, limit, offset):
        rows = list(
            Track.objects.using(self.using)
            .filter(self.title_matches(terms))
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
            .annotate(
                artist_name=_first_credit("release_id"), total=Window(Count("pk"))
            )
            .order_by(
                F("release__released_on").desc(nulls_last=True),
                "release_id",
                "disc",
                "position",
            )[offset : offset + limit]
        )
        return _found(rows)

    def title_matches(self, terms: SearchTerms) -> Q:
        """Releases or tracks whose title holds every word of one phrasing."""
        return reduce(
            or_,
            (
                reduce(and_, (Q(title__icontains=t) for t in words))
                for words in terms.phrasings
            ),
        )

    def facets(self, story_ids: Sequence[int], *, keep: Mapping[str, str]) -> Facets:
        # One query: the three counts unioned. Every value comes back and Python
        # keeps the most frequent: the ORM cannot filter on a rank next to the
        # reader's choice, and a database this backend serves holds few of them.
        if not story_ids:
            return no_facets()
        ids = list(story_ids)
        article = Article._meta
        counted = {
            "section": Article.objects.filter(pk__in=ids, section__isnull=False)
            .values(key=F("section__slug"), label=F("section__name"))
            .annotate(stories=Count("pk")),
            "tag": Article.tags.through.objects.filter(
                object_id__in=ids,
                # taggit's content type by name, joined: no lookup of its own.
                content_type__app_label=article.app_label,
                content_type__model=article.model_name,
            )
            .values(key=F("tag__slug"), label=F("tag__name"))
            .annotate(stories=Count("object_id", distinct=True)),
            "artist": Article.artists.through.objects.filter(article_id__in=ids)
            .values(key=F("artist__slug"), label=F("artist__name"))
            .annotate(stories=Count("article_id")),
        }
        parts = [
            rows.using(self.using)
            .order_by()
            .annotate(facet=Value(name))
            .values_list("facet", "key", "label", "stories")
            for name, rows in counted.items()
        ]
        return most_frequent(collect(parts[0].union(*parts[1:], all=True)), keep)


def _found(rows: list) -> Found:
    return Found(rows, rows[0].total if rows else 0)


def _as_typed(terms: SearchTerms) -> Case:
    """1 for a story holding every word as the reader typed it, else 0: it ranks
    above those found only through a correction or another name (search.forgive)."""
    every = reduce(
        and_,
        (
            Q(headline__icontains=t) | Q(dek__icontains=t) | Q(body__icontains=t)
            for t in terms.typed_words
        ),
    )
    return Case(
        When(every, then=Value(1)), default=Value(0), output_field=IntegerField()
    )


def _story_score(terms: SearchTerms):
    """4 for each word in the headline, 2 in the dek, 1 in the body."""
    parts = [
        Case(
            When(headline__icontains=t, then=Value(4.0)),
            When(dek__icontains=t, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
        for t in dict.fromkeys(w for words in terms.phrasings for w in words)
    ]
    return reduce(lambda a, b: a + b, parts)


def _credited_artists(words: tuple[str, ...]) -> tuple[Expression, list[QuerySet]]:
    """Artists credited on a track or release titled exactly ``words``.

    This is how "the Holssi singer" finds IU without anyone typing an alias. Gives
    the title (to show why, and to score) and the credit querysets.
    """
    if not words:
        return Value(""), []
    title = " ".join(words).lower()
    tracks = Track.objects.annotate(title_lower=Lower("title")).filter(
        title_lower=title
    )
    releases = Release.objects.annotate(title_lower=Lower("title")).filter(
        title_lower=title
    )
    on_release = ReleaseCredit.objects.filter(
        Q(release__in=releases.values("pk"))
        | Q(release__in=tracks.values("release_id"))
    )
    featured = TrackFeature.objects.filter(track__in=tracks.values("pk"))
    shown = Coalesce(
        Subquery(
            tracks.filter(
                Q(release__credits__artist=OuterRef("pk"))
                | Q(features__artist=OuterRef("pk"))
            ).values("title")[:1]
        ),
        Subquery(releases.filter(credits__artist=OuterRef("pk")).values("title")[:1]),
        Value(""),
    )
    return shown, [on_release, featured]


def _name_level(terms: SearchTerms, *fields: str) -> tuple[Case, Q]:
    """4 for a whole-name match, 2.5 for one of the words, 2 for part of a name;
    and the plain condition (index-friendly) that any of them holds."""
    key = terms.key

    def any_of(lookup: str, value) -> Q:
        return reduce(or_, (Q(**{f"{field}{lookup}": value}) for field in fields))

    conditions = [(any_of("", key), 4.0), (any_of("__in", terms.word_keys), 2.5)]
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


def _first_credit(release_ref: str) -> Subquery:
    """The name a release's first credit shows ("credited as", else the artist's)."""
    return Subquery(
        ReleaseCredit.objects.filter(release=OuterRef(release_ref))
        .annotate(
            shown=Coalesce(NullIf(F("credited_as"), Value("")), F("artist__name"))
        )
        .order_by("position", "pk")
        .values("shown")[:1]
    )
