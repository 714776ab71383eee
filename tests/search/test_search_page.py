"""/search/: what readers find, how results are grouped and filtered, and its cost."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from search import engine
from search.engine import STORIES_PER_PAGE
from search.facets import FACETS_SHOWN
from search.names import name_index
from tests.articles.factories import ArticleFactory, SectionFactory
from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory, TrackFactory

pytestmark = pytest.mark.django_db


def search(client, query: str = "", **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def story_headlines(html: str) -> list[str]:
    found = re.findall(r'<h3 class="search-hit__headline"><a [^>]*>(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", h) for h in found]


def artist_names(html: str) -> list[str]:
    found = re.findall(r'search-hit--artist">\s*<a [^>]*>(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", h) for h in found]


# --- friendly pages for odd input -------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "!!!", "?!…", "--", "'\""])
def test_empty_or_punctuation_query_gets_a_friendly_page(client, query):
    with CaptureQueriesContext(connection) as queries:
        html = search(client, query)
    assert "What are you looking for?" in html or "Nothing to search for" in html
    assert "the Holssi singer" in html  # suggestions to try
    assert len(queries) == 0


def test_very_long_query_is_cut_and_the_page_says_so(client):
    html = search(client, "IU " + "x" * 5000)
    assert "only its first 200 characters were used" in html
    assert 'maxlength="200"' in html


def test_odd_characters_do_not_break_search(client):
    assert "Results for" in search(client, "IU & <V> %_ \\")


def test_a_null_byte_in_the_query_is_a_clear_400_not_an_error(client):
    # RejectNullBytesMiddleware refuses it before any view (PostgreSQL can't store it).
    assert client.get("/search/", {"q": "IU\x00"}).status_code == 400


def test_query_is_kept_in_the_box_and_escaped(client):
    html = search(client, '"><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in html
    # The reader pages escape with MarkupSafe (" becomes &#34;, as valid as &quot;).
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_page_is_not_for_search_engine_indexes(client):
    response = client.get("/search/", {"q": "IU"})
    assert response["X-Robots-Tag"] == "noindex, follow"


# --- what is found ------------------------------------------------------------------------


def test_drafts_scheduled_and_archived_stories_never_appear(client):
    ArticleFactory(headline="Holssi draft story")
    ArticleFactory(headline="Holssi review story", in_review=True)
    ArticleFactory(headline="Holssi scheduled story", scheduled=True)
    ArticleFactory(headline="Holssi archived story", archived=True)
    ArticleFactory(headline="Holssi live story", published=True)
    html = search(client, "holssi")
    assert story_headlines(html) == ["Holssi live story"]


def test_headline_match_ranks_above_body_only_match(client):
    now = timezone.now()
    ArticleFactory(
        headline="A week of comebacks",
        body="<p>" + "Holssi is the song. " * 5 + "</p>",
        published=True,
        published_at=now - datetime.timedelta(minutes=5),
    )
    ArticleFactory(
        headline="Holssi, explained",
        body="<p>Nothing else here.</p>",
        published=True,
        published_at=now - datetime.timedelta(days=3),
    )
    assert story_headlines(search(client, "holssi")) == [
        "Holssi, explained",
        "A week of comebacks",
    ]


def test_dek_match_ranks_above_body_only_match(client):
    now = timezone.now()
    ArticleFactory(
        headline="Newer",
        dek="Plain",
        body="<p>LILAC</p>",
        published=True,
        published_at=now - datetime.timedelta(minutes=1),
    )
    ArticleFactory(
        headline="Older",
        dek="About LILAC",
        published=True,
        published_at=now - datetime.timedelta(days=1),
    )
    assert story_headlines(search(client, "lilac")) == ["Older", "Newer"]


def test_every_word_must_match_a_story(client):
    ArticleFactory(headline="IU and V on set", published=True)
    ArticleFactory(headline="IU alone", published=True)
    assert story_headlines(search(client, "IU V")) == ["IU and V on set"]


def test_body_snippet_is_highlighted_and_stored_html_is_not_trusted(client):
    ArticleFactory(
        headline="A review",
        dek="",
        body="<p>" + "Intro words. " * 40 + "The <strong>Holssi</strong> chorus"
        " &lt;b&gt;not bold&lt;/b&gt;.</p>",
        published=True,
    )
    html = search(client, "holssi")
    assert "<mark>Holssi</mark> chorus" in html
    assert "<strong>" not in html.split('class="search-results"')[1]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html


def test_hangul_birth_name_finds_the_artist(client, iu):
    assert artist_names(search(client, "이지은")) == ["IU"]


def test_hangul_stage_name_finds_the_artist_and_stories(client, iu):
    ArticleFactory(headline="아이유 새 앨범", published=True)
    html = search(client, "아이유")
    assert artist_names(html) == ["IU"]
    assert story_headlines(html) == ["아이유 새 앨범"]


def test_romanised_birth_name_with_other_spacing_finds_the_artist(client, iu):
    assert artist_names(search(client, "lee jieun")) == ["IU"]


def test_partial_name_finds_the_artist(client, v):
    html = search(client, "taehy")
    assert artist_names(html) == ["V"]
    assert "also known as “Kim Taehyung”" in html or "also known as “Taehyung”" in html


def test_epithet_alias_finds_the_artist(client, iu):
    assert artist_names(search(client, "nation's little sister")) == ["IU"]


def test_song_remembered_as_an_epithet_finds_the_credited_artist(
    client, iu, the_winning
):
    html = search(client, "the Holssi singer")
    assert artist_names(html)[0] == "IU"
    assert "sings “Holssi”" in html


def test_epithet_finds_artist_credited_on_the_release_named(client, db):
    band = ArtistFactory(name="Night Owls")
    ReleaseFactory(title="Moon Diary", artists=[band])
    ArtistFactory(name="Someone Else")
    assert artist_names(search(client, "the Moon Diary group")) == ["Night Owls"]


def test_featured_artist_is_credited_on_the_track(client, iu, db):
    guest = ArtistFactory(name="Guest Star")
    release = ReleaseFactory(title="Another Album", artists=[iu])
    TrackFactory(release=release, title="Paper Moon", featuring=[guest])
    assert set(artist_names(search(client, "Paper Moon singer"))) == {
        "IU",
        "Guest Star",
    }


def test_a_longer_title_is_not_the_song_named(client, iu, db):
    release = ReleaseFactory(title="Another Album", artists=[iu])
    TrackFactory(release=release, title="Holssi remix")
    assert artist_names(search(client, "the Holssi singer")) == []


def test_misspellings_are_used_but_never_shown(client, v):
    v.aliases.create(name="Taheyung", kind="misspelling")
    html = search(client, "Taheyung")
    assert artist_names(html) == ["V"]
    [hit] = re.findall(
        r'<li class="search-hit search-hit--artist">(.*?)</li>', html, re.S
    )
    assert "Taheyung" not in hit


def test_results_are_grouped_by_type(client, iu, the_winning):
    ArticleFactory(headline="Holssi live at the arena", published=True)
    html = search(client, "holssi")
    headings = re.findall(r'<h2 id="results-(\w+)"', html)
    assert headings == ["artists", "tracks", "stories"]
    assert "<mark>Holssi</mark>" in html
    assert "Track 2 on" in html


def test_artist_name_finds_their_releases(client, iu, the_winning):
    html = search(client, "IU")
    assert "results-releases" in html and "The Winning" in html


# --- filters ------------------------------------------------------------------------------


def test_type_filter_pages_through_one_group(client, db):
    for n in range(STORIES_PER_PAGE + 3):
        ArticleFactory(headline=f"Comeback news {n}", published=True)
    html = search(client, "comeback", type="article")
    assert len(story_headlines(html)) == STORIES_PER_PAGE
    assert "Page 1 of 2" in html
    html = search(client, "comeback", type="article", page=2)
    assert len(story_headlines(html)) == 3


def test_a_page_past_the_end_goes_to_the_last_page(client, db):
    for n in range(STORIES_PER_PAGE + 3):
        ArticleFactory(headline=f"Comeback news {n}", published=True)
    response = client.get("/search/", {"q": "comeback", "type": "article", "page": 9})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=comeback&type=article&page=2"


def test_everything_view_links_to_the_rest_of_a_group(client, db):
    for n in range(7):
        ArtistFactory(name=f"Comet {n}")
    html = search(client, "comet")
    assert len(artist_names(html)) == 5
    assert "All 7 artists" in html
    assert len(artist_names(search(client, "comet", type="artist"))) == 7


def test_facets_count_matching_stories_and_narrow_them(client, iu, v):
    news = SectionFactory(name="News", slug="news")
    reviews = SectionFactory(name="Reviews", slug="reviews")
    a = ArticleFactory(headline="Winter story one", section=news, published=True)
    a.artists.add(iu)
    a.tags.add("Winter")
    b = ArticleFactory(headline="Winter story two", section=news, published=True)
    b.artists.add(iu, v)
    c = ArticleFactory(headline="Winter story three", section=reviews, published=True)
    c.tags.add("Winter")
    ArticleFactory(headline="Winter draft", section=reviews)  # never counted
    html = search(client, "winter")
    assert re.search(r'section=news">News <span class="search-count">2</span>', html)
    assert re.search(
        r'section=reviews">Reviews <span class="search-count">1</span>', html
    )
    assert re.search(r'artist=iu">IU <span class="search-count">2</span>', html)
    assert re.search(r'tag=winter">Winter <span class="search-count">2</span>', html)

    assert story_headlines(search(client, "winter", section="news")) == [
        "Winter story two",
        "Winter story one",
    ]
    assert story_headlines(search(client, "winter", artist="v")) == ["Winter story two"]
    narrowed = search(client, "winter", tag="winter")
    assert sorted(story_headlines(narrowed)) == [
        "Winter story one",
        "Winter story three",
    ]
    assert "Filters in use" in narrowed and "(remove filter)" in narrowed


def test_date_range_filter_uses_whole_days(client, db):
    day = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    ArticleFactory(
        headline="Tour day one",
        published=True,
        published_at=day - datetime.timedelta(days=10),
    )
    ArticleFactory(
        headline="Tour day two",
        published=True,
        published_at=day - datetime.timedelta(days=2),
    )
    start = (day - datetime.timedelta(days=3)).date().isoformat()
    end = (day - datetime.timedelta(days=2)).date().isoformat()
    assert story_headlines(search(client, "tour", start=start, end=end)) == [
        "Tour day two"
    ]
    assert story_headlines(search(client, "tour", end=start)) == ["Tour day one"]


def test_invalid_filters_are_reported_and_ignored(client, db):
    ArticleFactory(headline="Tour news", published=True)
    html = search(client, "tour", start="not-a-date", type="nonsense", page="x")
    assert "Some filters were not understood" in html
    assert story_headlines(html) == ["Tour news"]


def test_nothing_found_says_so_kindly(client, db):
    html = search(client, "zzzqqq")
    assert "Nothing matches “zzzqqq”" in html


# --- cost ------------------------------------------------------------------------------


def _world(size: int, iu) -> None:
    section = SectionFactory()
    for n in range(size):
        story = ArticleFactory(
            headline=f"Winter comeback {n}", section=section, published=True
        )
        story.tags.add(f"tag{n}", "winter")
        story.artists.add(iu)
        release = ReleaseFactory(title=f"Winter album {n}", artists=[iu])
        TrackFactory(release=release, title=f"Winter song {n}")
        ArtistFactory(name=f"Winter band {n}")


def test_search_query_count_does_not_grow_with_results(
    client, django_assert_max_num_queries, iu
):
    _world(2, iu)
    search(client, "winter")  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as few:
        search(client, "winter")
    _world(25, iu)
    name_index()  # read again once after the content changed (one query)
    with django_assert_max_num_queries(len(few)):
        html = search(client, "winter")
    assert "All 27 artists" in html or "All 28 artists" in html
    # The stories' words spelled like the query's (only for a word in no name;
    # "winter" is in one), stories (ranked ids and that page's stories: one query on
    # PostgreSQL, two on SQLite), story facets, artists, releases, tracks.
    assert len(few) == (5 if connection.vendor == "postgresql" else 6)
    with CaptureQueriesContext(connection) as more:
        html = search(client, "winter comebak")
    assert "Winter comeback 20" in story_headlines(html)  # corrected: one query more
    assert len(more) == len(few) + 1


def test_cold_search_page_stays_within_eight_queries(
    client, django_assert_max_num_queries, iu, the_winning
):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    ArticleFactory(headline="IU at the Holssi listening party", published=True)
    # Seven, and the name index read after the content changed.
    with django_assert_max_num_queries(8):
        search(client, "IU")
    for kind in ["article", "artist", "release", "track"]:
        with django_assert_max_num_queries(7):
            search(client, "IU", type=kind, tag="x", start="2024-01-01")


def test_only_published_stories_are_counted(client, db):
    ArticleFactory.create_batch(3, headline="Winter draft")
    ArticleFactory(headline="Winter live", published=True)
    html = search(client, "winter")
    assert re.search(r'Stories <span class="search-count">1</span>', html)
    assert Article.objects.count() == 4


def test_story_hits_show_section_link_and_date_and_none_without_a_section(client, db):
    from tests.articles.factories import ArticleFactory

    with_section = ArticleFactory(headline="Lantern festival recap", published=True)
    ArticleFactory(headline="Lantern parade photos", published=True, section=None)
    html = search(client, "lantern")
    assert sorted(story_headlines(html)) == [
        "Lantern festival recap",
        "Lantern parade photos",
    ]
    assert html.count('<p class="kicker">') == 1
    assert f'<p class="kicker">{with_section.section.name}</p>' in html
    assert f'href="{with_section.get_absolute_url()}"' in html
    assert "<time datetime=" in html


def test_facets_list_the_most_frequent_values_and_the_chosen_one(client, db):
    stories = [
        ArticleFactory(headline=f"Comeback {n}", published=True) for n in range(10)
    ]
    for n, story in enumerate(stories):
        story.tags.add(*(f"Tag {t:02d}" for t in range(n + 1)))  # Tag k: 10 - k
    ids = [story.pk for story in stories]
    facets = engine.backend().facets(ids, keep={})
    assert [row["label"] for row in facets["tag"]] == [
        f"Tag {t:02d}" for t in range(FACETS_SHOWN)
    ]
    assert [row["count"] for row in facets["tag"]][:3] == [10, 9, 8]
    kept = engine.backend().facets(ids, keep={"tag": "tag-09"})
    assert kept["tag"][-1] == {"key": "tag-09", "label": "Tag 09", "count": 1}
    html = search(client, "comeback", tag="tag-09")
    assert "Tag 09" in html and "(remove filter)" in html


def test_tied_facet_values_at_the_edge_are_ordered_by_name(client, db):
    story = ArticleFactory(headline="Encore night", published=True)
    names = [f"Encore {letter}" for letter in "KJIHGFEDCBA"]  # eleven, all tied
    story.tags.add(*names)
    facets = engine.backend().facets([story.pk], keep={})
    assert [row["label"] for row in facets["tag"]] == sorted(names)
    html = search(client, "encore")
    shown = re.findall(r'tag=encore-\w">(Encore \w) <span', html)
    assert shown == sorted(names)[:FACETS_SHOWN]
