"""Query budgets per public page: cold cache, and the same count for small and big data.

Each page is fetched twice, once for a thinly and once for a richly linked object; the
count must be within the issue's budget and must not grow with the data.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Correction, FanReaction
from tests.articles.factories import ArticleFactory, AuthorFactory
from tests.articles.reaction_factories import FanReactionFactory
from tests.artists.factories import (
    AgencyFactory,
    ArtistAliasFactory,
    ArtistFactory,
    MembershipFactory,
)
from tests.discography.factories import EventFactory, ReleaseFactory, TrackFactory

pytestmark = pytest.mark.django_db

STORY_BUDGET = 8  # measured: 3 (story with every list as JSON, related, reactions)
HOME_BUDGET = 8  # measured: 5 (lead, count, page, sections, releases)
ARTIST_BUDGET = 8  # measured: 8 (aliases, agencies, event artists carried)
RELEASE_BUDGET = 8  # measured: 7 with the drop's history and the stories about it
LIST_BUDGET = 4  # measured: 3 (tag, count, page with bylines)

POST_URLS = [
    "https://x.com/lilac_notes_fan/status/1750091641508766131",
    "https://www.youtube.com/watch?v=JleoAppaxi0",
    "https://twitter.com/wintersetlist/status/1762813661795173607",
]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def rich_story(size: int):
    embeds = "".join(f"<p>{url}</p>" for url in POST_URLS[:size])
    story = ArticleFactory(
        published=True,
        body=f"<p>Opening words.</p>{embeds}<p>Closing words.</p>",
        tags=size * 3,
        artists=size * 2,
        authors=size,
        sources=size,
    )
    story.releases.add(*ReleaseFactory.create_batch(size))
    for n in range(size):
        Correction.objects.create(
            article=story, note=f"Fixed {n}.", noted_at=timezone.now()
        )
    FanReactionFactory.create_batch(size * 25, article=story, approved=True)
    FanReactionFactory.create_batch(size, article=story)  # pending: never shown
    for _ in range(size):
        other = ArticleFactory(published=True)
        other.artists.add(*story.artists.all())
    return story


def test_story_page_budget_is_constant(client):
    small, big = rich_story(1), rich_story(3)
    # The first page of a process also reads the reaction settings row (then cached).
    client.get(small.get_absolute_url())
    counts = [count_queries(client, s.get_absolute_url()) for s in (small, big)]
    counts.append(count_queries(client, big.get_absolute_url() + "?reactions=2"))
    assert counts[0] == counts[1] == counts[2] <= STORY_BUDGET, counts


def test_story_page_shows_everything_it_folded_into_one_query(client):
    story = rich_story(2)
    html = client.get(story.get_absolute_url()).content.decode()
    for author in [b.author for b in story.bylines.all()]:
        assert author.display_name in html
    for obj in [*story.artists.all(), *story.releases.all(), *story.sources.all()]:
        assert str(obj) in html or getattr(obj, "name", "") in html
    assert "#tag 5" in html and "Fixed 1." in html
    assert html.count("data-embed-card") == 2
    assert "50 reactions" in html and "Page 1 of 3" in html


def test_reactions_past_the_last_page_show_the_last_page(client):
    story = rich_story(1)
    html = client.get(story.get_absolute_url() + "?reactions=99").content.decode()
    assert "Page 2 of 2" in html
    assert FanReaction.objects.filter(status="approved").count() == 25


def test_home_budget_is_constant(client):
    ArticleFactory(published=True, authors=1)
    small = count_queries(client, "/")
    for _ in range(30):
        ArticleFactory(published=True, authors=3, tags=3, artists=2)
    ArticleFactory(published=True, is_featured=True, authors=2)
    ReleaseFactory.create_batch(8, released_on=datetime.date(2024, 1, 1))
    big = count_queries(client, "/")
    second_page = count_queries(client, "/?page=2")
    assert max(small, big, second_page) <= HOME_BUDGET, (small, big, second_page)


def test_list_pages_budget_is_constant(client):
    author = AuthorFactory(slug="mina-seo")
    story = ArticleFactory(published=True, tags=["pop"])
    story.bylines.create(author=author)
    urls = ["/tags/pop/", f"/sections/{story.section.slug}/", "/authors/mina-seo/"]
    small = [count_queries(client, url) for url in urls]
    for _ in range(25):
        more = ArticleFactory(
            published=True, tags=["pop"], authors=2, section=story.section
        )
        more.bylines.create(author=author, position=9)
    big = [count_queries(client, url) for url in urls]
    assert small == big and max(big) <= LIST_BUDGET, (small, big)


def test_artist_page_budget_is_constant(client):
    small = ArtistFactory()
    big = ArtistFactory(kind="group")
    label = AgencyFactory(parent=AgencyFactory())
    big.agencies.add(label, AgencyFactory())
    for n in range(6):
        MembershipFactory(group=big)
        ReleaseFactory(artists=[big])
        ArticleFactory(published=True, authors=2).artists.add(big)
        ArtistAliasFactory(artist=big, name=f"Nickname {n}")
        EventFactory(artists=[big, ArtistFactory()])
    counts = [count_queries(client, a.get_absolute_url()) for a in (small, big)]
    assert max(counts) <= ARTIST_BUDGET, counts
    page = client.get(big.get_absolute_url())
    assert page.status_code == 200
    # Aliases and agencies ride in the artist's own query, parents included.
    assert f"(a label of {label.parent.name})".encode() in page.content
    assert b"Nickname 5" in page.content


def test_release_page_budget_is_constant(client):
    small = ReleaseFactory(artists=[ArtistFactory()])
    big = ReleaseFactory(artists=ArtistFactory.create_batch(4))
    for position in range(1, 13):
        TrackFactory(release=big, position=position)
    counts = [count_queries(client, r.get_absolute_url()) for r in (small, big)]
    assert max(counts) <= RELEASE_BUDGET, counts


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="psycopg's cache: PostgreSQL only"
)
def test_the_story_query_stays_short_enough_for_psycopgs_parse_cache():
    """psycopg re-parses statements over 4 kB (or 50 parameters) on every execution."""
    from articles.models import Article

    sql, params = (
        Article.objects.published()
        .for_detail()
        .filter(slug="x")
        .query.sql_with_params()
    )
    assert len(sql) <= 4096 and len(params) <= 50, (len(sql), len(params))
