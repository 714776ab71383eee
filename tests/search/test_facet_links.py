"""Facet links keep the reader's query, as a QueryDict edit would, without copying it."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from search.views import _query_with

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
    assert _query_with(list(query.lists()), name, value) == with_query_dict(
        query, name, value
    )


def test_the_facet_keeps_its_place_in_the_query():
    query = QueryDict("q=winter&tag=old&artist=iu")
    assert _query_with(list(query.lists()), "tag", "new") == (
        "q=winter&tag=new&artist=iu"
    )
    assert _query_with(list(query.lists()), "section", "news").endswith("&section=news")
    assert _query_with(list(query.lists()), "artist", None) == "q=winter&tag=old"
