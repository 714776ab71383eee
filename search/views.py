"""The reader's search page: the query box, filters with counts, grouped results."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.models import Article
from search import engine as search


class StorySearchFilter(django_filters.FilterSet):
    """What narrows the search: a result type, and for stories artist, tag, section
    and dates. Invalid values are reported and ignored, never an error page."""

    type = django_filters.ChoiceFilter(
        choices=search.TYPES, method="keep", empty_label="Everything", label="Show"
    )
    artist = django_filters.CharFilter(field_name="artists__slug")
    tag = django_filters.CharFilter(field_name="tags__slug")
    section = django_filters.CharFilter(field_name="section__slug")
    start = django_filters.DateFilter(
        method="published_from",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = django_filters.DateFilter(
        method="published_until",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def keep(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The type chooses which group to page through; stories stay as they are."""
        return queryset

    @staticmethod
    def _day_start(day: datetime.date) -> datetime.datetime:
        # Whole days in the site's time zone, compared on the indexed column.
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def published_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(published_at__gte=self._day_start(value))

    def published_until(self, queryset: QuerySet, name: str, value) -> QuerySet:
        next_day = value + datetime.timedelta(days=1)
        return queryset.filter(published_at__lt=self._day_start(next_day))

    @property
    def story_filters(self) -> dict[str, str]:
        """The valid story filters in use, for chips that remove one at a time."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            name: self.data.get(name)
            for name in ("artist", "tag", "section", "start", "end")
            if data.get(name)
        }


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    terms = search.parse_query(request.GET.get("q"))
    story_filter = StorySearchFilter(request.GET, queryset=Article.objects.published())
    story_filter.is_valid()  # bad values are reported and left out
    kind = story_filter.form.cleaned_data.get("type") or ""
    context = {
        "terms": terms,
        "query": terms.text,
        "filter": story_filter,
        "kind": kind,
        "types": search.TYPES,
        "max_length": search.MAX_QUERY_LENGTH,
        "story_cap": search.STORY_CANDIDATES,
    }
    if not terms.is_blank:
        results = search.run_search(
            terms,
            stories=story_filter.qs,
            kind=kind,
            page=_page_number(request.GET.get("page")),
            chosen={name: request.GET.get(name, "") for name in FACET_LABELS},
        )
        page = results.groups[kind].page if kind else None
        if page is not None and page.number > page.paginator.num_pages:
            # Past the last page (an old link, a hand-edited address): go to the last.
            last = request.GET.copy()
            last["page"] = page.paginator.num_pages
            return redirect(f"{request.path}?{last.urlencode()}")
        query = request.GET.copy()
        query.pop("page", None)
        without_type = query.copy()
        without_type.pop("type", None)
        context.update(
            results=results,
            groups=results.groups,
            facets=_facet_links(request, results.facets),
            query_string=query.urlencode(),
            type_query=without_type.urlencode(),
            active_filters=_active_filters(request, story_filter, results),
        )
    response = render(request, "search/search.html", context)
    # Result pages are for readers, not for search engines' indexes.
    response["X-Robots-Tag"] = "noindex, follow"
    return response


def _active_filters(request, story_filter, results) -> list[dict[str, str]]:
    """Chips for the filters in use, each with the address that removes it."""
    labels = {
        facet: {row["key"]: row["label"] for row in rows}
        for facet, rows in results.facets.items()
    }
    chips = []
    for name, value in story_filter.story_filters.items():
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        label = labels.get(name, {}).get(value, value)
        prefix = {"start": "From ", "end": "Until "}.get(name, "")
        chips.append({"label": prefix + str(label), "url": "?" + query.urlencode()})
    return chips


FACET_LABELS = {"section": "Section", "tag": "Tag", "artist": "Artist"}


def _facet_links(request, facets) -> list[dict]:
    """Each facet's top values with counts and the address that applies (or clears) it."""
    # The reader's query without its page and type (narrowing stories shows the
    # stories), read once: a QueryDict copy per link deep-copied it 27 times a page.
    pairs = [
        (key, values)
        for key, values in request.GET.lists()
        if key not in ("page", "type")
    ]
    out = []
    for name, rows in facets.items():
        current = request.GET.get(name, "")
        shown = rows[: search.FACETS_SHOWN] + [
            r for r in rows[search.FACETS_SHOWN :] if r["key"] == current
        ]
        options = []
        for row in shown:
            selected = row["key"] == current
            url = "?" + _query_with(pairs, name, None if selected else row["key"])
            options.append({**row, "url": url, "is_selected": selected})
        if options:
            out.append({"name": name, "label": FACET_LABELS[name], "options": options})
    return out


def _query_with(
    pairs: list[tuple[str, list[str]]], name: str, value: str | None
) -> str:
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
