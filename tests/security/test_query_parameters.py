"""Page numbers and dates in public query strings: clamped or refused, never a 500.

``?reactions=999999999999999999999`` on a story overflowed PostgreSQL's bigint and
``/search/?q=iu&end=9999-12-31`` overflowed the day after; both were 500s for anyone.
Every page, date and filter parameter of every public page is read through
``core.querystring``; the property test below feeds them arbitrary values on
real pages (run it with ``DATABASE_URL`` set for PostgreSQL too).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.querystring import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_PAGE_NUMBER,
    page_number,
    query_date,
)
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.articles.reaction_factories import FanReactionFactory
from tests.artists.factories import AgencyFactory, ArtistFactory
from tests.discography.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "999999999999999999999",
    "9223372036854775808",  # one past bigint
    "-9223372036854775809",
    "9" * 5000,  # past Python's int() digit limit
    "-1",
    "0",
    "",
    " ",
    "1e9",
    "1.5",
    "NaN",
    "inf",
    "٣",  # a digit, but not an ASCII one
    "²",  # isdigit() but not int()
    "0x10",
    "0000-00-00",
    "9999-12-31",
    "1-1-1",
    "0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "10000-01-01",
    "2024-01-01T00:00",
    "아이유",
    "💜",
]
# (address, parameter): every page and date parameter a public page reads.
PARAMETERS = [
    ("/", "page"),
    ("/tags/k-pop/", "page"),
    ("/sections/interviews/", "page"),
    ("/authors/mina-seo/", "page"),
    ("/artists/", "page"),
    ("/artists/?letter=I", "page"),
    ("/news/iu-talks/", "reactions"),
    ("/news/iu-talks/", "page"),
    ("/search/?q=iu", "page"),
    ("/search/?q=iu&type=article", "page"),
    ("/search/?q=iu&type=artist", "page"),
    ("/search/?q=iu", "start"),
    ("/search/?q=iu", "end"),
    ("/search/?q=iu&start=2020-01-01", "end"),
    ("/search/?q=iu&end=2030-01-01", "start"),
    ("/sitemap-stories.xml", "p"),
    ("/sitemap-artists.xml", "p"),
    ("/artists/iu/", "page"),
    ("/albums/the-winning/", "page"),
    ("/feeds/latest/", "page"),
]
ANYTHING = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(
        alphabet=st.characters(blacklist_characters="\x00", codec="utf-8"), max_size=40
    ),
    st.dates().map(lambda day: day.isoformat()),
    st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda t: f"{t[0]}-{t[1]}-{t[2]}"
    ),
)


@pytest.fixture
def pages(db):
    """Real pages for every parameter, with enough rows to have several pages."""
    section = SectionFactory(name="Interviews", slug="interviews")
    author = AuthorFactory(display_name="Mina Seo", slug="mina-seo")
    iu = ArtistFactory(name="IU", slug="iu")
    iu.agencies.add(AgencyFactory())
    ReleaseFactory(title="The Winning", slug="the-winning", artists=[iu], tracks=2)
    story = ArticleFactory(
        headline="IU talks", slug="iu-talks", published=True, section=section
    )
    story.tags.add("K-pop")
    story.artists.add(iu)
    story.bylines.create(author=author, position=0)
    for n in range(3):
        ArticleFactory(headline=f"IU news {n}", published=True, section=section)
    FanReactionFactory.create_batch(3, article=story, approved=True)
    return story


def get(client, address: str, name: str, value: str):
    separator = "&" if "?" in address else "?"
    return client.get(address + separator + urlencode({name: value}))


@pytest.mark.parametrize(("address", "name"), PARAMETERS)
def test_odd_values_are_never_a_server_error(client, pages, address, name):
    for value in ODD_VALUES:
        response = get(client, address, name, value)
        assert response.status_code < 500, f"{address} {name}={value[:30]!r}"
        assert response.status_code in (200, 302, 400, 404), response.status_code


@pytest.mark.parametrize(("address", "name"), PARAMETERS)
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=ANYTHING)
def test_any_value_of_any_parameter_is_never_a_server_error(
    client, pages, address, name, value
):
    response = get(client, address, name, value)
    assert response.status_code < 500, f"{address} {name}={value[:30]!r}"


def test_a_huge_reactions_page_shows_the_last_page_of_reactions(client, pages):
    response = client.get("/news/iu-talks/?reactions=999999999999999999999")
    assert response.status_code == 200
    assert b"Reaction message number" in response.content


def test_a_search_until_the_year_9999_is_reported_and_left_out(client, pages):
    response = client.get("/search/", {"q": "iu", "end": "9999-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not understood" in html
    assert "talks</a>" in html  # the results are still there (headline marked up)


def test_an_impossible_start_date_is_reported_too(client, pages):
    for value in ("0000-00-00", "1-1-1", "0001-01-01"):
        response = client.get("/search/", {"q": "iu", "start": value})
        assert response.status_code == 200, value
        assert "Some filters were not understood" in response.content.decode()


def test_a_huge_page_number_shows_the_last_page(client, pages):
    for address in ("/", "/sections/interviews/", "/artists/"):
        response = client.get(address, {"page": "9" * 50})
        assert response.status_code == 200, address


# --- the shared helper ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        (" 3 ", 3),
        ("0", 1),
        ("-4", 1),
        ("x", 1),
        ("1e9", 1),
        ("٣", 1),
        ("²", 1),
        ("00005", 5),
        (str(MAX_PAGE_NUMBER + 1), MAX_PAGE_NUMBER),
        ("9" * 5000, MAX_PAGE_NUMBER),
    ],
)
def test_page_number_is_clamped(value, expected):
    assert page_number(value) == expected


@given(st.text())
def test_page_number_is_always_a_page_in_range(text):
    assert 1 <= page_number(text) <= MAX_PAGE_NUMBER


@pytest.mark.parametrize(
    "value",
    [
        "0000-00-00",
        "9999-12-31",
        "1-1-1",
        "2024-02-30",
        "1899-12-31",
        "x",
        "",
        "２０２４-01-01",
    ],
)
def test_query_date_refuses_what_it_cannot_search(value):
    with pytest.raises(ValueError):
        query_date(value)


@given(st.dates(min_value=EARLIEST_DATE, max_value=LATEST_DATE))
def test_query_date_reads_every_date_in_range_and_its_next_day_is_safe(day):
    assert query_date(day.isoformat()) == day
    next_day = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time()
    )
    assert next_day.replace(tzinfo=datetime.UTC).astimezone(
        datetime.timezone(datetime.timedelta(hours=-14))
    )
