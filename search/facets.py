"""Story facets: the sections, tags and artists of the matching stories, with counts,
and the links that narrow the results to one of them (or clear it).

Backends count (:meth:`search.backends.SearchBackend.facets`); this module says what a
facet is, how its values are ordered and how a link keeps the rest of the query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict
from urllib.parse import urlencode

# The facets a results page offers, in order, with their labels.
FACETS = {"section": "Section", "tag": "Tag", "artist": "Artist"}
FACETS_SHOWN = 8  # values listed per facet (ties at the edge, and the chosen one, too)


class FacetValue(TypedDict):
    key: str  # the slug the filter takes
    label: str
    count: int  # matching stories with it


Facets = dict[str, list[FacetValue]]


def no_facets() -> Facets:
    """Every facet, without values."""
    return {name: [] for name in FACETS}


def collect(rows: Iterable[tuple[str, str, str, int]]) -> Facets:
    """``(facet, key, label, count)`` rows by facet, most frequent first, ties by name."""
    facets = no_facets()
    for facet, key, label, count in rows:
        facets[facet].append({"key": key, "label": label, "count": count})
    for values in facets.values():
        values.sort(key=lambda v: (-v["count"], v["label"].casefold()))
    return facets


def most_frequent(facets: Facets, keep: Mapping[str, str]) -> Facets:
    """Per facet the values a page can show: the ``FACETS_SHOWN`` most frequent (with
    every value tied with the last of them) and the one chosen (``keep``), in order.

    A value's place is one more than the number of values counted more often, as
    SQL's ``rank()`` gives it; ``facets`` must be ordered as :func:`collect` does.
    """
    kept: Facets = {}
    for name, values in facets.items():
        chosen, kept[name] = keep.get(name, ""), []
        place, previous = 0, None
        for index, value in enumerate(values):
            if value["count"] != previous:  # ties share the place of the first
                place, previous = index + 1, value["count"]
            if place <= FACETS_SHOWN or value["key"] == chosen:
                kept[name].append(value)
    return kept


def facet_links(
    pairs: list[tuple[str, list[str]]], chosen: Mapping[str, str], facets: Facets
) -> list[dict]:
    """Each facet's top values with counts and the address that applies (or clears) it.

    ``pairs`` is the query the links keep, as ``QueryDict.lists()`` gives it: read
    once, where a QueryDict copy per link deep-copied it 27 times a page. ``chosen``
    is the value each facet has now.
    """
    out = []
    for name, values in facets.items():
        current = chosen.get(name, "")
        shown = values[:FACETS_SHOWN] + [
            v for v in values[FACETS_SHOWN:] if v["key"] == current
        ]
        options = []
        for value in shown:
            selected = value["key"] == current
            url = "?" + query_with(pairs, name, None if selected else value["key"])
            options.append({**value, "url": url, "is_selected": selected})
        if options:
            out.append({"name": name, "label": FACETS[name], "options": options})
    return out


def query_with(pairs: list[tuple[str, list[str]]], name: str, value: str | None) -> str:
    """``pairs`` (a query's lists, in order) with ``name`` set to ``value`` in its
    place (or last), or left out when ``value`` is None; as QueryDict.urlencode."""
    items: list[tuple[str, str]] = []
    found = False
    for key, values in pairs:
        if key != name:
            items.extend((key, v) for v in values)
            continue
        found = True
        if value is not None:
            items.append((key, value))
    if not found and value is not None:
        items.append((name, value))
    return urlencode(items)
