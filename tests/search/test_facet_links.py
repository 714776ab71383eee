"""Facets: the values a page shows, and links that keep the reader's query as a
QueryDict edit would, without copying it."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from search.facets import FACETS_SHOWN, collect, most_frequent, query_with

keys = st.sampled_from(["q", "tag", "artist", "section", "start", "x y", "태그"])
values = st.text(min_size=0, max_size=8)
queries = st.lists(st.tuples(keys, values), max_size=6)


def with_query_dict(query: QueryDict, name: str, value: str | None) -> str:
    edited = query.copy()
    if value is None:
        edited.pop(name, None)
    else:
        edited[name] = value
    return edited.urlencode()


@given(queries, st.sampled_from(["tag", "artist", "section"]), st.none() | values)
def test_a_link_is_the_query_with_one_facet_set_or_cleared(pairs, name, value):
    query = QueryDict(mutable=True)
    for key, item in pairs:
        query.appendlist(key, item)
    assert query_with(list(query.lists()), name, value) == with_query_dict(
        query, name, value
    )


def test_the_facet_keeps_its_place_in_the_query():
    query = QueryDict("q=winter&tag=old&artist=iu")
    assert query_with(list(query.lists()), "tag", "new") == (
        "q=winter&tag=new&artist=iu"
    )
    assert query_with(list(query.lists()), "section", "news").endswith("&section=news")
    assert query_with(list(query.lists()), "artist", None) == "q=winter&tag=old"


counts = st.lists(
    st.tuples(st.sampled_from(["section", "tag", "artist"]), st.integers(1, 6)),
    max_size=30,
)


@given(counts, st.sampled_from(["", "v0", "v7", "v29"]))
def test_a_facet_shows_the_values_ranked_within_the_top_and_the_chosen_one(
    rows, chosen
):
    facets = collect(
        (facet, f"v{n}", f"Value {n:02d}", count)
        for n, (facet, count) in enumerate(rows)
    )
    keep = {"tag": chosen}
    shown = most_frequent(facets, keep)
    for name, values in facets.items():
        # SQL's rank(): one more than the number of values counted more often.
        expected = [
            v
            for v in values
            if 1 + sum(o["count"] > v["count"] for o in values) <= FACETS_SHOWN
            or v["key"] == keep.get(name)
        ]
        assert shown[name] == expected


def test_values_are_ordered_by_count_then_name_whatever_the_case():
    facets = collect(
        [("tag", "b", "beta", 2), ("tag", "a", "Alpha", 2), ("tag", "c", "Gamma", 3)]
    )
    assert [v["label"] for v in facets["tag"]] == ["Gamma", "Alpha", "beta"]
    assert facets["section"] == facets["artist"] == []
