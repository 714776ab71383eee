"""Cleaning a query: what is kept of whatever a reader types. No database."""

from __future__ import annotations

from search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse_query


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
