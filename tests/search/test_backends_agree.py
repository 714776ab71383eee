"""Each hand-written PostgreSQL statement gives the portable (ORM) backend's answer.

Both backends run against the same PostgreSQL test data, on queries the portable one
can answer (whole words, names typed as stored: no misspellings, no stemming, no
substring that only LIKE would find), and must return the same rows in the same
order, with the same totals and the same attributes a hit shows.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from search.backends.portable import PortableBackend
from search.backends.postgres import PostgresBackend, artist_statement, sql_parts
from search.facets import FACETS_SHOWN
from search.query import parse_query
from tests.articles.factories import ArticleFactory, SectionFactory
from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory, TrackFactory
from tests.search.conftest import on_postgres

pytestmark = [pytest.mark.django_db, on_postgres]


@pytest.fixture
def backends():
    return PostgresBackend(connection.alias), PortableBackend(connection.alias)


@pytest.fixture
def discography(iu, v, the_winning):
    """IU's two releases (V featured on one song), a group, a tribute act, and
    artists whose names are words an epithet drops."""
    love_wins_all = the_winning.tracks.get(title="Love wins all")
    love_wins_all.features.create(artist=v, position=0, join_phrase="feat.")
    the_winning.released_on = datetime.date(2024, 2, 20)
    the_winning.save()
    lilac = ReleaseFactory(
        title="LILAC", released_on=datetime.date(2021, 3, 25), artists=[iu]
    )
    for position, title in enumerate(["LILAC", "Flu", "Coin"], start=1):
        TrackFactory(release=lilac, position=position, title=title)
    bts = ArtistFactory(name="BTS", slug="bts", native_name="방탄소년단")
    ReleaseFactory(
        title="Butter", released_on=datetime.date(2021, 5, 21), artists=[bts]
    )
    ArtistFactory(name="IU Tribute Band", slug="iu-tribute-band")
    ArtistFactory(name="The Boyz", slug="the-boyz")
    ArtistFactory(name="By Chance", slug="by-chance")
    ArtistFactory(name="A", slug="a", disambiguation="experimental duo")
    tribute = ReleaseFactory(
        title="Songs of LILAC", released_on=datetime.date(2022, 1, 1)
    )
    TrackFactory(release=tribute, position=1, title="LILAC")
    TrackFactory(release=tribute, position=2, title="Coin")
    return lilac


def artist_answer(found):
    return found.total, [
        (a.pk, a.name, a.credited_on, a.matched_alias or "") for a in found.rows
    ]


# Between them, every way the artist statement is put together (see the last test).
ARTIST_QUERIES = [
    "IU",  # a two-letter key: LIKE on the beginning of names, no trigrams
    "V",  # one letter: neither
    "Boyz",  # three letters or more: LIKE anywhere and trigram branches
    "방탄소년단",
    "아이유",  # a native name
    "이지은",  # an alias in Hangul
    "Lee Ji-eun",  # an alias with its punctuation
    "Kim Taehyung",
    "the Holssi singer",  # credited on a song titled exactly
    "who sang Love wins all",  # credited on it, or featured
    "LILAC",  # credited on a release and on a song of that title
    "Tribute",  # part of a name
    "the",  # filler only: no title to look for
    "by",  # the same, two letters
    "a",  # the same, one letter
]


@pytest.mark.parametrize("query", ARTIST_QUERIES)
def test_artist_statement_finds_the_portable_artists(backends, discography, query):
    postgres, portable = backends
    terms = parse_query(query)
    expected = artist_answer(portable.artists(terms, limit=20, offset=0))
    assert expected[0] > 0, "a query the portable backend answers"
    assert artist_answer(postgres.artists(terms, limit=20, offset=0)) == expected


def test_artist_pages_agree_past_the_first(backends, discography):
    postgres, portable = backends
    terms = parse_query("IU")
    for offset in (0, 1, 2, 5):
        ours = postgres.artists(terms, limit=1, offset=offset)
        theirs = portable.artists(terms, limit=1, offset=offset)
        assert artist_answer(ours) == artist_answer(theirs), offset


def test_every_artist_statement_variant_is_compared():
    variants = {
        (len(t.key) >= 2, len(t.key) >= 3, bool(t.title_words))
        for t in map(parse_query, ARTIST_QUERIES)
    }
    # Trigrams only from three letters, LIKE from two: six ways in all.
    assert variants == {
        (like, fuzzy, title)
        for like in (True, False)
        for fuzzy in (True, False)
        for title in (True, False)
        if like or not fuzzy
    }
    for has_like, has_fuzzy, has_title in variants:
        sql = artist_statement(
            has_like=has_like, has_fuzzy=has_fuzzy, has_title=has_title
        )
        assert ("LIKE" in sql) is has_like
        assert ("%%" in sql) is has_fuzzy
        assert ("credited_titles" in sql) is has_title
        assert "${" not in sql


def release_answer(found):
    return found.total, [(r.pk, r.title, r.artist_name, r.score) for r in found.rows]


@pytest.mark.parametrize(
    "query", ["IU", "아이유", "Lee Ji-eun", "LILAC", "Winning", "Butter", "BTS"]
)
def test_release_statement_finds_the_portable_releases(backends, discography, query):
    postgres, portable = backends
    terms = parse_query(query)
    expected = release_answer(portable.releases(terms, limit=20, offset=0))
    assert expected[0] > 0
    assert release_answer(postgres.releases(terms, limit=20, offset=0)) == expected


def test_releases_of_an_artist_named_exactly_come_newest_first(backends, discography):
    postgres, portable = backends
    for backend in backends:
        found = backend.releases(parse_query("IU"), limit=5, offset=0)
        assert [r.title for r in found.rows] == ["The Winning", "LILAC"]
    # Title matches first: "LILAC" the release, then the tribute that holds the word.
    found = postgres.releases(parse_query("LILAC"), limit=1, offset=1)
    assert release_answer(found) == release_answer(
        portable.releases(parse_query("LILAC"), limit=1, offset=1)
    )


def track_answer(found):
    return found.total, [
        (t.pk, t.title, t.release.pk, t.release.title, t.artist_name)
        for t in found.rows
    ]


@pytest.mark.parametrize("query", ["LILAC", "Coin", "Love wins all", "Holssi", "Shh"])
def test_track_statement_finds_the_portable_tracks(backends, discography, query):
    postgres, portable = backends
    terms = parse_query(query)
    expected = track_answer(portable.tracks(terms, limit=20, offset=0))
    assert expected[0] > 0
    assert track_answer(postgres.tracks(terms, limit=20, offset=0)) == expected


def test_tracks_of_the_same_title_come_newest_release_first(backends, discography):
    for backend in backends:
        found = backend.tracks(parse_query("Coin"), limit=5, offset=0)
        assert [t.release.title for t in found.rows] == ["Songs of LILAC", "LILAC"]
        assert [t.artist_name for t in found.rows] == [None, "IU"]


def test_nothing_found_is_an_empty_page_with_no_total(backends, discography):
    terms = parse_query("zzyzx")
    for backend in backends:
        for find in (backend.artists, backend.releases, backend.tracks):
            found = find(terms, limit=5, offset=0)
            assert (found.rows, found.total) == ([], 0)


# --- stories ----------------------------------------------------------------------------


@pytest.fixture
def stories(iu):
    """One word in a headline, a dek or a body, once each, at different times."""
    now = timezone.now()
    section = SectionFactory()

    def story(hours: int, **fields):
        defaults = {"dek": "A summary.", "body": "<p>Other words.</p>"}
        return ArticleFactory(
            published=True,
            published_at=now - datetime.timedelta(hours=hours),
            **{**defaults, "section": section, **fields},
        )

    made = [
        story(5, headline="Encore for the winter tour"),
        story(1, headline="Tour news", dek="An encore was played."),
        story(2, headline="Concert review", body="<p>The encore ran long.</p>"),
        story(3, headline="Encore again", section=None),
        story(4, headline="Setlist", body='<p><a href="/x">link</a> an encore</p>'),
        story(6, headline="Nothing here"),
    ]
    made[0].tags.add("Winter")
    made[2].tags.add("Winter")
    made[1].artists.add(iu)
    ArticleFactory(headline="Encore draft")  # never a candidate
    return made


def story_answer(ranked):
    return ranked.ids, [
        (s.pk, s.headline, s.section.slug if s.section else None) for s in ranked.page
    ]


@pytest.mark.parametrize(
    "filters", [{}, {"tags__slug": "winter"}, {"artists__slug": "iu"}]
)
def test_ranked_stories_statement_ranks_as_the_portable_backend(
    backends, stories, filters
):
    postgres, portable = backends
    published = Article.objects.published().filter(**filters)
    terms = parse_query("encore")
    for first, last in [(0, 20), (1, 3), (4, 10)]:
        kwargs = {"candidates": 200, "first": first, "last": last}
        expected = story_answer(portable.ranked_stories(published, terms, **kwargs))
        assert expected[0]
        ours = story_answer(postgres.ranked_stories(published, terms, **kwargs))
        assert ours == expected, (filters, first, last)


def test_headline_over_dek_over_body_then_newest(backends, stories):
    expected = [stories[n].pk for n in (3, 0, 1, 2, 4)]
    for backend in backends:
        ranked = backend.ranked_stories(
            Article.objects.published(),
            parse_query("encore"),
            candidates=200,
            first=0,
            last=20,
        )
        assert ranked.ids == expected
        assert ranked.page[0].section is None  # no section is None, not a blank one


def test_only_the_newest_candidates_are_ranked(backends, stories):
    for backend in backends:
        ranked = backend.ranked_stories(
            Article.objects.published(),
            parse_query("encore"),
            candidates=3,
            first=0,
            last=2,
        )
        # The three newest matches (dek, body, headline), ranked among themselves.
        assert ranked.ids == [stories[n].pk for n in (3, 1, 2)]
        assert [s.pk for s in ranked.page] == ranked.ids[:2]


# --- facets -----------------------------------------------------------------------------


@pytest.fixture
def tagged_stories(iu, v):
    """Tag k on 10 - k stories (11 tags, two of them tied at the edge), two
    sections, two artists, and a story without a section."""
    daily, reviews = SectionFactory(), SectionFactory()
    made = []
    for n in range(10):
        story = ArticleFactory(
            published=True, section=None if n == 9 else (daily if n % 3 else reviews)
        )
        story.tags.add(*(f"Tag {t:02d}" for t in range(n + 1)))
        story.artists.add(*([iu, v] if n % 2 else [iu]))
        made.append(story)
    made[9].tags.add("Tag 99")
    return [story.pk for story in made]


@pytest.mark.parametrize(
    "keep",
    [
        {},
        {
            "tag": "tag-09",
            "artist": "v",
            "section": "no-such-section",
        },  # beyond the top
        {"tag": "tag-00"},  # within it
        {"tag": "no-such-tag"},
    ],
)
def test_facet_statement_counts_as_the_portable_backend(backends, tagged_stories, keep):
    postgres, portable = backends
    expected = portable.facets(tagged_stories, keep=keep)
    assert len(expected["tag"]) >= FACETS_SHOWN
    assert postgres.facets(tagged_stories, keep=keep) == expected
    subset = tagged_stories[:4]
    assert postgres.facets(subset, keep=keep) == portable.facets(subset, keep=keep)


def test_facets_keep_ties_at_the_edge_and_the_chosen_value(backends, tagged_stories):
    for backend in backends:
        facets = backend.facets(tagged_stories, keep={"tag": "tag-99"})
        counts = [(v["label"], v["count"]) for v in facets["tag"]]
        # Tags 00-07 are the eight most frequent; 08 and 09 are not tied with 07.
        assert counts[:FACETS_SHOWN] == [
            (f"Tag {t:02d}", 10 - t) for t in range(FACETS_SHOWN)
        ]
        assert counts[FACETS_SHOWN:] == [("Tag 99", 1)]
        assert [v["label"] for v in facets["artist"]] == ["IU", "V"]
        assert sum(v["count"] for v in facets["section"]) == 9


def test_no_candidates_is_no_query_and_empty_facets(
    backends, django_assert_num_queries
):
    for backend in backends:
        with django_assert_num_queries(0):
            assert backend.facets([], keep={"tag": "x"}) == {
                "section": [],
                "tag": [],
                "artist": [],
            }


def test_statements_are_read_from_sql_files_once():
    assert sql_parts("artists") is sql_parts("artists")
    names = {name for file in ("artists", "releases") for name in sql_parts(file)}
    assert {"artists", "credited", "no_credits", "releases", "first_credit"} <= names
    for file in ("artists", "releases", "tracks", "ranked_stories", "facets"):
        for text in sql_parts(file).values():
            assert text and not text.startswith("--") and not text.endswith("\n")
