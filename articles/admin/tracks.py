"""Tracks picked by autocomplete in the story form, each shown with its release
and artist ("Love wins all — The Winning · IU, 2024"): a title alone is ambiguous
(every K-pop release has an "Intro")."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse

from core.adminguard import CheckedAutocompleteSelectMultiple
from discography.models import ReleaseCredit, Track

PAGE_SIZE = 20


def tracks_for_choosing():
    """Tracks with what their label shows, in one query plus one for credits."""
    return Track.objects.select_related("release").prefetch_related(
        Prefetch(
            "release__credits", queryset=ReleaseCredit.objects.select_related("artist")
        )
    )


def track_label(track: Track) -> str:
    release = track.release
    year = f", {release.released_on:%Y}" if release.released_on else ""
    credit = release.artist_credit
    return f"{track.title} — {release.title}" + (
        f" · {credit}{year}" if credit else year
    )


class TrackChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Track) -> str:
        return track_label(obj)


class TrackAutocomplete(CheckedAutocompleteSelectMultiple):
    """The admin's select2 widget (skipping ids no column holds), asking the story
    form's own track search."""

    def get_url(self) -> str:
        return reverse("admin:articles_article_track_choices")


def track_field(admin_site, request_field) -> TrackChoiceField:
    return TrackChoiceField(
        queryset=tracks_for_choosing(),
        required=False,
        widget=TrackAutocomplete(request_field, admin_site),
        help_text="Type a track, release or artist name.",
    )


def track_choices(request: HttpRequest, *, allowed: bool) -> JsonResponse:
    """select2's answer: tracks whose title, release or artist matches ``term``."""
    if not allowed:
        raise PermissionDenied
    term = " ".join(request.GET.get("term", "").split())[:100]
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        page = 1
    tracks = tracks_for_choosing().order_by(
        "-release__released_on", "release", "disc", "position"
    )
    if term:
        matching = Track.objects.filter(
            Q(title__icontains=term)
            | Q(release__title__icontains=term)
            | Q(release__credits__artist__name__icontains=term)
        ).values("pk")
        tracks = tracks.filter(pk__in=matching)
    start = (page - 1) * PAGE_SIZE
    found = list(tracks[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [
                {"id": str(t.pk), "text": track_label(t)} for t in found[:PAGE_SIZE]
            ],
            "pagination": {"more": len(found) > PAGE_SIZE},
        }
    )
