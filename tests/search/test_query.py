"""Cleaning a query, snippets and highlighting: pure functions, no database."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from newsroom.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    highlight,
    parse_query,
    plain_text,
    snippet,
)


def test_blank_and_punctuation_only_queries_have_nothing_to_search():
    for raw in [None, "", "   ", "!!!", "?!-—…", "\x00", "''\"\""]:
        assert parse_query(raw).is_blank, raw


def test_query_is_trimmed_and_spaces_collapsed():
    terms = parse_query("  IU \n\t interview ")
    assert terms.text == "IU interview"
    assert terms.terms == ("IU", "interview")


def test_very_long_query_is_capped_and_says_so():
    terms = parse_query("word " * 500)
    assert terms.is_truncated
    assert len(terms.text) <= MAX_QUERY_LENGTH
    assert terms.terms == ("word",)  # repeats count once


def test_many_words_keep_only_the_first_few():
    terms = parse_query(" ".join(f"w{n}" for n in range(50)))
    assert len(terms.terms) == MAX_TERMS


def test_hangul_and_accents_are_words():
    assert parse_query("이지은 Beyoncé").terms == ("이지은", "Beyoncé")


def test_epithet_filler_is_dropped_for_title_matching():
    terms = parse_query("the Holssi singer")
    assert terms.title_words == ("Holssi",)
    assert terms.marked == ("Holssi",)
    assert parse_query("the").marked == ("the",)


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
