"""Uploaded images (story heroes, artist photos, release covers, post stills): one path.

``validate_image`` (an ``ImageValidator``) decodes every new upload with Pillow under
explicit caps: bytes, then pixels read from the header before any pixel is decoded,
then a full decode, so a decompression bomb, a damaged file or a file that only claims
to be an image is refused with a clear message. ``prepare_image`` re-encodes a new
upload from its pixels before it is stored, so EXIF (GPS position, camera serial)
never reaches readers, and says whether the field needs new renditions;
``schedule_renditions`` hands those to the ``refresh_image_renditions`` task.
Templates read ``Renditions`` (``src``, ``srcset_webp``, ``srcset_fallback``).
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 8000 x 5000: more than any page needs
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_STORED_EDGE = 2400  # pixels; the stored original is never larger than this
HERO_MIN_WIDTH = 320
# Every image field with renditions (a JSON field beside it: ``renditions_field``).
IMAGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("articles.Article", "hero_image"),
    ("artists.Artist", "photo"),
    ("discography.Release", "cover"),
    ("articles.SocialPost", "thumbnail"),
)


@dataclass(frozen=True)
class CheckedImage:
    width: int
    height: int
    format: str


def _rewind(file: Any) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def check_image(file: Any, *, min_width: int = 0) -> CheckedImage:
    """Refuse anything that is not a sane JPEG, PNG or WebP image; say what it is."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            "This image is %(size)s MB; the limit is %(limit)s MB.",
            code="image_too_large",
            params={
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": MAX_IMAGE_BYTES // 1024 // 1024,
            },
        )
    _rewind(file)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that; refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                # From the header alone, before anything is decoded.
                _check_header(image_format, width, height)
                image.verify()
            _rewind(file)
            with Image.open(file) as image:
                image.load()  # verify() skips pixel data; decoding proves it is whole
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image has too many pixels to process safely.",
            code="image_too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "Upload a valid image: this file is not an image or is damaged.",
            code="invalid_image",
        ) from None
    finally:
        _rewind(file)
    if width < min_width:
        raise ValidationError(
            "This image is %(width)s pixels wide; it needs at least %(min)s.",
            code="image_too_small",
            params={"width": width, "min": min_width},
        )
    return CheckedImage(width=width, height=height, format=image_format)


def _check_header(image_format: str | None, width: int, height: int) -> None:
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            "Upload a JPEG, PNG or WebP image (this one is %(format)s).",
            code="image_format",
            params={"format": image_format or "unknown"},
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels; the limit is %(limit)s "
            "million pixels.",
            code="image_too_many_pixels",
            params={
                "width": width,
                "height": height,
                "limit": MAX_IMAGE_PIXELS // 1_000_000,
            },
        )


@deconstructible(path="core.images.ImageValidator")
class ImageValidator:
    """Model-field validator: the same checks on every new file, whatever the path."""

    def __init__(self, min_width: int = 0) -> None:
        self.min_width = min_width

    def __call__(self, file: Any) -> None:
        if getattr(file, "_committed", False):
            # Already stored (and checked when it came in): editing other fields of
            # the row must not re-read, or fail on, the stored file.
            return
        check_image(file, min_width=self.min_width)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageValidator) and other.min_width == self.min_width

    def __hash__(self) -> int:
        return hash(self.min_width)


validate_image = ImageValidator()
validate_hero_image = ImageValidator(min_width=HERO_MIN_WIDTH)


class CheckedImageFormField(forms.ImageField):
    """The admin's upload field: our check runs before Django's own Pillow check,
    which would call a decompression bomb merely "corrupted"."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values and hasattr(data, "read"):
            check_image(data)
        return super().to_python(data)


class CheckedImageField(models.ImageField):
    """An ImageField whose form field explains refusals (see CheckedImageFormField)."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})


def reencode_without_metadata(file: Any) -> tuple[bytes, str]:
    """The image's pixels, upright and at most MAX_STORED_EDGE wide or tall,
    re-encoded in its own format with no metadata (EXIF, XMP, text chunks)."""
    _rewind(file)
    with Image.open(file) as image:
        image_format = image.format if image.format in ALLOWED_FORMATS else "PNG"
        image.seek(0)  # the first frame of an animated WebP
        upright = ImageOps.exif_transpose(image)
        if max(upright.size) > MAX_STORED_EDGE:
            upright = upright.copy()
            upright.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE))
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
            if "transparency" in upright.info:
                clean.info["transparency"] = upright.info["transparency"]
        buffer = io.BytesIO()
        options: dict[str, Any] = (
            {"quality": 88, "optimize": True} if image_format == "JPEG" else {}
        )
        if upright.info.get("icc_profile"):
            # The colour profile is not personal data, and dropping it shifts colours.
            options["icc_profile"] = upright.info["icc_profile"]
        clean.save(buffer, format=image_format, **options)
    _rewind(file)
    return buffer.getvalue(), image_format


def strip_metadata(field_file: FieldFile | None) -> bool:
    """Store a new upload as a metadata-free copy; False when nothing was new."""
    if not field_file or getattr(field_file, "_committed", True):
        return False
    data, _ = reencode_without_metadata(field_file.file)
    name = os.path.basename(field_file.name)
    field_file.save(name, ContentFile(data), save=False)
    # ImageField keeps the in-memory content as the attribute after save(); point it
    # at the stored name so width/height fields are read from the stored file.
    setattr(field_file.instance, field_file.field.attname, field_file.name)
    return True


def renditions_field(field: str) -> str:
    """The JSON field beside an image field listing its renditions (hero_image ->
    hero_renditions, photo -> photo_renditions)."""
    return f"{field.removesuffix('_image')}_renditions"


def prepare_image(
    instance: Model, field: str, update_fields: Any = None
) -> tuple[bool, set[str]]:
    """Before ``save()``: clean a new upload; (renditions needed?, fields to add).

    Renditions are needed for a new upload, or when the stored list belongs to
    another file (or is missing). A cleared image clears the list at once.
    """
    if update_fields is not None and field not in update_fields:
        return False, set()
    image = getattr(instance, field)
    listed = renditions_field(field)
    if not image:
        if getattr(instance, listed):
            setattr(instance, listed, [])
            return False, {listed}
        return False, set()
    is_new = strip_metadata(image)
    current = getattr(instance, listed) or []
    stale = not current or current[0].get("source") != image.name
    if is_new or stale:
        if current and current[0].get("source") != image.name:
            setattr(instance, listed, [])  # never list another file's renditions
        return True, {listed}
    return False, set()


def schedule_renditions(instance: Model, field: str) -> None:
    """After ``save()``: have the task (re)make the renditions, and show them here."""
    from core.tasks import schedule_image_renditions

    schedule_image_renditions(instance, field)


@dataclass(frozen=True)
class Renditions:
    """What a template needs of an image's renditions (all read from the row)."""

    entries: tuple[dict[str, Any], ...]
    original_url: str = ""

    @classmethod
    def of(cls, instance: Model, field: str) -> Renditions:
        image = getattr(instance, field)
        entries = getattr(instance, renditions_field(field), None) or []
        return cls(
            entries=tuple(e for e in entries if e.get("name")),
            original_url=image.url if image else "",
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
