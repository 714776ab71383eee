"""Small in-memory images for upload tests, made with Pillow (nothing downloaded)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(
    size: tuple[int, int] = (64, 48), image_format: str = "JPEG", exif: bool = False
) -> bytes:
    image = Image.new("RGB", size, (200, 16, 46))
    buffer = io.BytesIO()
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "Editor 1.0"  # Software
        options["exif"] = data.tobytes()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def image_upload(
    name: str = "photo.jpg",
    size: tuple[int, int] = (64, 48),
    image_format: str = "JPEG",
    exif: bool = False,
) -> SimpleUploadedFile:
    content_type = f"image/{image_format.lower()}"
    return SimpleUploadedFile(
        name, image_bytes(size, image_format, exif), content_type=content_type
    )
