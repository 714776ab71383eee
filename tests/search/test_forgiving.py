"""Search forgives readers: misspellings, half-typed titles, Hangul given names,
romanisations, synonyms; "Did you mean"; suggestions as JSON for the search box."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.hangul import given_names, jamo, roman_key, romanisations
from search.models import Synonym
from search.names import NameIndex, edits_allowed
from tests.articles.factories import ArticleFactory
from tests.search.test_search_page import artist_names, search, story_headlines

pytestmark = pytest.mark.django_db


def test_hangul_given_names_romanisations_and_keys():
    assert given_names("김태형") == ["태형"]
    assert given_names("Kim Tae-hyung") == ["Tae-hyung"]
    assert given_names("뉴진스") == []  # not a family name
    assert romanisations("김태형") == ["gimtaehyeong", "taehyeong"]
    assert roman_key("Taehyeong") == roman_key("Tae-hyung") == roman_key("taehyung")
    assert roman_key("Kim Tae Hyung") == roman_key("gimtaehyeong")
    assert roman_key("holsi") == roman_key("Holssi")
    assert len(jamo("태형")) == 5  # letters, so one wrong vowel is one edit
    assert [edits_allowed(k) for k in ("iu", "abcd", "abcdef", "태형")] == [0, 1, 2, 1]


def test_one_wrong_hangul_vowel_is_one_edit():
    index = NameIndex([("artist", 1, "김태형", "v", "", "birth_name", "")])
    assert [m.thing.pk for m in index.match("김태현")] == [1]  # ㅕ for ㅓ... one letter
    assert index.match("박지민") == []


@pytest.fixture
def story_about_v(v):
    story = ArticleFactory(
        headline="V films in the cold", body="<p>The BTS member V.</p>", published=True
    )
    story.artists.add(v)
    ArticleFactory(headline="Seven vivid verses", published=True)
    return story


@pytest.mark.parametrize(
    "query", ["Taehyng", "태형", "Taehyeong", "Kim Tae Hyung", "Tae-hyung", "taehy"]
)
def test_v_by_any_spelling_finds_v_and_the_stories_about_him(
    client, story_about_v, query
):
    html = search(client, query)
    assert artist_names(html) == ["V"]
    assert story_headlines(html) == ["V films in the cold"]


def test_misspelt_titles_and_half_typed_ones(client, the_winning):
    assert "The Winning" in search(client, "the winnig", type="release")
    assert "Love wins all" in search(client, "love wins al", type="track")
    assert "Shopper" in search(client, "Shoper", type="track")
    assert "Holssi" in search(client, "holsi", type="track")


def test_given_name_in_hangul_finds_iu(client, iu):
    assert artist_names(search(client, "지은")) == ["IU"]


def test_a_synonym_editors_keep_finds_the_artist(client, v):
    Synonym.objects.create(name="Bangtan", artist=v, kind=Synonym.Kind.NICKNAME)
    assert artist_names(search(client, "Bangtan")) == ["V"]
    assert artist_names(search(client, "Bangtn")) == ["V"]


def test_did_you_mean_offers_the_correction(client, the_winning):
    html = search(client, "the winnig")
    assert "Did you mean" in html and "<strong>The Winning</strong>" in html
    assert "Did you mean" not in search(client, "The Winning")


def test_a_word_found_nowhere_finds_nothing_but_the_page_leads_on(client, iu, v):
    html = search(client, "qqxyzzq")
    assert "Nothing matches" in html
    assert "every artist" in html and "the latest news" in html
    assert "Did you mean" not in html


def test_nothing_found_offers_names_like_it(client, iu, v):
    html = search(client, "Kim Taehyungggggg zz")
    assert "Perhaps you meant" in html or artist_names(html) == ["V"]


def suggest(client, query):
    response = client.get("/search/suggest/", {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_suggestions_list_artists_releases_tracks_and_stories(client, the_winning, v):
    ArticleFactory(headline="The Winning reviewed", published=True)
    found = suggest(client, "the winn")
    kinds = [(s["kind"], s["label"]) for s in found["suggestions"]]
    assert ("release", "The Winning") in kinds
    assert ("article", "The Winning reviewed") in kinds
    assert found["search_url"] == "/search/?q=the+winn"
    assert [s["label"] for s in suggest(client, "Ta")["suggestions"]][:1] == ["V"]
    assert suggest(client, "t")["suggestions"] == []  # from two characters
    assert ("track", "Shopper") in [
        (s["kind"], s["label"]) for s in suggest(client, "Shoper")["suggestions"]
    ]


def test_suggestions_cost_two_queries_at_most_once_the_index_is_read(client, iu, v):
    ArticleFactory(headline="Taehyung interview", published=True)
    suggest(client, "IU")
    with CaptureQueriesContext(connection) as queries:
        suggest(client, "Taehyung")
    # A name: only the ranked stories (ids and rows: one statement on PostgreSQL).
    stories = 1 if connection.vendor == "postgresql" else 2
    assert len(queries) == stories
    with CaptureQueriesContext(connection) as queries:
        suggest(client, "Taehyung interviw")
    assert len(queries) == stories + 1  # and the stories' words


@pytest.mark.parametrize("query", ["", "<script>", "a" * 5000, "'\"", "%_"])
def test_suggestions_take_anything(client, iu, query):
    found = suggest(client, query)
    assert isinstance(found["suggestions"], list)


def test_every_page_has_the_search_box_and_no_inline_script(client, iu):
    html = client.get("/").content.decode()
    assert 'data-suggest="/search/suggest/"' in html
    assert 'action="/search/"' in html
    assert "js/site" in html
    assert "<script>" not in html
