from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from artists.models import Artist


def artist_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(Artist.objects.order_by("name"), 60).get_page(
        request.GET.get("page")
    )
    return render(request, "artists/artist_list.html", {"page_obj": page})


def artist_detail(request: HttpRequest, slug: str) -> HttpResponse:
    artist = get_object_or_404(Artist, slug=slug)
    return render(request, "artists/artist_detail.html", {"artist": artist})
