"""Snippets and highlighting: pure functions of text, no database."""

from __future__ import annotations

import re
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from search.query import parse_query
from search.text import highlight, plain_text, snippet, story_snippet


def test_highlight_escapes_then_marks():
    html = highlight('<script>alert("IU")</script> IU & V', ("iu",))
    assert "<script>" not in html
    assert html.count("<mark>IU</mark>") == 2
    assert "&amp; V" in html


def test_highlight_matches_word_starts_only():
    assert highlight("Vivid V", ("v",)) == "<mark>V</mark>ivid <mark>V</mark>"
    assert highlight("love", ("ove",)) == "love"


def test_query_text_cannot_become_a_pattern():
    assert highlight("a.b a+b", ("a.b",)) == "<mark>a.b</mark> a+b"


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=10), max_size=4))
def test_highlight_never_lets_markup_through(text, words):
    html = str(highlight(text, tuple(words)))
    without_marks = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_plain_text_drops_tags_and_decodes_entities():
    assert plain_text("<p>IU &amp; V</p><p>sang</p>") == "IU & V sang"


def test_snippet_is_a_window_around_the_first_match():
    text = ("filler " * 100) + "the Holssi chorus " + ("more " * 100)
    cut = snippet(text, ("holssi",), size=80)
    assert "Holssi" in cut
    assert cut.startswith("… ") and cut.endswith(" …")
    assert len(cut) <= 80 + 4
    assert not re.search(r"\bfille$", cut)


def test_short_text_is_its_own_snippet():
    assert snippet("IU sings", ("iu",)) == "IU sings"


def story(dek: str = "", body: str = "") -> SimpleNamespace:
    return SimpleNamespace(dek=dek, body=body)


LONG = "<p>" + "Filler words about a long day. " * 60 + "</p>"


def test_story_snippet_prefers_a_dek_holding_the_words():
    found = story_snippet(
        story("Chart news today", LONG + "<p>chart</p>"), parse_query("chart")
    )
    assert found == "Chart news today"


def test_story_snippet_is_body_text_around_a_match_deep_in_a_long_body():
    body = (
        LONG + '<p class="x">The <a href="/a">song</a> tops the chart again.</p>' + LONG
    )
    found = story_snippet(story("Other dek", body), parse_query("chart"))
    assert "tops the chart again." in found
    assert found.startswith("… ") and found.endswith(" …")
    assert "<" not in found and ">" not in found and "href" not in found


def test_story_snippet_window_never_starts_or_ends_inside_a_tag():
    for pad in range(0, 700, 37):
        body = (
            "<p>" + "x" * pad + '<a href="/chart-link" title="t">link</a> chart here '
        )
        body += '<img src="/i.png" alt="a"> ' + "y" * pad + "</p>"
        found = story_snippet(story("", body), parse_query("chart"))
        assert "<" not in found and ">" not in found and "src=" not in found, found
        assert "chart here" in found


def test_story_snippet_ignores_a_word_only_inside_a_tag():
    body = '<p><a href="https://example.test/chart">A link</a> and more text.</p>'
    assert story_snippet(story("The dek", body), parse_query("chart")) == "The dek"
    opening = story_snippet(story("", body), parse_query("chart"))
    assert opening == "A link and more text."


def test_story_snippet_without_dek_or_match_is_the_bodys_opening():
    found = story_snippet(story("", LONG), parse_query("nothing"))
    assert found.startswith("Filler words") and found.endswith(" …")
    assert len(found) <= 240


@given(st.text(max_size=600), st.text(max_size=30))
def test_story_snippet_never_fails(body, words):
    story_snippet(story("", body), parse_query(words))
