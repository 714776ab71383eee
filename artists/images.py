"""Uploaded images (artist photos, release covers, later story images): checked and cleaned.

``validate_image`` is a model-field validator: it decodes the upload with Pillow and
rejects anything that is not a JPEG, PNG or WebP image, is over the byte or pixel cap,
or is a decompression bomb. ``strip_metadata`` re-encodes a new upload before it is
stored, so EXIF (GPS position, camera serial, editing history) never reaches readers.
"""

from __future__ import annotations

import io
import os
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 8000 x 5000: more than any page needs
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_STORED_EDGE = 2400  # pixels; what readers download is never larger than this


def _rewind(file) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def validate_image(file) -> None:
    """Reject an upload that is not a real, reasonably sized JPEG, PNG or WebP image."""
    if getattr(file, "_committed", False):
        # Already stored (and checked when it was uploaded): editing other fields of
        # the row must not re-read, or fail on, the stored file.
        return
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
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image has too many pixels to process safely.",
            code="image_too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "Upload a valid image: this file is not an image or is damaged.",
            code="invalid_image",
        ) from None
    finally:
        _rewind(file)
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
    _rewind(file)
    try:
        with Image.open(file) as image:
            image.load()  # verify() decodes no pixels: a cut-off file fails only here
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "Upload a valid image: this file is not an image or is damaged.",
            code="invalid_image",
        ) from None
    finally:
        _rewind(file)


def reencode_without_metadata(file) -> tuple[bytes, str]:
    """The image's pixels, upright and at most MAX_STORED_EDGE wide or tall,
    re-encoded in its own format with no metadata (EXIF, XMP, text chunks)."""
    _rewind(file)
    with Image.open(file) as image:
        image_format = image.format if image.format in ALLOWED_FORMATS else "PNG"
        upright = ImageOps.exif_transpose(image)
        if max(upright.size) > MAX_STORED_EDGE:
            upright = upright.copy()
            upright.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE))
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        if "transparency" in upright.info and upright.mode == "P":
            clean.info["transparency"] = upright.info["transparency"]
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
        buffer = io.BytesIO()
        options = {"quality": 88, "optimize": True} if image_format == "JPEG" else {}
        if upright.info.get("icc_profile"):
            # The colour profile is not personal data, and dropping it shifts colours.
            options["icc_profile"] = upright.info["icc_profile"]
        clean.save(buffer, format=image_format, **options)
    _rewind(file)
    return buffer.getvalue(), image_format


def strip_metadata(field_file: FieldFile | None) -> None:
    """Replace a new, not yet stored upload by a metadata-free copy (no-op otherwise)."""
    if not field_file or getattr(field_file, "_committed", True):
        return
    data, _ = reencode_without_metadata(field_file.file)
    name = os.path.basename(field_file.name)
    field_file.save(name, ContentFile(data), save=False)
    # ImageField keeps the in-memory content as the attribute after save(); point it
    # at the stored name so width/height fields are read from the stored file.
    setattr(field_file.instance, field_file.field.attname, field_file.name)
