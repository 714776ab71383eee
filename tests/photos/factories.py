"""Library photos for tests: a real (small) JPEG each, with or without rights."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos.models import Photo


def jpeg(width: int = 800, height: int = 450, colour=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def upload(name: str = "stage.jpg", **image) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(**image), content_type="image/jpeg")


def make_photo(
    alt: str = "IU on stage in Seoul",
    *,
    credit: str = "EDAM Entertainment",
    usage: str = Photo.UsageKind.AGENCY_HANDOUT,
    **fields,
) -> Photo:
    size = {
        key: fields.pop(key) for key in ("width", "height", "colour") if key in fields
    }
    return Photo.objects.create(
        file=upload(**size), alt_text=alt, credit=credit, usage_kind=usage, **fields
    )
