"""The one upload check and metadata strip every image field uses (core.images)."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images
from core.images import (
    ImageValidator,
    check_image,
    reencode_without_metadata,
    validate_hero_image,
    validate_image,
)
from tests.artists.images import image_bytes, image_upload


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims huge dimensions: a decompression bomb's calling card."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    raw = zlib.compress(b"\x00" * 64)
    idat = b"IDAT" + raw
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", len(raw)) + idat + struct.pack(">I", zlib.crc32(idat))
        + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    )  # fmt: skip


def code_of(upload, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        check_image(upload, **kwargs)
    return error.value.code


def test_a_real_jpeg_png_or_webp_passes():
    for image_format in ["JPEG", "PNG", "WEBP"]:
        validate_image(image_upload(image_format=image_format))
    checked = check_image(image_upload(size=(800, 450)))
    assert (checked.width, checked.height, checked.format) == (800, 450, "JPEG")


def test_a_text_file_named_jpg_is_refused_with_a_clear_message():
    upload = SimpleUploadedFile("photo.jpg", b"<?php echo 'hi'; ?>")
    with pytest.raises(ValidationError, match="not an image or is damaged"):
        validate_image(upload)


def test_a_truncated_png_or_jpeg_is_refused():
    for image_format in ["PNG", "JPEG"]:
        data = image_bytes(size=(400, 300), image_format=image_format)
        cut = SimpleUploadedFile("cut.img", data[: len(data) // 2])
        assert code_of(cut) == "invalid_image"


def test_other_image_formats_are_refused():
    for image_format in ["GIF", "BMP", "TIFF"]:
        with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
            validate_image(image_upload("x.img", image_format=image_format))


def test_a_file_over_the_byte_cap_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 100)
    with pytest.raises(ValidationError, match="the limit is") as error:
        validate_image(image_upload(size=(300, 300)))
    assert error.value.code == "image_too_large"


def test_an_image_over_the_pixel_cap_is_refused_from_its_header():
    # 8000 x 6000 is under Pillow's own limit but over ours (40 MP).
    upload = SimpleUploadedFile("big.png", png_header_only(8_000, 6_000))
    with pytest.raises(ValidationError, match="million pixels"):
        validate_image(upload)


def test_a_decompression_bomb_is_refused_with_a_clear_error(monkeypatch):
    huge = SimpleUploadedFile("bomb.png", png_header_only(50_000, 50_000))
    assert code_of(huge) == "image_too_many_pixels"
    # Pillow's own guard (warning, then error at twice the limit) becomes our error.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    for size in [(40, 40), (100, 100)]:
        with pytest.raises(ValidationError, match="too many pixels"):
            validate_image(image_upload(size=size, image_format="PNG"))


def test_hero_images_need_a_minimum_width():
    with pytest.raises(ValidationError, match="at least 320") as error:
        validate_hero_image(image_upload(size=(100, 100)))
    assert error.value.code == "image_too_small"
    validate_hero_image(image_upload(size=(320, 200)))


def test_the_validator_skips_files_already_stored(monkeypatch):
    stored = ContentFile(b"not checked again", name="old.jpg")
    stored._committed = True
    validate_image(stored)


def test_validators_compare_by_their_options_for_migrations():
    assert ImageValidator() == validate_image
    assert ImageValidator(min_width=320) == validate_hero_image
    assert validate_image != validate_hero_image
    assert validate_hero_image.deconstruct() == (
        "core.images.ImageValidator",
        (),
        {"min_width": 320},
    )


def test_reencoding_drops_exif_and_gps():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1], gps[2] = "N", (37.0, 33.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(buffer, "JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert original.getexif()
    data, image_format = reencode_without_metadata(io.BytesIO(buffer.getvalue()))
    with Image.open(io.BytesIO(data)) as clean:
        assert image_format == "JPEG"
        assert not clean.getexif()
        assert clean.size == (64, 48)


def test_reencoding_scales_down_very_large_images(monkeypatch):
    monkeypatch.setattr(images, "MAX_STORED_EDGE", 32)
    data, _ = reencode_without_metadata(image_upload(size=(64, 48), image_format="PNG"))
    with Image.open(io.BytesIO(data)) as clean:
        assert clean.size == (32, 24)


def test_reencoding_turns_a_photo_upright():
    upload = image_upload(size=(60, 20))
    with Image.open(upload) as original:
        exif = original.getexif()
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
        buffer = io.BytesIO()
        original.save(buffer, format="JPEG", exif=exif.tobytes())
    data, _ = reencode_without_metadata(io.BytesIO(buffer.getvalue()))
    with Image.open(io.BytesIO(data)) as clean:
        assert clean.size == (20, 60)
        assert not clean.getexif()
