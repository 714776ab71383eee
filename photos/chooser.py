"""The chooser's endpoints (JSON for ``photos/admin/chooser.js``): search the library,
newest first, filter it, upload a new photo in place; and pick a story for a card.

Stories live in an app above this one, which registers its search with
:func:`register_story_search`; the library only relays it.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from photos.models import Photo

PAGE_SIZE = 24
MAX_QUERY = 100

StorySearch = Callable[[str, int], list[dict]]
_story_search: list[StorySearch] = []


def register_story_search(search: StorySearch) -> None:
    """``search(words, limit)`` returns published stories as dicts (id, headline,
    dek, thumbnail); the app that owns stories registers it in ``ready()``."""
    _story_search[:] = [search]


def photo_summary(photo: Photo) -> dict:
    return {
        "id": photo.pk,
        "thumbnail": photo.file.renditions.smallest_url
        or (photo.file.url if photo.file else ""),
        "alt": photo.alt_text,
        "caption": photo.caption,
        "credit": photo.credit,
        "usage": photo.get_usage_kind_display(),
        "missing": photo.missing_rights,
        "uploaded_at": photo.uploaded_at.date().isoformat(),
        "width": photo.width,
        "height": photo.height,
    }


def search_photos(words: str, usage: str = "", page: int = 1) -> tuple[list, bool]:
    """One page of the library for the chooser (newest first) and whether more."""
    photos = Photo.objects.only(
        "id",
        "file",
        "file_renditions",
        "alt_text",
        "caption",
        "credit",
        "usage_kind",
        "uploaded_at",
        "width",
        "height",
    ).newest_first()
    if words:
        photos = photos.matching(words[:MAX_QUERY])
    if usage in Photo.UsageKind.values:
        photos = photos.filter(usage_kind=usage)
    start = (page - 1) * PAGE_SIZE
    rows = list(photos[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


@require_GET
def choose(request: HttpRequest) -> JsonResponse:
    if not request.user.has_perm("photos.view_photo"):
        raise PermissionDenied
    rows, has_more = search_photos(
        request.GET.get("q", "").strip(), request.GET.get("usage", ""), _page(request)
    )
    return JsonResponse(
        {"results": [photo_summary(photo) for photo in rows], "has_more": has_more}
    )


class UploadForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["file", "alt_text", "caption", "credit", "usage_kind", "usage_terms"]


@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    """Add a picture to the library from the chooser; it comes back chosen."""
    if not request.user.has_perm("photos.add_photo"):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    photo = form.save(commit=False)
    photo.uploaded_by = request.user
    photo.save()
    return JsonResponse({"photo": photo_summary(photo)}, status=201)


@require_GET
def choose_story(request: HttpRequest) -> JsonResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    words = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = _story_search[0](words, 20) if _story_search else []
    return JsonResponse({"results": results, "has_more": False})
