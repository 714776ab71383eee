"""Library pictures inside rich text: ``<figure data-photo="ID"></figure>`` and
``<figure data-gallery="ID,ID,ID"></figure>`` as stored (core.sanitize keeps exactly
these attributes), and what readers get for them.

Every photo a body names is read in one query (:func:`load_photos`), whatever the
number of figures and pictures; a figure whose photos are all gone renders nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.template.loader import render_to_string

from photos.models import Photo

# A reference as the sanitizer leaves it: one attribute, nothing inside.
FIGURE_REFERENCE = re.compile(
    r'<figure data-(photo|gallery|story)="([0-9]+(?:,[0-9]+)*)">\s*</figure>'
)
MAX_IDS = 12


def parse_ids(value: str) -> list[int]:
    """The ids of an attribute value, in order, without repeats or absurd numbers."""
    ids: list[int] = []
    for part in value.split(","):
        if part.isdigit() and 0 < len(part) <= MAX_IDS and int(part) not in ids:
            ids.append(int(part))
    return ids


def references(html: str | None, kind: str) -> list[int]:
    """Every id a body names for ``kind`` ("photo" covers galleries too)."""
    kinds = {"photo", "gallery"} if kind == "photo" else {kind}
    found: list[int] = []
    for match in FIGURE_REFERENCE.finditer(html or ""):
        if match[1] in kinds:
            found += [pk for pk in parse_ids(match[2]) if pk not in found]
    return found


def load_photos(ids: Iterable[int]) -> dict[int, Photo]:
    """The photos with these ids, in one query."""
    ids = list(ids)
    if not ids:
        return {}
    return {photo.pk: photo for photo in Photo.objects.filter(pk__in=ids)}


def photo_figure(photo: Photo, *, eager: bool = False) -> str:
    """A picture in the body: WebP and fallback srcsets, size, caption and credit."""
    return render_to_string("photos/_figure.html", {"photo": photo, "eager": eager})


def gallery_figure(photos: list[Photo]) -> str:
    """A grid of pictures, each a link to its large version (keyboard reachable);
    the grid is CSS only: no script, nothing from a third party."""
    if not photos:
        return ""
    return render_to_string("photos/_gallery.html", {"photos": photos})
