"""Reader pages for releases: an album with its tracklist."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from discography.jsonld import release_jsonld
from discography.models import Release


@require_safe
def release_detail(request: HttpRequest, slug: str) -> HttpResponse:
    release = get_object_or_404(Release.objects.for_page(), slug=slug)
    tracks = list(release.tracks.all())
    discs = sorted({track.disc for track in tracks})
    return render(
        request,
        "discography/release_detail.html",
        {
            "release": release,
            "tracks": tracks,
            "discs": [
                {"number": disc, "tracks": [t for t in tracks if t.disc == disc]}
                for disc in discs
            ],
            "music_videos": [
                video for track in tracks for video in track.music_videos.all()
            ],
            "jsonld": release_jsonld(release, request=request),
        },
    )
