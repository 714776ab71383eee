from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from discography.models import Release


def release_detail(request: HttpRequest, slug: str) -> HttpResponse:
    release = get_object_or_404(Release.objects.prefetch_related("tracks"), slug=slug)
    return render(request, "discography/release_detail.html", {"release": release})
