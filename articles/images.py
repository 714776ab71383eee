"""Hero images: verified on upload, stripped of metadata, resized into renditions.

Uploads are opened with Pillow under explicit caps (bytes and pixels) before any
pixel is decoded, so a decompression bomb or a file that only claims to be an image
is refused with a clear message. Every stored file is re-encoded from pixels only,
so EXIF (camera serials, GPS positions) never reaches readers.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_WIDTH = 320
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
RENDITION_WIDTHS = (480, 800, 1200, 1600)
RENDITION_ROOT = "articles/hero/renditions"


@dataclass(frozen=True)
class CheckedImage:
    width: int
    height: int
    format: str


def check_image(file) -> CheckedImage:
    """Refuse anything that is not a sane image before it is stored."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            "The image is %(mb).1f MB; the limit is %(limit)d MB.",
            code="too_large",
            params={
                "mb": size / 1024 / 1024,
                "limit": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
        )
    file.seek(0)
    try:
        with Image.open(file) as image:
            width, height = image.size
            # Checked before any decoding: the header alone tells the pixel count.
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    "The image is %(w)d×%(h)d pixels, more than the %(mp)d megapixels "
                    "allowed.",
                    code="too_many_pixels",
                    params={"w": width, "h": height, "mp": MAX_PIXELS // 1_000_000},
                )
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    "Upload a JPEG, PNG, WebP or GIF image.", code="bad_format"
                )
            image_format = image.format
            image.verify()
        file.seek(0)
        with Image.open(file) as image:
            image.load()  # verify() skips the pixel data; decoding proves it is whole
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            "The image has far too many pixels to be processed safely.",
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(
            "This file is not an image we can read (or it is damaged).",
            code="invalid_image",
        ) from None
    finally:
        file.seek(0)
    if width < MIN_WIDTH:
        raise ValidationError(
            "The image is %(w)d pixels wide; hero images need at least %(min)d.",
            code="too_small",
            params={"w": width, "min": MIN_WIDTH},
        )
    return CheckedImage(width=width, height=height, format=image_format)


def validate_hero_image(file) -> None:
    """Model-field validator: the same checks on every new file, whatever the path."""
    if getattr(file, "_committed", False):
        return  # already stored (and checked when it came in)
    check_image(file)


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy that carries pixels and orientation, nothing else (no EXIF, no GPS)."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def clean_upload(file, name: str) -> ContentFile:
    """Re-encode an upload from its pixels so the stored original has no metadata."""
    check_image(file)
    file.seek(0)
    with Image.open(file) as image:
        image.seek(0)
        clean = _pixels_only(image)
    out = io.BytesIO()
    if clean.mode == "RGBA":
        clean.save(out, "PNG", optimize=True)
        ext = "png"
    else:
        clean.save(out, "JPEG", quality=90, optimize=True, progressive=True)
        ext = "jpg"
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "hero"
    return ContentFile(out.getvalue(), name=f"{stem}.{ext}")


def make_renditions(file) -> list[dict]:
    """Resized JPEG/PNG and WebP copies for srcset, keyed by the content hash."""
    file.seek(0)
    data = file.read()
    digest = hashlib.sha256(data).hexdigest()[:24]
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        source = _pixels_only(image)
    fallback_format, fallback_ext = (
        ("PNG", "png") if source.mode == "RGBA" else ("JPEG", "jpg")
    )
    widths = [w for w in RENDITION_WIDTHS if w < source.width] + [
        min(source.width, RENDITION_WIDTHS[-1])
    ]
    renditions = []
    for width in sorted(set(widths)):
        height = max(1, round(source.height * width / source.width))
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        entry = {"width": width, "height": height}
        for key, fmt, ext, options in (
            ("fallback", fallback_format, fallback_ext, {"quality": 82}),
            ("webp", "WEBP", "webp", {"quality": 80, "method": 4}),
        ):
            path = f"{RENDITION_ROOT}/{digest[:2]}/{digest}/w{width}.{ext}"
            if not default_storage.exists(path):
                out = io.BytesIO()
                if fmt == "JPEG":
                    options = options | {"optimize": True, "progressive": True}
                resized.save(out, fmt, **options)
                path = default_storage.save(path, ContentFile(out.getvalue()))
            entry[key] = path
        renditions.append(entry)
    return renditions
