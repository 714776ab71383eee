"""Resized JPEG and WebP copies of an uploaded image, for ``srcset`` on public pages.

Renditions are named after their source (``renditions/<source>/w640.webp``), so making
them again for the same source writes the same names and never a second copy; files a
smaller source no longer needs are removed. EXIF (camera, GPS) is dropped after the
orientation it records has been applied.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
from dataclasses import asdict, dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps

RENDITION_WIDTHS: tuple[int, ...] = (320, 640, 960, 1280)
RENDITION_ROOT = "renditions"
# format name for Pillow -> (file extension, save options)
RENDITION_FORMATS: dict[str, tuple[str, dict[str, Any]]] = {
    "JPEG": ("jpg", {"quality": 82, "optimize": True, "progressive": True}),
    "WEBP": ("webp", {"quality": 80, "method": 4}),
}


class RenditionError(ValueError):
    """The source is not an image Pillow can read: retrying will not help."""


@dataclass(frozen=True)
class Rendition:
    """One stored resized copy."""

    name: str
    width: int
    height: int
    format: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def rendition_dir(source_name: str) -> str:
    """The folder holding a source's renditions, derived from its name alone."""
    stem, _ = posixpath.splitext(source_name.lstrip("/"))
    return posixpath.join(RENDITION_ROOT, stem)


def rendition_name(source_name: str, width: int, image_format: str) -> str:
    """Where the rendition of ``source_name`` at ``width`` in ``image_format`` lives."""
    extension = RENDITION_FORMATS[image_format][0]
    return posixpath.join(rendition_dir(source_name), f"w{width}.{extension}")


def target_widths(source_width: int) -> list[int]:
    """Standard widths up to the source's; a small source keeps its own width only."""
    widths = [width for width in RENDITION_WIDTHS if width <= source_width]
    return widths or [source_width]


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise RenditionError(f"not a readable image: {error}") from error
    # Apply the camera's rotation, then forget EXIF along with every other metadata.
    return ImageOps.exif_transpose(image)


def _flatten_for_jpeg(image: Image.Image) -> Image.Image:
    if image.mode in {"RGBA", "LA"} or (
        image.mode == "P" and "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _for_webp(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in {"RGBA", "LA"} or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")


def encode(image: Image.Image, width: int, image_format: str) -> tuple[bytes, int]:
    """The rendition's bytes and height: same image, width and format → same bytes."""
    height = max(1, round(image.height * width / image.width))
    resized = image.resize((width, height), Image.Resampling.LANCZOS)
    prepared = (
        _flatten_for_jpeg(resized) if image_format == "JPEG" else _for_webp(resized)
    )
    prepared.info = {}  # no EXIF, XMP, ICC or comments travel along
    buffer = io.BytesIO()
    prepared.save(buffer, format=image_format, **RENDITION_FORMATS[image_format][1])
    return buffer.getvalue(), height


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(storage: Storage, name: str, data: bytes) -> None:
    """Write ``data`` under exactly ``name``; unchanged files are left alone."""
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if _digest(existing.read()) == _digest(data):
                return
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # a racing writer took the name: keep one copy, ours
        storage.delete(saved)
        raise OSError(f"rendition {name!r} was written concurrently; retry")


def _remove_stale(storage: Storage, folder: str, keep: set[str]) -> list[str]:
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    removed = []
    for filename in files:
        name = posixpath.join(folder, filename)
        if name not in keep:
            storage.delete(name)
            removed.append(name)
    return removed


def make_renditions(storage: Storage, source_name: str) -> list[Rendition]:
    """(Re)generate every rendition of ``source_name`` in ``storage``; idempotent."""
    with storage.open(source_name, "rb") as source:
        data = source.read()  # I/O errors here are worth a retry; decoding ones not
    image = _decode(data)
    renditions = []
    for width in target_widths(image.width):
        for image_format in RENDITION_FORMATS:
            encoded, height = encode(image, width, image_format)
            name = rendition_name(source_name, width, image_format)
            _store(storage, name, encoded)
            renditions.append(Rendition(name, width, height, image_format))
    _remove_stale(
        storage,
        rendition_dir(source_name),
        {rendition.name for rendition in renditions},
    )
    return renditions


def delete_renditions(storage: Storage, source_name: str) -> list[str]:
    """Remove every rendition of a source (when the image is cleared or replaced)."""
    return _remove_stale(storage, rendition_dir(source_name), keep=set())


def srcset(
    storage: Storage, source_name: str, source_width: int, image_format: str = "WEBP"
) -> str:
    """The ``srcset`` attribute for a source's renditions, without touching storage."""
    return ", ".join(
        f"{storage.url(rendition_name(source_name, width, image_format))} {width}w"
        for width in target_widths(source_width)
    )
