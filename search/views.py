"""The reader's search page: the query box, filters with counts, grouped results."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article
from core.querystring import QueryDateField, page_number
from search import engine
from search.facets import FACETS, facet_links
from search.query import MAX_QUERY_LENGTH, parse_query


class QueryDateFilter(django_filters.DateFilter):
    """A date filter that reads ``YYYY-MM-DD`` within the searchable range; anything
    else (``9999-12-31``, ``0000-00-00``) is reported and left out."""

    field_class = QueryDateField


class StorySearchFilter(django_filters.FilterSet):
    """What narrows the search: a result type, and for stories artist, tag, section
    and dates. Invalid values are reported and ignored, never an error page."""

    type = django_filters.ChoiceFilter(
        choices=engine.TYPES, method="keep", empty_label="Everything", label="Show"
    )
    artist = django_filters.CharFilter(field_name="artists__slug")
    tag = django_filters.CharFilter(field_name="tags__slug")
    section = django_filters.CharFilter(field_name="section__slug")
    start = QueryDateFilter(
        method="published_from",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = QueryDateFilter(
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


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    terms = parse_query(request.GET.get("q"))
    story_filter = StorySearchFilter(request.GET, queryset=Article.objects.published())
    story_filter.is_valid()  # bad values are reported and left out
    kind = story_filter.form.cleaned_data.get("type") or ""
    context = {
        "terms": terms,
        "query": terms.text,
        "filter": story_filter,
        "kind": kind,
        "types": engine.TYPES,
        "max_length": MAX_QUERY_LENGTH,
        "story_cap": engine.STORY_CANDIDATES,
    }
    if not terms.is_blank:
        chosen = {name: request.GET.get(name, "") for name in FACETS}
        results = engine.run_search(
            terms,
            stories=story_filter.qs,
            kind=kind,
            page=page_number(request.GET.get("page")),
            chosen=chosen,
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
            # Facet links keep the query but its page and type (narrowing stories
            # shows the stories); its pairs read once, not a QueryDict copy a link.
            facets=facet_links(
                [(k, v) for k, v in request.GET.lists() if k not in ("page", "type")],
                chosen,
                results.facets,
            ),
            query_string=query.urlencode(),
            type_query=without_type.urlencode(),
            active_filters=_active_filters(request, story_filter, results),
            suggestion=results.forgiven.suggestion if results.forgiven else "",
            # Found nothing: names loosely like the query, so the page leads on.
            nearest=[] if results.total else engine.nearest_names(terms.text),
        )
    response = render(request, "search/search.html", context)
    # Result pages are for readers, not for search engines' indexes.
    response["X-Robots-Tag"] = "noindex, follow"
    return response


@require_safe
def suggest(request: HttpRequest) -> JsonResponse:
    """``/search/suggest/?q=``: the search box's suggestions, as JSON."""
    query = parse_query(request.GET.get("q")).text
    suggestions = engine.suggest(query)
    response = JsonResponse(
        {
            "query": query,
            "suggestions": [s.__dict__ for s in suggestions],
            "search_url": f"{request.path.removesuffix('suggest/')}?{_q(query)}",
        }
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "public, max-age=60"
    return response


def _q(query: str) -> str:
    return QueryDict.fromkeys(["q"], query).urlencode() if query else ""


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
