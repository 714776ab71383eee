"""Reader pages for artists: the A–Z index and a profile for each artist."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from artists.filters import LETTERS, ArtistFilter
from artists.jsonld import artist_jsonld
from artists.models import Artist, ArtistAlias, Membership
from core.querystring import page_number

ARTISTS_PER_PAGE = 48


@require_safe
def artist_index(request: HttpRequest) -> HttpResponse:
    artist_filter = ArtistFilter(request.GET, queryset=Artist.objects.for_index())
    page = Paginator(artist_filter.qs, ARTISTS_PER_PAGE).get_page(
        page_number(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    letter_query = query.copy()
    letter_query.pop("letter", None)
    return render(
        request,
        "artists/artist_list.html",
        {
            "filter": artist_filter,
            "page_obj": page,
            "query_string": query.urlencode(),
            "letter_query": letter_query.urlencode(),
            "letters": LETTERS,
            "current_letter": request.GET.get("letter", ""),
            "is_filtered": any(query.get(k) for k in ("kind", "agency", "letter")),
        },
    )


@require_safe
def artist_detail(request: HttpRequest, slug: str) -> HttpResponse:
    artist = get_object_or_404(Artist.objects.for_profile(), slug=slug)
    memberships = list(Membership.objects.involving(artist))
    members = [m for m in memberships if m.group_id == artist.pk]
    groups = [m for m in memberships if m.member_id == artist.pk]
    return render(
        request,
        "artists/artist_detail.html",
        {
            "artist": artist,
            "current_members": [m for m in members if m.is_current],
            "former_members": [m for m in members if not m.is_current],
            "groups": groups,
            # Shown as "also known as": public aliases other than birth names.
            "other_names": [
                alias
                for alias in artist.alias_list
                if alias.is_public and alias.kind != ArtistAlias.Kind.BIRTH_NAME
            ],
            "jsonld": artist_jsonld(
                artist, members=members, groups=groups, request=request
            ),
        },
    )
