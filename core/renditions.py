"""Resized copies of an uploaded image, for ``srcset`` on public pages: the one
implementation behind story heroes, artist photos, release covers and post stills.

Each width gets a WebP and a fallback: JPEG, or PNG when the image has transparency.
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
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageOps

# Story cards (about 12rem) to a full-width hero on a 2x screen (46rem).
RENDITION_WIDTHS: tuple[int, ...] = (320, 480, 800, 1200, 1600)
RENDITION_ROOT = "renditions"
# An entry another app adds to a row's list for the same file (a focal-point crop)
# names that file under this key instead of "source": the row's own renditions
# never take it for a resized copy, and a refresh of them keeps it.
DERIVED_FROM = "derived_from"
# format name for Pillow -> (file extension, save options)
RENDITION_FORMATS: dict[str, tuple[str, dict[str, Any]]] = {
    "JPEG": ("jpg", {"quality": 82, "optimize": True, "progressive": True}),
    "PNG": ("png", {"optimize": True}),
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
    """Standard widths below the source's, plus the source's own (never upscaled)."""
    largest = min(source_width, RENDITION_WIDTHS[-1])
    return [width for width in RENDITION_WIDTHS if width < largest] + [largest]


def has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def formats_for(image: Image.Image) -> tuple[str, str]:
    """WebP and the fallback older browsers get: PNG keeps transparency, else JPEG."""
    return ("PNG" if has_alpha(image) else "JPEG", "WEBP")


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise RenditionError(f"not a readable image: {error}") from error
    # Apply the camera's rotation, then forget EXIF along with every other metadata.
    return ImageOps.exif_transpose(image)


def _prepare(image: Image.Image, image_format: str) -> Image.Image:
    if image_format == "JPEG" and has_alpha(image):
        rgba = image.convert("RGBA")  # (not reached by formats_for; kept safe)
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGBA" if has_alpha(image) else "RGB")


def encode(image: Image.Image, width: int, image_format: str) -> tuple[bytes, int]:
    """The rendition's bytes and height: same image, width and format → same bytes."""
    height = max(1, round(image.height * width / image.width))
    prepared = _prepare(image, image_format).resize(
        (width, height), Image.Resampling.LANCZOS
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
        for image_format in formats_for(image):
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
    """The ``srcset`` a source's renditions will have, without touching storage."""
    return ", ".join(
        f"{storage.url(rendition_name(source_name, width, image_format))} {width}w"
        for width in target_widths(source_width)
    )


@dataclass(frozen=True)
class Renditions:
    """What a template needs of an image's renditions (all read from the row)."""

    entries: tuple[dict[str, Any], ...]
    original_url: str = ""

    @classmethod
    def of(
        cls, source_name: str, listed: list[dict[str, Any]] | None, original_url: str
    ) -> Renditions:
        """The listed renditions made from ``source_name`` (never another file's)."""
        return cls(
            entries=tuple(
                entry
                for entry in listed or ()
                if entry.get("name") and entry.get("source") == source_name
            ),
            original_url=original_url,
        )

    def __bool__(self) -> bool:
        return bool(self.entries)

    def _srcset(self, webp: bool) -> str:
        return ", ".join(
            f"{default_storage.url(entry['name'])} {entry['width']}w"
            for entry in self.entries
            if (entry["format"] == "WEBP") == webp
        )

    @property
    def srcset_webp(self) -> str:
        return self._srcset(webp=True)

    @property
    def srcset_fallback(self) -> str:
        """JPEG, or PNG for an image with transparency."""
        return self._srcset(webp=False)

    def _fallbacks(self) -> list[dict[str, Any]]:
        return sorted(
            (e for e in self.entries if e["format"] != "WEBP"),
            key=lambda e: e["width"],
        )

    @property
    def src(self) -> str:
        """A mid-sized fallback for ``src`` (and og:image); the original without any."""
        fallbacks = self._fallbacks()
        if not fallbacks:
            return self.original_url
        return default_storage.url(fallbacks[min(2, len(fallbacks) - 1)]["name"])

    def fallback_urls(self) -> list[str]:
        """Every fallback rendition's address, largest first (crawlers want those)."""
        return [
            default_storage.url(entry["name"]) for entry in reversed(self._fallbacks())
        ]

    @property
    def largest(self) -> dict[str, Any] | None:
        """The biggest fallback rendition (url, width, height): sharing cards want it."""
        fallbacks = self._fallbacks()
        if not fallbacks:
            return None
        entry = fallbacks[-1]
        return {
            "url": default_storage.url(entry["name"]),
            "width": entry["width"],
            "height": entry["height"],
        }

    @property
    def smallest_url(self) -> str:
        """The smallest WebP rendition, for thumbnails; '' without renditions."""
        webps = sorted(
            (e for e in self.entries if e["format"] == "WEBP"),
            key=lambda e: e["width"],
        )
        return default_storage.url(webps[0]["name"]) if webps else ""


# The same decoding, storing and tidying for other shapes of the same pictures
# (photos.crops makes focal-point crops with them).
decode_image = _decode
store_file = _store
remove_files_except = _remove_stale
