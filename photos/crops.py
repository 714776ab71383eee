"""Crops of a library photo for cards (16:9, 1:1, 4:5) that keep its focal point in
frame, stored as renditions: WebP plus a JPEG/PNG fallback at a few widths.

A crop's name carries its ratio and focal point
(``renditions/crops/<source>/1x1-f50x30-w640.webp``), so moving the focal point makes
new names and the old files can be cached for ever (core.media serves renditions as
immutable). ``Photo.crops`` lists what was made; :class:`CropSet` is what templates use.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db.models import Model

from core import pagecache
from core.renditions import (
    DERIVED_FROM,
    RENDITION_ROOT,
    Renditions,
    decode_image,
    encode,
    formats_for,
    remove_files_except,
    store_file,
)
from core.tasks import Backoff, enqueue_on_commit, retrying_task
from photos.fields import follow_photo

CROP_RATIOS: dict[str, tuple[int, int]] = {
    "16x9": (16, 9),
    "1x1": (1, 1),
    "4x5": (4, 5),
}
CROP_WIDTHS: tuple[int, ...] = (320, 640, 960)


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest box of ``ratio`` inside the image, centred on the focal point as
    far as the edges allow (so the point is always inside it)."""
    across, down = ratio
    box_width = min(width, round(height * across / down))
    box_height = min(height, round(box_width * down / across))
    left = round(focal_x * width - box_width / 2)
    top = round(focal_y * height - box_height / 2)
    left = max(0, min(width - box_width, left))
    top = max(0, min(height - box_height, top))
    return left, top, left + box_width, top + box_height


def crop_dir(source_name: str) -> str:
    stem, _ = posixpath.splitext(source_name.lstrip("/"))
    return posixpath.join(RENDITION_ROOT, "crops", stem)


def make_crops(
    storage: Storage, source_name: str, focal_x: float, focal_y: float
) -> list[dict[str, Any]]:
    """(Re)make every crop of the source for this focal point; idempotent."""
    with storage.open(source_name, "rb") as source:
        image = decode_image(source.read())
    focus = f"f{round(focal_x * 100)}x{round(focal_y * 100)}"
    entries = []
    for label, ratio in CROP_RATIOS.items():
        cropped = image.crop(
            crop_box(image.width, image.height, ratio, focal_x, focal_y)
        )
        widths = [w for w in CROP_WIDTHS if w < cropped.width] + [
            min(cropped.width, CROP_WIDTHS[-1])
        ]
        for width in sorted(set(widths)):
            for image_format in formats_for(cropped):
                data, height = encode(cropped, width, image_format)
                extension = "webp" if image_format == "WEBP" else image_format.lower()
                extension = "jpg" if extension == "jpeg" else extension
                name = posixpath.join(
                    crop_dir(source_name), f"{label}-{focus}-w{width}.{extension}"
                )
                store_file(storage, name, data)
                entries.append(
                    {
                        "ratio": label,
                        "name": name,
                        "width": width,
                        "height": height,
                        "format": image_format,
                        "source": source_name,
                        "focus": focus,
                    }
                )
    remove_files_except(
        storage, crop_dir(source_name), {entry["name"] for entry in entries}
    )
    return entries


@retrying_task(
    max_attempts=4, backoff=Backoff(base=0.5, factor=2.0, cap=60.0), queue_name="media"
)
def refresh_photo_crops(pk: int) -> int:
    """Make a photo's crops and list them on the row (if the row still holds the
    same file and focal point); the number of files listed."""
    # By name: photos.models imports this module for CropSet and schedule_crops.
    Photo = apps.get_model("photos", "Photo")  # noqa: N806
    photo = Photo.objects.filter(pk=pk).first()
    if photo is None or not photo.file:
        return 0
    entries = make_crops(
        photo.file.storage, photo.file.name, photo.focal_x, photo.focal_y
    )
    changed = Photo.objects.filter(
        pk=pk, file=photo.file.name, focal_x=photo.focal_x, focal_y=photo.focal_y
    ).update(crops=entries)
    if changed:
        photo.crops = entries
        # The rows showing the photo carry its crops beside their renditions (cards
        # read them from the row: no join, no query); follow_photo copies them.
        follow_photo(photo)
        pagecache.content_changed(photo)
    return len(entries)


def crop_of_row(
    listed: list[dict[str, Any]] | None, source_name: str, ratio: str
) -> CropSet:
    """One ratio's crops carried in a row's renditions list (``carried_crops``) for
    the file the row shows now; empty when none (never another file's)."""
    return CropSet(
        tuple(
            entry
            for entry in listed or ()
            if entry.get(DERIVED_FROM) == source_name and entry.get("ratio") == ratio
        )
    )


def schedule_crops(photo: Model) -> None:
    """After the save: inline at once in development and tests, else by a worker."""
    result = enqueue_on_commit(refresh_photo_crops, photo.pk)
    if result is not None and result.return_value:
        photo.crops = (
            type(photo).objects.filter(pk=photo.pk).values_list("crops", flat=True)[0]
        )


@dataclass(frozen=True)
class CropSet(Renditions):
    """One ratio's crops of a photo, for templates: ``srcset_webp``,
    ``srcset_fallback``, ``src``; falsy when not made (use the photo's renditions
    with CSS ``object-fit`` then)."""

    @property
    def src(self) -> str:
        fallbacks = sorted(
            (e for e in self.entries if e["format"] != "WEBP"), key=lambda e: e["width"]
        )
        return (
            default_storage.url(fallbacks[len(fallbacks) // 2]["name"])
            if fallbacks
            else ""
        )

    @property
    def width(self) -> int:
        return max((e["width"] for e in self.entries), default=0)

    @property
    def height(self) -> int:
        return max((e["height"] for e in self.entries), default=0)
